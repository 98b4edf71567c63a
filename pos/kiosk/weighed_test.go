package kiosk

import (
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

var markedMilk = pos.Product{ID: "100004", Name: "Молоко маркированное", Barcodes: []string{"4615881399868"}, Price: 9990,
	VAT: pos.VAT10, Marked: true}

// TestBasketWeighedAndMarked: a weighed product goes into the basket with the weight of its label (a
// second label adds its weight; scanned by PLU, without a label, it does not go in), a marked one by the
// piece; the basket's link and count follow.
func TestBasketWeighedAndMarked(t *testing.T) {
	r := newRig()
	s := r.k.NewSession()
	steps := []struct {
		name string
		code string
		err  error
		qty  pos.Qty // of the product after the step
	}{
		{"weight label, 1,234 kg", "2100001012342", nil, 1234},
		{"another label adds its weight", "2100001007553", nil, 1234 + 755},
		{"by PLU: no weight", "00001", ErrNotSellable, 1234 + 755},
	}
	for _, st := range steps {
		c, err := r.k.Scan(st.code)
		if err != nil {
			t.Fatalf("%s: scan: %v", st.name, err)
		}
		if err := s.Add(c); !errors.Is(err, st.err) {
			t.Fatalf("%s: add: %v, want %v", st.name, err, st.err)
		}
		if l := s.Lines()[0]; l.Product.ID != banana.ID || l.Qty != st.qty {
			t.Fatalf("%s: line %+v, want %s kg", st.name, l, st.qty)
		}
	}
	if err := s.SetQty(banana.ID, 500); err != nil || s.Lines()[0].Qty != 500 {
		t.Errorf("a weighed line to 0,5 kg: %v", err)
	}
	if err := s.SetQty(banana.ID, MaxLineQty+1); !errors.Is(err, ErrLineQty) {
		t.Errorf("over 99 kg: %v", err)
	}
	r.k.cfg.Catalog = fakeCatalog{products: []pos.Product{milk, bread, kefir, banana, markedMilk}}
	c, err := r.k.Scan("4615881399868")
	if err != nil || !c.Sellable {
		t.Fatalf("the marked milk's card: %+v, %v", c, err)
	}
	if err := s.Add(c); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(c); err != nil {
		t.Fatal(err)
	}
	if err := s.SetQty(markedMilk.ID, 1500); !errors.Is(err, ErrLineQty) {
		t.Errorf("half a marked pack: %v", err)
	}
	if s.Count() != 3 || s.Lines()[1].Qty != 2000 {
		t.Errorf("count %d, lines %+v", s.Count(), s.Lines())
	}
	if got := qtyParam(755); got != "0.755" {
		t.Errorf("qtyParam(755) = %q", got)
	}
	if got := qtyParam(1500); got != "1.5" {
		t.Errorf("qtyParam(1500) = %q", got)
	}
}
