package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The first pull into an empty catalog is staged and shows up whole with its last page.
func TestCatalogBulkLoad(t *testing.T) {
	s, path := openStore(t)
	f := s.CatalogFeed()
	p := func(id, code string, price int64) wire.Product {
		return wire.Product{ID: id, Name: "Товар " + id, Barcodes: []string{code}, Price: price, VAT: "20"}
	}
	applyAll(t, f, wire.Page[wire.Product]{Items: []wire.Product{p("3", "4600000000301", 300), p("1", "4600000000103", 100)}, Next: "1", More: true})
	if n, _ := s.ProductCount(); n != 0 {
		t.Errorf("%d products visible in the middle of the first pull", n)
	}
	if loading, err := s.CatalogLoading(); err != nil || !loading {
		t.Errorf("CatalogLoading = %v, %v; want true", loading, err)
	}
	// The pull is interrupted: the program restarts and resumes from the stored cursor.
	s.Close()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f = s.CatalogFeed()
	moved := p("2", "4600000000301", 250) // takes product 3's barcode
	moved.PLU = "00042"
	applyAll(t, f,
		wire.Page[wire.Product]{Items: []wire.Product{moved, p("1", "4600000000110", 110)}, Next: "2", More: true},
		wire.Page[wire.Product]{Items: []wire.Product{p("4", "4600000000400", 400)}, Deleted: []string{"3", "9"}, Next: "3"})
	if loading, _ := s.CatalogLoading(); loading {
		t.Error("still loading after the last page")
	}
	got, err := s.ProductsAfter("", 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	if fmt.Sprint(ids) != "[1 2 4]" {
		t.Errorf("products %v, want [1 2 4]", ids)
	}
	for code, want := range map[string]string{"4600000000110": "1", "4600000000301": "2", "4600000000400": "4", "plu:00042": "2"} {
		if p, err := lookupCode(s, code); err != nil || p.ID != want {
			t.Errorf("%s -> %q, %v; want %s", code, p.ID, err, want)
		}
	}
	if _, err := s.ProductByBarcode("4600000000103"); !errors.Is(err, pos.ErrProductNotFound) {
		t.Errorf("product 1's old barcode: %v", err)
	}
	if p, _ := s.ProductByID("1"); p.Price != 110 {
		t.Errorf("product 1 costs %d, want its last price 110", p.Price)
	}
}

// A bulk load and a direct apply of the same pages end in the same catalog.
func TestCatalogBulkMatchesDirect(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var pages []wire.Page[wire.Product]
		for pg := range 1 + rng.IntN(6) {
			var page wire.Page[wire.Product]
			for range rng.IntN(12) {
				id := fmt.Sprint(rng.IntN(15))
				if rng.IntN(5) == 0 {
					page.Deleted = append(page.Deleted, id)
					continue
				}
				w := wire.Product{ID: id, Name: "Товар " + id, Price: int64(rng.IntN(1000)), VAT: "10"}
				for range rng.IntN(3) {
					w.Barcodes = append(w.Barcodes, fmt.Sprintf("46%011d", rng.IntN(20)))
				}
				if rng.IntN(4) == 0 {
					w.PLU, w.Unit = fmt.Sprintf("%05d", rng.IntN(6)), "kg"
				}
				page.Items = append(page.Items, w)
			}
			page.Next = fmt.Sprint(pg + 1)
			pages = append(pages, page)
		}
		for i := range pages {
			pages[i].More = i < len(pages)-1
		}
		bulk, _ := openStore(t)
		applyAll(t, bulk.CatalogFeed(), pages...)
		direct, _ := openStore(t)
		// A product already there makes the first pull a direct apply; it sorts after every pulled id.
		if err := direct.PutProducts([]pos.Product{{ID: "zz", Name: "уже был", VAT: pos.VAT10}}); err != nil {
			t.Fatal(err)
		}
		applyAll(t, direct.CatalogFeed(), pages...)
		want, _ := direct.ProductsAfter("", 100)
		want = want[:len(want)-1] // without zz
		got, _ := bulk.ProductsAfter("", 100)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: bulk %+v\ndirect %+v", seed, got, want)
		}
		// A direct apply drops a code from the index when the article that took it last lets it go, even if
		// an earlier owner still lists it; the bulk load, built from the final records, keeps that owner.
		// Where the direct apply finds an article, the bulk load must find the same one.
		for i := range 20 {
			code := fmt.Sprintf("46%011d", i)
			compareLookup(t, seed, code, bulk.ProductByBarcode, direct.ProductByBarcode,
				func(p pos.Product) bool { return slices.Contains(p.Barcodes, code) })
		}
		for i := range 6 {
			plu := fmt.Sprintf("%05d", i)
			compareLookup(t, seed, plu, bulk.ProductByPLU, direct.ProductByPLU,
				func(p pos.Product) bool { return p.PLU == plu })
		}
	}
}

func compareLookup(t *testing.T, seed uint64, code string, bulk, direct func(string) (pos.Product, error),
	lists func(pos.Product) bool) {
	t.Helper()
	b, berr := bulk(code)
	d, derr := direct(code)
	switch {
	case derr == nil && (berr != nil || b.ID != d.ID):
		t.Errorf("seed %d: %s -> bulk %q %v, direct %q", seed, code, b.ID, berr, d.ID)
	case berr == nil && !lists(b):
		t.Errorf("seed %d: %s -> %q, which does not list it", seed, code, b.ID)
	case berr != nil && !errors.Is(berr, pos.ErrProductNotFound):
		t.Errorf("seed %d: %s: %v", seed, code, berr)
	}
}

// Products written locally while a first pull runs are updated the usual way when it ends.
func TestCatalogBulkMeetsLocalProducts(t *testing.T) {
	s, _ := openStore(t)
	f := s.CatalogFeed()
	applyAll(t, f, wire.Page[wire.Product]{Items: []wire.Product{{ID: "1", Name: "A", Barcodes: []string{"111"}, VAT: "10"}}, Next: "1", More: true})
	if err := s.PutProducts([]pos.Product{
		{ID: "1", Name: "A local", Barcodes: []string{"999"}, VAT: pos.VAT10},
		{ID: "2", Name: "B local", Barcodes: []string{"222"}, VAT: pos.VAT10},
	}); err != nil {
		t.Fatal(err)
	}
	applyAll(t, f, wire.Page[wire.Product]{Deleted: []string{"2"}, Next: "2"})
	if p, err := s.ProductByBarcode("111"); err != nil || p.Name != "A" {
		t.Errorf("pulled product: %+v, %v", p, err)
	}
	for _, code := range []string{"999", "222"} {
		if _, err := s.ProductByBarcode(code); !errors.Is(err, pos.ErrProductNotFound) {
			t.Errorf("barcode %s of a replaced or deleted product: %v", code, err)
		}
	}
	if c, _ := f.Cursor(context.Background()); c != "2" {
		t.Errorf("cursor %q", c)
	}
}
