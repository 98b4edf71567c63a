package hub_test

import (
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestFindProduct(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	// Milk's second barcode moves to a new product; bread is deleted by a delta.
	if _, err := th.st.ImportCatalog(ctx, "s1", []wire.Product{
		{ID: "100002", Name: "Молоко 3,2%", Barcodes: []string{"4607053470017"}, Price: 10990, VAT: "10", Unit: "pcs"},
		{ID: "100003", Name: "Йогурт", Barcodes: []string{"4601111111119"}, Price: 5499, VAT: "10", Unit: "pcs"},
	}, false); err != nil {
		t.Fatal(err)
	}
	if n, err := th.st.DeleteProducts(ctx, "s1", []string{"100001", "nope"}); n != 1 || err != nil {
		t.Fatalf("DeleteProducts = %d, %v", n, err)
	}
	tests := []struct {
		store, code, want string
	}{
		{"s1", "4607053470017", "100002"},
		{"s1", "4601111111119", "100003"},
		{"s1", "100003", "100003"},
		{"s1", "2000000000015", "200001"},
		{"s1", "4601234567893", ""}, // bread's barcode went with it
		{"s1", "100001", ""},
		{"s2", "4607053470017", ""},
		{"s9", "100002", ""},
	}
	for _, tc := range tests {
		p, err := th.st.FindProduct(ctx, tc.store, tc.code)
		if tc.want == "" {
			if !errors.Is(err, hub.ErrNotFound) {
				t.Errorf("FindProduct(%s, %s) = %+v, %v; want ErrNotFound", tc.store, tc.code, p, err)
			}
			continue
		}
		if err != nil || p.ID != tc.want {
			t.Errorf("FindProduct(%s, %s) = %+v, %v; want %s", tc.store, tc.code, p, err, tc.want)
		}
	}
}

func TestImportRefusals(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	tests := []struct {
		name  string
		store string
		ps    []wire.Product
	}{
		{"bad store", "", []wire.Product{{ID: "1"}}},
		{"empty id", "s1", []wire.Product{{ID: ""}}},
	}
	for _, tc := range tests {
		if _, err := th.st.ImportCatalog(ctx, tc.store, tc.ps, true); err == nil {
			t.Errorf("%s: imported", tc.name)
		}
	}
	stats, err := th.st.ImportOffers(ctx, "s1", []wire.Offer{{ProductID: "1", OnlinePrice: 100, StockHere: 3000}}, true)
	if err != nil || stats.Added != 1 {
		t.Errorf("ImportOffers = %+v, %v", stats, err)
	}
	if p := th.page(t, wire.FeedOffers, "", 10); len(p.Items) != 1 {
		t.Errorf("offers feed %s", mustJSON(p))
	}
}
