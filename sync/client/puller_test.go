package client_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestPullAllFeeds(t *testing.T) {
	f := newFakeFeeds(t)
	f.addProducts(1, 23)
	f.deleteProduct("0000005")
	f.customers = []change[wire.Customer]{{item: &wire.Customer{ID: "c1", Cards: []string{"2770000000015"}, PhoneHash: "ab", Name: "Анна П.", Balance: 700}}}
	f.offers = []change[wire.Offer]{{item: &wire.Offer{ProductID: "0000001", OnlinePrice: 900, StockOnline: 5000}}}
	f.pickup = []change[wire.PickupOrder]{{item: &wire.PickupOrder{ID: "o1", Number: "W-1", Status: "ready", Total: 100}}}
	st, feeds := storeFeeds(t, t.TempDir())
	p := client.NewPuller(feeds, f.config(5))
	res, err := p.PullOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []client.FeedResult{
		{Feed: wire.FeedCatalog, Pages: 5, Items: 23, Deleted: 1, Offered: true, Cursor: "24"},
		{Feed: wire.FeedCustomers, Pages: 1, Items: 1, Offered: true, Cursor: "1"},
		{Feed: wire.FeedOffers, Pages: 1, Items: 1, Offered: true, Cursor: "1"},
		{Feed: wire.FeedPickupOrders, Pages: 1, Items: 1, Offered: true, Cursor: "1"},
	}
	for i := range res {
		res[i].Duration = 0
	}
	if !slices.Equal(res, want) {
		t.Errorf("results\n%+v\nwant\n%+v", res, want)
	}
	if n, _ := st.ProductCount(); n != 22 {
		t.Errorf("%d products, want 22", n)
	}
	if _, err := st.ProductByBarcode("4600000000005"); !errors.Is(err, pos.ErrProductNotFound) {
		t.Errorf("deleted product still sells: %v", err)
	}
	if c, err := st.CustomerByCard("2770000000015"); err != nil || c.Balance != 700 {
		t.Errorf("customer %+v, %v", c, err)
	}
	if o, err := st.PickupOrderByNumber("W-1"); err != nil || o.ID != "o1" {
		t.Errorf("pickup order %+v, %v", o, err)
	}
	if s := p.Status(); !s.Online || s.LastSuccess.IsZero() {
		t.Errorf("status %+v, want online", s)
	}

	// A delta: only what changed after the stored cursor is asked for and applied.
	f.addProducts(100, 2)
	if _, err := p.PullOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if asked := f.requestsFrom(wire.FeedCatalog); asked[len(asked)-1] != "24" {
		t.Errorf("delta asked from %q, want 24", asked[len(asked)-1])
	}
	if n, _ := st.ProductCount(); n != 24 {
		t.Errorf("%d products after the delta, want 24", n)
	}
}

// An interrupted pull resumes at the stored cursor: no page is asked for twice once applied, and none is
// skipped.
func TestPullResumesAfterFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault func(w http.ResponseWriter)
	}{
		{"500", func(w http.ResponseWriter) { http.Error(w, `{"error":"db busy"}`, http.StatusInternalServerError) }},
		{"connection reset", func(w http.ResponseWriter) { hijackClose(w) }},
		{"truncated page", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"items":[{"id":"x","name":"y","price":1,"vat":"2`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeFeeds(t)
			f.addProducts(1, 40)
			f.setFault(func(_ int, feed, since string, w http.ResponseWriter) bool {
				if feed == wire.FeedCatalog && since == "20" {
					tt.fault(w)
					return true
				}
				return false
			})
			st, feeds := storeFeeds(t, t.TempDir())
			p := client.NewPuller(client.Feeds{Catalog: feeds.Catalog}, f.config(10))
			if _, err := p.PullOnce(context.Background()); err == nil {
				t.Fatal("PullOnce through the fault succeeded")
			}
			if c, _ := feeds.Catalog.Cursor(context.Background()); c != "20" {
				t.Fatalf("cursor %q after the fault, want 20 (two pages applied)", c)
			}
			// The first pull into an empty store is staged: nothing shows until its last page.
			if n, _ := st.ProductCount(); n != 0 {
				t.Errorf("%d products visible after the fault, want none before the pull ends", n)
			}
			if loading, _ := st.CatalogLoading(); !loading {
				t.Error("the staged first pull is not marked as loading")
			}
			if s := p.Status(); s.Online || s.LastError == "" {
				t.Errorf("status %+v, want offline with the reason", s)
			}
			f.setFault(nil)
			if _, err := p.PullOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			// net/http may itself retry a GET whose connection broke, so "20" can be asked more than twice.
			asked := f.requestsFrom(wire.FeedCatalog)
			resumed := slices.DeleteFunc(slices.Clone(asked[2:]), func(c string) bool { return c == "20" })
			if !slices.Equal(asked[:3], []string{"", "10", "20"}) || !slices.Equal(resumed, []string{"30"}) {
				t.Errorf("cursors asked %q, want \"\", 10, then 20 until it worked, then 30", asked)
			}
			if n, _ := st.ProductCount(); n != 40 {
				t.Errorf("%d products, want 40", n)
			}
		})
	}
}

func TestPullRefusals(t *testing.T) {
	tests := []struct {
		name   string
		prep   func(f *fakeFeeds, cfg *client.PullConfig)
		is     error
		status func(s client.Status) bool
		says   string
	}{
		{
			name: "unknown token",
			prep: func(_ *fakeFeeds, cfg *client.PullConfig) { cfg.Token = "revoked" },
			is:   client.ErrUnauthorized, says: "unknown token",
			status: func(s client.Status) bool { return s.Unauthorized && !s.Online && !s.BadCertificate },
		},
		{
			name: "more without a new cursor",
			prep: func(f *fakeFeeds, _ *client.PullConfig) {
				f.setFault(func(_ int, _, since string, w http.ResponseWriter) bool {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"items":[],"next":"` + since + `","more":true}`))
					return true
				})
			},
			says:   "without moving the cursor",
			status: func(s client.Status) bool { return !s.Online },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeFeeds(t)
			f.addProducts(1, 3)
			cfg := f.config(10)
			tt.prep(f, &cfg)
			_, feeds := storeFeeds(t, t.TempDir())
			p := client.NewPuller(feeds, cfg)
			_, err := p.PullOnce(context.Background())
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("PullOnce = %v, want %v saying %q", err, tt.is, tt.says)
			}
			if s := p.Status(); !tt.status(s) {
				t.Errorf("status %+v", s)
			}
			if n := len(f.requestsFrom(wire.FeedCatalog)); n != 1 {
				t.Errorf("%d catalog requests, want 1: a link failure ends the round", n)
			}
			if n := len(f.requestsFrom(wire.FeedCustomers)); n != 0 {
				t.Errorf("%d customer requests after the link failed, want 0", n)
			}
		})
	}
}

// A page the store refuses stops only its feed; a feed the hub does not serve is no failure at all.
func TestPullFeedProblemsStayLocal(t *testing.T) {
	f := newFakeFeeds(t)
	f.products = []change[wire.Product]{{item: &wire.Product{ID: "1", Name: "?", VAT: "18"}}}
	f.customers = []change[wire.Customer]{{item: &wire.Customer{ID: "c1", Name: "Анна П."}}}
	f.pickup = []change[wire.PickupOrder]{{item: &wire.PickupOrder{ID: "o1", Number: "W-1"}}}
	st, feeds := storeFeeds(t, t.TempDir())
	p := client.NewPuller(feeds, f.config(10))
	f.setFault(func(_ int, feed, _ string, w http.ResponseWriter) bool {
		if feed == wire.FeedOffers {
			http.NotFound(w, nil)
			return true
		}
		return false
	})
	res, err := p.PullOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), `unknown vat rate "18"`) {
		t.Fatalf("PullOnce = %v, want the refused catalog page", err)
	}
	if len(res) != 4 || res[0].Err == nil || res[1].Err != nil || res[2].Offered || res[2].Err != nil || res[3].Items != 1 {
		t.Errorf("results %+v", res)
	}
	if n, _ := st.CustomerCount(); n != 1 {
		t.Errorf("%d customers, want 1: the catalog's problem must not stop the other feeds", n)
	}
	if c, _ := st.CatalogFeed().Cursor(context.Background()); c != "" {
		t.Errorf("catalog cursor %q moved past a refused page", c)
	}
	if s := p.Status(); !s.Online {
		t.Errorf("status %+v: the hub answered every request, the link is fine", s)
	}
}

func TestPullerRunAndSyncNow(t *testing.T) {
	f := newFakeFeeds(t)
	f.addProducts(1, 3)
	st, feeds := storeFeeds(t, t.TempDir())
	cfg := f.config(10)
	cfg.Interval = time.Hour // only SyncNow can start a second round
	p := client.NewPuller(client.Feeds{Catalog: feeds.Catalog}, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	waitFor(t, "the first round", func() bool { n, _ := st.ProductCount(); return n == 3 })
	if err := p.Run(ctx); !errors.Is(err, client.ErrAlreadyRunning) {
		t.Errorf("second Run = %v", err)
	}
	f.addProducts(10, 2)
	p.SyncNow()
	waitFor(t, "the round after SyncNow", func() bool { n, _ := st.ProductCount(); return n == 5 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

func TestCombine(t *testing.T) {
	t1 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Minute)
	ok := client.Status{Online: true, LastSuccess: t1, LastAttempt: t1}
	tests := []struct {
		name  string
		parts []client.Status
		want  client.Status
	}{
		{"nothing tried", []client.Status{{}, {}}, client.Status{}},
		{"one tried", []client.Status{ok, {}}, ok},
		{"both online", []client.Status{ok, {Online: true, LastSuccess: t2, LastAttempt: t2}},
			client.Status{Online: true, LastSuccess: t2, LastAttempt: t2}},
		{"pull fails", []client.Status{ok, {LastAttempt: t2, LastError: "get catalog: EOF"}},
			client.Status{LastSuccess: t1, LastAttempt: t2, LastError: "get catalog: EOF"}},
		{"refused token on one side", []client.Status{{Unauthorized: true, LastAttempt: t1, LastError: "401"}, ok},
			client.Status{Unauthorized: true, LastSuccess: t1, LastAttempt: t1, LastError: "401"}},
		{"bad certificate", []client.Status{{BadCertificate: true, LastAttempt: t2, LastError: "x509"}, {LastAttempt: t1, LastError: "older"}},
			client.Status{BadCertificate: true, LastAttempt: t2, LastError: "x509"}},
	}
	for _, tt := range tests {
		if got := client.Combine(tt.parts...); got != tt.want {
			t.Errorf("%s: Combine = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
