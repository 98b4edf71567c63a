package cart

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

var (
	milk   = pos.Product{ID: "1001", Name: "Молоко 3,2% 930 мл", Price: 8990, VAT: pos.VAT10}
	soap   = pos.Product{ID: "2002", Name: "Мыло туалетное 90 г", Price: 5500, VAT: pos.VAT22}
	apples = pos.Product{ID: "3003", Name: "Яблоки Гала", Price: 14900, VAT: pos.VAT10, Unit: pos.UnitKg}
)

func TestAddMergesRepeatedPieceScans(t *testing.T) {
	c := New()
	for _, step := range []struct {
		p        pos.Product
		qty      pos.Qty
		wantLine int
	}{
		{milk, pos.QtyOne, 0},
		{milk, pos.QtyOne, 0},    // same product again: same line
		{soap, pos.QtyOne, 1},    // another product: new line
		{milk, pos.QtyOne, 2},    // not the last line any more: new line
		{apples, 734, 3},         // weighed: own line
		{apples, 500, 4},         // weighed again: own line again
		{milk, pos.Pieces(3), 5}, // n* quantity
	} {
		got, err := c.Add(step.p, step.qty, "")
		if err != nil || got != step.wantLine {
			t.Fatalf("Add(%s, %s) = %d, %v; want line %d", step.p.Name, step.qty, got, err, step.wantLine)
		}
	}
	if q := c.Lines()[0].Qty; q != pos.Pieces(2) {
		t.Errorf("line 1 qty = %s, want 2", q)
	}
}

func TestAddRejectsBadQuantities(t *testing.T) {
	c := New()
	for _, q := range []pos.Qty{0, -1000, 1500, 100_000_000} {
		if _, err := c.Add(milk, q, ""); !errors.Is(err, pos.ErrBadQuantity) {
			t.Errorf("Add(milk, %s) err = %v, want ErrBadQuantity", q, err)
		}
	}
	if !c.Empty() {
		t.Error("a refused add changed the cart")
	}
}

func TestTotalsAndVAT(t *testing.T) {
	c := New()
	mustAdd(t, c, milk, pos.Pieces(2)) // 179,80 @10
	mustAdd(t, c, apples, 734)         // 109,37 @10
	mustAdd(t, c, soap, pos.QtyOne)    // 55,00 @22
	tot := c.Totals()
	if tot.Total != 34417 || tot.Lines != 3 || tot.Discount != 0 {
		t.Fatalf("totals = %+v, want 344,17 over 3 lines", tot)
	}
	want := []pos.VATAmount{{Rate: pos.VAT22, Base: 5500, Tax: 992}, {Rate: pos.VAT10, Base: 28917, Tax: 2629}}
	if fmt.Sprint(tot.VAT) != fmt.Sprint(want) {
		t.Errorf("VAT = %v, want %v", tot.VAT, want)
	}
}

func TestCancelledLineStaysVisibleButIsNotPaid(t *testing.T) {
	c := New()
	mustAdd(t, c, milk, pos.QtyOne)
	mustAdd(t, c, soap, pos.QtyOne)
	at := time.Date(2026, 11, 23, 14, 39, 0, 0, time.UTC)
	if err := c.Cancel(0, at); err != nil {
		t.Fatal(err)
	}
	if err := c.Cancel(0, at); !errors.Is(err, pos.ErrLineCancelled) {
		t.Errorf("second cancel err = %v", err)
	}
	if err := c.SetQty(0, pos.Pieces(2)); !errors.Is(err, pos.ErrLineCancelled) {
		t.Errorf("qty change on a cancelled line err = %v", err)
	}
	lines := c.Lines()
	if len(lines) != 2 || !lines[0].Cancelled || !lines[0].CancelledAt.Equal(at) {
		t.Fatalf("lines = %+v", lines)
	}
	if tot := c.Totals(); tot.Total != 5500 || tot.Lines != 1 {
		t.Errorf("totals = %+v, want 55,00 for one line", tot)
	}
	mustAdd(t, c, milk, pos.QtyOne) // must not merge into the cancelled line
	if c.Len() != 3 {
		t.Errorf("len = %d, want 3", c.Len())
	}
}

func TestReceiptDiscountSpreadsToTheKopeck(t *testing.T) {
	for _, c := range []struct {
		name     string
		products []pos.Product
		discount pos.Money
	}{
		{"even", []pos.Product{milk, soap}, 1000},
		{"odd kopecks", []pos.Product{milk, soap, milk}, 1001},
		{"one kopeck", []pos.Product{milk, soap}, 1},
		{"almost all", []pos.Product{soap}, 5499},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := New()
			var gross pos.Money
			for _, p := range c.products {
				ct.lines = append(ct.lines, entry{line: pos.Line{ProductID: p.ID, Price: p.Price, Qty: pos.QtyOne, VAT: p.VAT}})
				gross += p.Price
			}
			if err := ct.SetReceiptDiscount(c.discount); err != nil {
				t.Fatal(err)
			}
			var sum, disc pos.Money
			for _, l := range ct.Lines() {
				if l.Sum < 0 || l.Discount < 0 {
					t.Fatalf("negative line %+v", l)
				}
				sum += l.Sum
				disc += l.Discount
			}
			tot := ct.Totals()
			if disc != c.discount || sum != gross-c.discount || tot.Total != sum {
				t.Errorf("Σ discount %s, Σ sum %s, total %s; want %s off %s", disc, sum, tot.Total, c.discount, gross)
			}
		})
	}
}

func TestDiscountLimits(t *testing.T) {
	c := New()
	mustAdd(t, c, soap, pos.QtyOne)
	if err := c.SetLineDiscount(0, 5501); !errors.Is(err, pos.ErrBadDiscount) {
		t.Errorf("line discount over the sum: %v", err)
	}
	if err := c.SetReceiptDiscount(5500); !errors.Is(err, pos.ErrBadDiscount) {
		t.Errorf("receipt discount of the whole sum: %v", err)
	}
	if err := c.SetLineDiscount(0, 500); err != nil {
		t.Fatal(err)
	}
	if tot := c.Totals(); tot.Total != 5000 || tot.Discount != 500 {
		t.Errorf("totals %+v", tot)
	}
	if err := c.SetLineDiscount(3, 1); !errors.Is(err, pos.ErrLineNotFound) {
		t.Errorf("discount on a missing line: %v", err)
	}
}

func TestSettle(t *testing.T) {
	for _, c := range []struct {
		name     string
		total    pos.Money
		payments []pos.Payment
		change   pos.Money
		err      error
	}{
		{"cash exact", 43327, []pos.Payment{{Method: pos.PayCash, Amount: 43327}}, 0, nil},
		{"cash with change", 43327, []pos.Payment{{Method: pos.PayCash, Amount: 50000}}, 6673, nil},
		{"card", 43327, []pos.Payment{{Method: pos.PayCard, Amount: 43327}}, 0, nil},
		{"mixed", 43327, []pos.Payment{{Method: pos.PayCash, Amount: 20000}, {Method: pos.PayCard, Amount: 23327}}, 0, nil},
		{"mixed cash over", 43327, []pos.Payment{{Method: pos.PayCard, Amount: 23327}, {Method: pos.PayCash, Amount: 50000}}, 30000, nil},
		{"underpaid", 43327, []pos.Payment{{Method: pos.PayCash, Amount: 40000}}, 0, pos.ErrUnderpaid},
		{"card over", 43327, []pos.Payment{{Method: pos.PayCard, Amount: 50000}}, 0, pos.ErrCardOverpay},
		{"zero tender", 100, []pos.Payment{{Method: pos.PayCash, Amount: 0}}, 0, pos.ErrBadTender},
		{"unknown tender", 100, []pos.Payment{{Method: "bitcoin", Amount: 100}}, 0, pos.ErrBadTender},
		{"nothing", 100, nil, 0, pos.ErrUnderpaid},
	} {
		change, err := Settle(c.total, c.payments)
		if !errors.Is(err, c.err) || (err == nil && change != c.change) {
			t.Errorf("%s: Settle = %s, %v; want %s, %v", c.name, change, err, c.change, c.err)
		}
	}
}

func TestSnapshotRestore(t *testing.T) {
	c := New()
	mustAdd(t, c, milk, pos.Pieces(2))
	mustAdd(t, c, apples, 734)
	if err := c.SetLineDiscount(1, 137); err != nil {
		t.Fatal(err)
	}
	if err := c.Cancel(0, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, c, soap, pos.QtyOne)
	if err := c.SetReceiptDiscount(100); err != nil {
		t.Fatal(err)
	}
	before := c.Lines()
	lines, rd := c.Snapshot()
	c.Clear()
	if !c.Empty() || c.Totals().Total != 0 {
		t.Fatal("Clear left something")
	}
	c.Restore(lines, rd)
	if fmt.Sprint(c.Lines()) != fmt.Sprint(before) {
		t.Errorf("restored %v\nwant %v", c.Lines(), before)
	}
}

func mustAdd(t *testing.T, c *Cart, p pos.Product, q pos.Qty) {
	t.Helper()
	if _, err := c.Add(p, q, ""); err != nil {
		t.Fatal(err)
	}
}

func ExampleCart() {
	c := New()
	c.Add(pos.Product{ID: "1", Name: "Хлеб Бородинский", Price: 5500, VAT: pos.VAT10}, pos.QtyOne, "")
	c.Add(pos.Product{ID: "2", Name: "Яблоки Гала", Price: 14900, VAT: pos.VAT10, Unit: pos.UnitKg}, 734, "")
	t := c.Totals()
	fmt.Println("ИТОГО", t.Total, "в т.ч.", t.VAT[0].Rate, t.VAT[0].Tax)
	// Output: ИТОГО 164,37 в т.ч. НДС 10% 14,94
}
