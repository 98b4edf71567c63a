package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

func openStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kassa.db")
	s, err := store.Open(path, store.Options{Terminal: "till-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// applyAll applies pages in order, each from the cursor the store holds.
func applyAll[T any](t *testing.T, f store.Feed[T], pages ...wire.Page[T]) {
	t.Helper()
	ctx := context.Background()
	for i, p := range pages {
		since, err := f.Cursor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Apply(ctx, since, p); err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
	}
}

func TestCatalogFeed(t *testing.T) {
	milk := wire.Product{ID: "1001", Name: "Молоко", Barcodes: []string{"4600000000011", "4600000000028"},
		Price: 8990, VAT: "10", Unit: "pcs"}
	apples := wire.Product{ID: "2001", Name: "Яблоки", PLU: "00042", Price: 14990, VAT: "22", Unit: "kg"}
	tests := []struct {
		name    string
		pages   []wire.Page[wire.Product]
		found   map[string]string // barcode or "plu:"+PLU -> product id
		missing []string          // barcodes or "plu:"+PLU that must not resolve
		count   int
		cursor  string
	}{
		{
			name:  "new products",
			pages: []wire.Page[wire.Product]{{Items: []wire.Product{milk, apples}, Next: "c1"}},
			found: map[string]string{"4600000000011": "1001", "4600000000028": "1001", "plu:00042": "2001"},
			count: 2, cursor: "c1",
		},
		{
			name: "a barcode and the PLU removed by a change",
			pages: []wire.Page[wire.Product]{
				{Items: []wire.Product{milk, apples}, Next: "c1"},
				{Items: []wire.Product{
					{ID: "1001", Name: "Молоко", Barcodes: []string{"4600000000028"}, Price: 9490, VAT: "10"},
					{ID: "2001", Name: "Яблоки", PLU: "00043", Price: 14990, VAT: "22", Unit: "kg"},
				}, Next: "c2"},
			},
			found:   map[string]string{"4600000000028": "1001", "plu:00043": "2001"},
			missing: []string{"4600000000011", "plu:00042"},
			count:   2, cursor: "c2",
		},
		{
			name: "a barcode moved to another product, then the old owner deleted",
			pages: []wire.Page[wire.Product]{
				{Items: []wire.Product{milk}, Next: "c1"},
				{Items: []wire.Product{{ID: "1002", Name: "Молоко 2", Barcodes: []string{"4600000000011"}, Price: 1, VAT: "10"}}, Next: "c2"},
				{Deleted: []string{"1001"}, Next: "c3"},
			},
			found:   map[string]string{"4600000000011": "1002"},
			missing: []string{"4600000000028"},
			count:   1, cursor: "c3",
		},
		{
			name: "deleted twice and an unknown deletion",
			pages: []wire.Page[wire.Product]{
				{Items: []wire.Product{milk, apples}, Next: "c1"},
				{Deleted: []string{"2001", "9999"}, Next: "c2"},
				{Deleted: []string{"2001"}, Next: "c3"},
			},
			found:   map[string]string{"4600000000011": "1001"},
			missing: []string{"plu:00042"},
			count:   1, cursor: "c3",
		},
		{
			name: "an empty next keeps the cursor",
			pages: []wire.Page[wire.Product]{
				{Items: []wire.Product{milk}, Next: "c1"},
				{},
			},
			found: map[string]string{"4600000000011": "1001"},
			count: 1, cursor: "c1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openStore(t)
			f := s.CatalogFeed()
			applyAll(t, f, tt.pages...)
			for code, id := range tt.found {
				p, err := lookupCode(s, code)
				if err != nil || p.ID != id {
					t.Errorf("%s -> %q, %v; want %s", code, p.ID, err, id)
				}
			}
			for _, code := range tt.missing {
				if p, err := lookupCode(s, code); !errors.Is(err, pos.ErrProductNotFound) {
					t.Errorf("%s -> %q, %v; want not found", code, p.ID, err)
				}
			}
			if n, err := s.ProductCount(); err != nil || n != tt.count {
				t.Errorf("ProductCount = %d, %v; want %d", n, err, tt.count)
			}
			if c, err := f.Cursor(context.Background()); err != nil || c != tt.cursor {
				t.Errorf("cursor %q, %v; want %q", c, err, tt.cursor)
			}
		})
	}
}

func lookupCode(s *store.Store, code string) (pos.Product, error) {
	if plu, ok := strings.CutPrefix(code, "plu:"); ok {
		return s.ProductByPLU(plu)
	}
	return s.ProductByBarcode(code)
}

func TestCatalogFeedConverts(t *testing.T) {
	s, _ := openStore(t)
	applyAll(t, s.CatalogFeed(), wire.Page[wire.Product]{Items: []wire.Product{
		{ID: "7", Name: "Сигареты", Barcodes: []string{"4600000000035"}, Price: 21500, VAT: "22/122", Marked: true},
		{ID: "8", Name: "Сыр", PLU: "00100", Price: 89900, VAT: "none", Unit: "kg"},
	}, Next: "x"})
	want := []pos.Product{
		{ID: "7", Name: "Сигареты", Barcodes: []string{"4600000000035"}, Price: 21500, VAT: pos.VAT22_122, Marked: true},
		{ID: "8", Name: "Сыр", PLU: "00100", Price: 89900, VAT: pos.VATNone, Unit: pos.UnitKg},
	}
	got, err := s.ProductsAfter("", 10)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ProductsAfter = %+v, %v\nwant %+v", got, err, want)
	}
	if got, err := s.ProductsAfter("7", 10); err != nil || len(got) != 1 || got[0].ID != "8" {
		t.Errorf("ProductsAfter(7) = %+v, %v", got, err)
	}
}

// A page that cannot be applied leaves no trace: neither its items nor its cursor.
func TestFeedPageIsAtomic(t *testing.T) {
	good := wire.Product{ID: "1", Name: "Хлеб", Barcodes: []string{"4600000000042"}, Price: 5000, VAT: "10"}
	tests := []struct {
		name  string
		since string
		page  wire.Page[wire.Product]
		is    error
	}{
		{"unknown vat", "c1", wire.Page[wire.Product]{Items: []wire.Product{good, {ID: "2", VAT: "18"}}, Next: "c2"}, store.ErrInvalid},
		{"unknown unit", "c1", wire.Page[wire.Product]{Items: []wire.Product{good, {ID: "2", VAT: "20", Unit: "l"}}, Next: "c2"}, store.ErrInvalid},
		{"no id", "c1", wire.Page[wire.Product]{Items: []wire.Product{good, {Name: "?", VAT: "20"}}, Next: "c2"}, store.ErrInvalid},
		{"empty barcode", "c1", wire.Page[wire.Product]{Items: []wire.Product{good, {ID: "2", VAT: "20", Barcodes: []string{""}}}, Next: "c2"}, store.ErrInvalid},
		{"stale cursor", "c0", wire.Page[wire.Product]{Items: []wire.Product{good}, Next: "c2"}, store.ErrCursorMoved},
		// bbolt refuses a key over 32 KB in the middle of the transaction, after the first product was put.
		{"failure inside the transaction", "c1", wire.Page[wire.Product]{Items: []wire.Product{good,
			{ID: "2", VAT: "20", Barcodes: []string{strings.Repeat("9", 40000)}}}, Next: "c2"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openStore(t)
			f := s.CatalogFeed()
			applyAll(t, f, wire.Page[wire.Product]{Next: "c1"})
			err := f.Apply(context.Background(), tt.since, tt.page)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Fatalf("Apply = %v, want an error wrapping %v", err, tt.is)
			}
			if _, err := s.ProductByBarcode("4600000000042"); !errors.Is(err, pos.ErrProductNotFound) {
				t.Errorf("the page's first product was applied: %v", err)
			}
			if c, _ := f.Cursor(context.Background()); c != "c1" {
				t.Errorf("cursor %q after a refused page, want c1", c)
			}
		})
	}
}

// The cursor survives a restart, so a pull resumes where it stopped.
func TestFeedCursorSurvivesReopen(t *testing.T) {
	s, path := openStore(t)
	applyAll(t, s.CustomerFeed(), wire.Page[wire.Customer]{Items: []wire.Customer{{ID: "c1", Name: "Анна П."}}, Next: "42"})
	s.Close()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, f := range []interface {
		Cursor(context.Context) (string, error)
		Name() string
	}{s.CatalogFeed(), s.CustomerFeed(), s.OfferFeed(), s.PickupFeed()} {
		want := ""
		if f.Name() == wire.FeedCustomers {
			want = "42"
		}
		if c, err := f.Cursor(context.Background()); err != nil || c != want {
			t.Errorf("%s cursor %q, %v; want %q", f.Name(), c, err, want)
		}
	}
}
