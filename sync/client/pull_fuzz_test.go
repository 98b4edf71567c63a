package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/wire"
)

// pageSeeds are feed pages as the table tests' hubs send them, and pages a broken hub might.
var pageSeeds = []string{
	`{"items":[{"id":"0000001","name":"Молоко","barcodes":["4600000000005"],"price":8990,"vat":"10","unit":"pcs"}],"next":"1","more":false}`,
	`{"items":[{"id":"0000002","name":"Сыр","plu":"12","price":76749,"vat":"20","unit":"kg","age_limit":18}],"deleted":["0000005"],"next":"24","more":true}`,
	`{"items":[{"id":"c1","cards":["2770000000015"],"phone_hash":"ab","name":"Анна П.","balance":700}],"next":"1"}`,
	`{"items":[{"product_id":"0000001","online_price":900,"stock_online":5000,"stock_nearby":[{"store":"s2","name":"ТЦ","qty":3000}],"valid_until":"2026-03-02T09:00:00Z"}],"next":"1"}`,
	`{"items":[{"id":"o1","number":"W-1","status":"ready","total":100,"prepaid":100,"lines":[{"product_id":"0000001","name":"Молоко","price":100,"qty":1000,"vat":"10"}],"ready_at":"2026-03-02T09:00:00Z"}],"next":"1"}`,
	`{"items":[],"next":"","more":true}`,
	`{"items":[{"id":"","price":-1,"vat":"99","unit":"box"}],"next":"2"}`,
	`{"items":null,"deleted":[""],"next":"x"}`,
	`[]`, `null`, `{`, ``,
}

// FuzzPullPage serves the body as every page of every feed to a puller writing to a real store: a hub
// answering garbage or hostile pages ends the round with an error or applies what is valid, never
// panics, and a body that is not JSON moves no cursor.
func FuzzPullPage(f *testing.F) {
	for _, s := range pageSeeds {
		f.Add([]byte(s))
	}
	var (
		mu   sync.Mutex
		body []byte
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := body
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}))
	f.Cleanup(srv.Close)
	_, feeds := storeFeeds(f, f.TempDir())
	p := client.NewPuller(feeds, client.PullConfig{BaseURL: srv.URL, Token: "t", PageSize: 10})
	f.Fuzz(func(t *testing.T, b []byte) {
		mu.Lock()
		body = b
		mu.Unlock()
		before := cursors(t, feeds)
		res, _ := p.PullOnce(context.Background())
		after := cursors(t, feeds)
		for _, r := range res {
			if r.Err == nil && r.Cursor != after[r.Feed] {
				t.Errorf("%s: the round ended at cursor %q, the store holds %q", r.Feed, r.Cursor, after[r.Feed])
			}
			if !json.Valid(b) && after[r.Feed] != before[r.Feed] {
				t.Errorf("%s: a page that is not JSON moved the cursor from %q to %q", r.Feed, before[r.Feed], after[r.Feed])
			}
		}
	})
}

func cursors(t *testing.T, feeds client.Feeds) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, c := range map[string]interface {
		Cursor(context.Context) (string, error)
	}{wire.FeedCatalog: feeds.Catalog, wire.FeedCustomers: feeds.Customers, wire.FeedOffers: feeds.Offers,
		wire.FeedPickupOrders: feeds.PickupOrders} {
		cur, err := c.Cursor(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out[name] = cur
	}
	return out
}
