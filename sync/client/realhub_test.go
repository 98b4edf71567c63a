package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The puller against sync/hub's own feed handlers: the first pull, then a delta with changes and deletions.
func TestPullFromTheRealHub(t *testing.T) {
	ctx := context.Background()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token, err := st.AddTerminal("s1", "till-1")
	if err != nil {
		t.Fatal(err)
	}
	products := make([]wire.Product, 25)
	for i := range products {
		products[i] = wire.Product{ID: fmt.Sprintf("%04d", i), Name: fmt.Sprintf("Товар %d", i),
			Barcodes: []string{fmt.Sprintf("46%011d", i)}, Price: int64(100 + i), VAT: "22", Unit: "pcs"}
	}
	if _, err := st.ImportCatalog(ctx, "s1", products, true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportCatalog(ctx, "s2", products[:3], true); err != nil { // another store's catalog
		t.Fatal(err)
	}
	if _, err := st.ImportOffers(ctx, "s1", []wire.Offer{{ProductID: "0001", OnlinePrice: 90, StockOnline: 7000}}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Cards: []string{"2770000000015"},
		Name: "Анна П.", Balance: 1500}}, true); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(st, hub.Options{}).Handler())
	defer srv.Close()

	local, feeds := storeFeeds(t, t.TempDir())
	p := client.NewPuller(feeds, client.PullConfig{BaseURL: srv.URL, Token: token, PageSize: 10})
	res, err := p.PullOnce(ctx)
	if err != nil {
		t.Fatalf("PullOnce = %+v, %v", res, err)
	}
	if n, _ := local.ProductCount(); n != 25 {
		t.Errorf("%d products, want the store's 25", n)
	}
	if res[0].Pages < 3 {
		t.Errorf("catalog in %d pages, want at least 3 of 10", res[0].Pages)
	}
	if o, err := local.OfferByProduct("0001"); err != nil || o.OnlinePrice != 90 {
		t.Errorf("offer %+v, %v", o, err)
	}
	if c, err := local.CustomerByCard("2770000000015"); err != nil || c.Balance != 1500 {
		t.Errorf("customer %+v, %v", c, err)
	}

	changed := products[4]
	changed.Price, changed.Barcodes = 999, []string{"4699999999999"}
	if _, err := st.ImportCatalog(ctx, "s1", []wire.Product{changed}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteProducts(ctx, "s1", []string{"0007"}); err != nil {
		t.Fatal(err)
	}
	if res, err = p.PullOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := res[0].Items + res[0].Deleted; got != 2 {
		t.Errorf("delta of %d changes (%+v), want 2", got, res[0])
	}
	if p, err := local.ProductByBarcode("4699999999999"); err != nil || p.Price != 999 {
		t.Errorf("changed product %+v, %v", p, err)
	}
	for _, code := range []string{fmt.Sprintf("46%011d", 4), fmt.Sprintf("46%011d", 7)} {
		if _, err := local.ProductByBarcode(code); !errors.Is(err, pos.ErrProductNotFound) {
			t.Errorf("barcode %s of a changed or deleted product: %v", code, err)
		}
	}
	if s := p.Status(); !s.Online {
		t.Errorf("status %+v", s)
	}
}
