package client_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/wire"
)

// change is one entry of a fake feed's change log: an item changed, or an id deleted.
type change[T any] struct {
	item    *T
	deleted string
}

// pageOf answers GET /v1/{feed}?since=&limit= from a change log: the cursor is the log position.
func pageOf[T any](log []change[T], since string, limit int) (wire.Page[T], error) {
	from := 0
	if since != "" {
		var err error
		if from, err = strconv.Atoi(since); err != nil || from < 0 || from > len(log) {
			return wire.Page[T]{}, fmt.Errorf("bad cursor %q", since)
		}
	}
	to := min(from+limit, len(log))
	page := wire.Page[T]{Items: []T{}, Next: strconv.Itoa(to), More: to < len(log)}
	for _, c := range log[from:to] {
		if c.item != nil {
			page.Items = append(page.Items, *c.item)
		} else {
			page.Deleted = append(page.Deleted, c.deleted)
		}
	}
	return page, nil
}

// fakeFeeds is a hub that serves only the feeds, from change logs the test appends to. fault, if set, sees
// every request first (n counts them from 1) and may answer it itself.
type fakeFeeds struct {
	srv   *httptest.Server
	token string

	mu        sync.Mutex
	products  []change[wire.Product]
	customers []change[wire.Customer]
	offers    []change[wire.Offer]
	pickup    []change[wire.PickupOrder]
	asked     map[string][]string // feed -> the since of every request, in order
	n         int
	fault     func(n int, feed, since string, w http.ResponseWriter) bool
}

func newFakeFeeds(t testing.TB) *fakeFeeds {
	f := &fakeFeeds{token: "secret", asked: map[string][]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/{feed}", f.serve)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeFeeds) serve(w http.ResponseWriter, r *http.Request) {
	feed, since := r.PathValue("feed"), r.URL.Query().Get("since")
	f.mu.Lock()
	f.n++
	n, fault := f.n, f.fault
	f.asked[feed] = append(f.asked[feed], since)
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(wire.Error{Error: "unknown token"})
		return
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {
		http.Error(w, `{"error":"bad limit"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	var page any
	switch feed {
	case wire.FeedCatalog:
		page, err = pageOf(f.products, since, limit)
	case wire.FeedCustomers:
		page, err = pageOf(f.customers, since, limit)
	case wire.FeedOffers:
		page, err = pageOf(f.offers, since, limit)
	case wire.FeedPickupOrders:
		page, err = pageOf(f.pickup, since, limit)
	default:
		f.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	f.mu.Unlock()
	if fault != nil && fault(n, feed, since, w) {
		return
	}
	if err != nil {
		http.Error(w, `{"error":"bad cursor"}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(page)
}

func (f *fakeFeeds) setFault(fault func(n int, feed, since string, w http.ResponseWriter) bool) {
	f.mu.Lock()
	f.fault = fault
	f.mu.Unlock()
}

func (f *fakeFeeds) requestsFrom(feed string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asked[feed]...)
}

// addProducts appends n products with ids from first, each with one barcode.
func (f *fakeFeeds) addProducts(first, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := first; i < first+n; i++ {
		p := wire.Product{ID: fmt.Sprintf("%07d", i), Name: fmt.Sprintf("Товар %d", i),
			Barcodes: []string{fmt.Sprintf("46%011d", i)}, Price: int64(1000 + i), VAT: "22", Unit: "pcs"}
		f.products = append(f.products, change[wire.Product]{item: &p})
	}
}

func (f *fakeFeeds) deleteProduct(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.products = append(f.products, change[wire.Product]{deleted: id})
}

func (f *fakeFeeds) config(pageSize int) client.PullConfig {
	return client.PullConfig{BaseURL: f.srv.URL, Token: f.token, PageSize: pageSize}
}

// storeFeeds opens a terminal store and returns it with its four feeds.
func storeFeeds(t testing.TB, dir string) (*store.Store, client.Feeds) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "kassa.db"), store.Options{Terminal: "till-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, client.Feeds{Catalog: st.CatalogFeed(), Customers: st.CustomerFeed(), Offers: st.OfferFeed(),
		PickupOrders: st.PickupFeed()}
}
