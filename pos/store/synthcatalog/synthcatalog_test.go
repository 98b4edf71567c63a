package synthcatalog_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/pos/store/synthcatalog"
)

// The catalog is a pure function of the index, and common words are common: «Молоко» starts ~3% of the
// names (8 of 257 kinds), which is what makes the search benchmark's «молок…» queries heavy.
func TestCatalogShape(t *testing.T) {
	const n = 20_000
	milk, barcodes := 0, map[string]bool{}
	for i := range n {
		p := synthcatalog.Product(i)
		if !reflect.DeepEqual(p, synthcatalog.Product(i)) || p.ID != synthcatalog.ID(i) || len(p.Barcodes) != 1 {
			t.Fatalf("product %d: %+v", i, p)
		}
		barcodes[p.Barcodes[0]] = true
		if strings.HasPrefix(p.Name, "Молоко ") {
			milk++
		}
	}
	if len(barcodes) != n {
		t.Errorf("%d distinct barcodes of %d", len(barcodes), n)
	}
	if milk < n/50 || milk > n/20 {
		t.Errorf("%d of %d names start with «Молоко»", milk, n)
	}
}

func TestBuild(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := synthcatalog.Build(context.Background(), st, 25_000); err != nil {
		t.Fatal(err)
	}
	p, err := st.ProductByBarcode(synthcatalog.Barcode(24_999))
	if err != nil || p.Name != synthcatalog.Name(24_999) {
		t.Fatalf("last product: %+v, %v", p, err)
	}
	found, err := st.SearchProducts("молок прост", 50)
	if err != nil || len(found) == 0 {
		t.Fatalf("«молок прост»: %d, %v", len(found), err)
	}
	for _, p := range found {
		if name := strings.ToLower(p.Name); !strings.Contains(name, "молок") || !strings.Contains(name, "прост") {
			t.Errorf("«молок прост» found %q", p.Name)
		}
	}
}
