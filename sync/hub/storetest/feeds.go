package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func product(id string, price int64, barcodes ...string) wire.Product {
	return wire.Product{ID: id, Name: "Товар " + id, Price: price, VAT: "20", Unit: "pcs", Barcodes: barcodes}
}

// pull reads a feed from cursor to its end in pages of limit and returns the live items by id, the
// deleted ids and the last cursor.
func pull(t *testing.T, st Store, feed, store, cursor string, limit int) (map[string]json.RawMessage, []string, string) {
	t.Helper()
	items := map[string]json.RawMessage{}
	var deleted []string
	for range 10000 {
		page, err := st.Feed(context.Background(), feed, store, cursor, limit)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			var head struct {
				ID        string `json:"id"`
				ProductID string `json:"product_id"`
			}
			if err := json.Unmarshal(it, &head); err != nil {
				t.Fatal(err)
			}
			items[head.ID+head.ProductID] = it
		}
		deleted = append(deleted, page.Deleted...)
		if page.Next == "" {
			t.Fatal("page without a next cursor")
		}
		cursor = page.Next
		if !page.More {
			return items, deleted, cursor
		}
	}
	t.Fatal("feed never ends")
	return nil, nil, ""
}

func testCatalogFeed(t *testing.T, f Factory) {
	st, _ := f(t)
	ctx := context.Background()
	steps := []struct {
		products []wire.Product
		full     bool
		want     hub.ImportStats
		pulled   string // ids in the delta since the previous step
		deleted  string
	}{
		{[]wire.Product{product("p1", 100, "460001"), product("p2", 200), product("p3", 300)}, false,
			hub.ImportStats{Added: 3}, "p1 p2 p3", ""},
		{[]wire.Product{product("p1", 100, "460001"), product("p2", 250)}, false,
			hub.ImportStats{Changed: 1, Unchanged: 1}, "p2", ""},
		{[]wire.Product{product("p1", 100, "460001"), product("p4", 400)}, true,
			hub.ImportStats{Added: 1, Unchanged: 1, Deleted: 2}, "p4", "p2 p3"},
		{[]wire.Product{product("p1", 100, "460001")}, false, hub.ImportStats{Unchanged: 1}, "", ""},
	}
	cursor := ""
	for i, s := range steps {
		stats, err := st.ImportCatalog(ctx, "s1", s.products, s.full)
		if err != nil || stats != s.want {
			t.Errorf("step %d: import = %+v, %v; want %+v", i, stats, err, s.want)
		}
		items, deleted, next := pull(t, st, wire.FeedCatalog, "s1", cursor, 1000)
		cursor = next
		if got := sortedKeys(items); got != s.pulled {
			t.Errorf("step %d: delta items %q, want %q", i, got, s.pulled)
		}
		if got := sorted(deleted); got != s.deleted {
			t.Errorf("step %d: delta deleted %q, want %q", i, got, s.deleted)
		}
	}
	// From the start: the live products and the tombstones, each once.
	items, deleted, _ := pull(t, st, wire.FeedCatalog, "s1", "", 1)
	if sortedKeys(items) != "p1 p4" || sorted(deleted) != "p2 p3" {
		t.Errorf("full pull: %q, deleted %q", sortedKeys(items), sorted(deleted))
	}
	var p wire.Product
	if err := json.Unmarshal(items["p1"], &p); err != nil || p.Price != 100 || p.Barcodes[0] != "460001" {
		t.Errorf("p1 = %+v, %v", p, err)
	}
	// Other stores and feeds are separate.
	if items, _, _ := pull(t, st, wire.FeedCatalog, "s2", "", 10); len(items) != 0 {
		t.Errorf("store s2 sees %v", sortedKeys(items))
	}
	if _, err := st.ImportCatalog(ctx, "", []wire.Product{product("x", 1)}, false); !errors.Is(err, hub.ErrBadName) {
		t.Errorf("import without a store: %v", err)
	}
	// Offers, and deleting products deletes their offers.
	if stats, err := st.ImportOffers(ctx, "s1", []wire.Offer{{ProductID: "p1", OnlinePrice: 90}, {ProductID: "p4", OnlinePrice: 390}}, false); err != nil || stats.Added != 2 {
		t.Fatalf("offers import = %+v, %v", stats, err)
	}
	if o, ok, err := st.FindOffer(ctx, "s1", "p1"); err != nil || !ok || o.OnlinePrice != 90 {
		t.Errorf("FindOffer = %+v, %v, %v", o, ok, err)
	}
	n, err := st.DeleteProducts(ctx, "s1", []string{"p1", "p2", "nope"})
	if err != nil || n != 1 {
		t.Errorf("DeleteProducts = %d, %v; want 1 live", n, err)
	}
	if _, ok, err := st.FindOffer(ctx, "s1", "p1"); err != nil || ok {
		t.Errorf("offer of a deleted product: %v, %v", ok, err)
	}
	if _, err := st.FindProduct(ctx, "s1", "460001"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("barcode of a deleted product: %v", err)
	}
	offers, odel, _ := pull(t, st, wire.FeedOffers, "s1", "", 10)
	if sortedKeys(offers) != "p4" || sorted(odel) != "p1" {
		t.Errorf("offers feed %q, deleted %q", sortedKeys(offers), sorted(odel))
	}
}

func testFeedCursors(t *testing.T, f Factory) {
	st, _ := f(t)
	ctx := context.Background()
	if _, err := st.Feed(ctx, "nope", "s1", "", 10); !errors.Is(err, hub.ErrUnknownFeed) {
		t.Errorf("unknown feed: %v", err)
	}
	empty, err := st.Feed(ctx, wire.FeedCatalog, "s1", "", 10)
	if err != nil || len(empty.Items) != 0 || empty.Items == nil || empty.More || empty.Next == "" {
		t.Errorf("empty feed = %+v, %v", empty, err)
	}
	var products []wire.Product
	for i := range 25 {
		products = append(products, product(fmt.Sprintf("p%02d", i), int64(i)))
	}
	if _, err := st.ImportCatalog(ctx, "s1", products, false); err != nil {
		t.Fatal(err)
	}
	first, err := st.Feed(ctx, wire.FeedCatalog, "s1", "", 10)
	if err != nil || len(first.Items) != 10 || !first.More {
		t.Fatalf("first page: %d items, more %v, %v", len(first.Items), first.More, err)
	}
	epoch, _, _ := strings.Cut(first.Next, ".")
	tests := []struct {
		name, cursor string
		wantItems    int
		wantErr      error
	}{
		{"start", "", 25, nil},
		{"after the first page", first.Next, 15, nil},
		{"another database's cursor starts over", "0000feedbeef.3", 25, nil},
		{"a cursor ahead of the feed starts over", epoch + ".999999", 25, nil},
		{"garbage", "garbage", 0, hub.ErrBadCursor},
		{"no number", epoch + ".x", 0, hub.ErrBadCursor},
		{"no epoch", ".5", 0, hub.ErrBadCursor},
	}
	for _, tc := range tests {
		page, err := st.Feed(ctx, wire.FeedCatalog, "s1", tc.cursor, 100)
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.wantErr)
			continue
		}
		if err == nil && len(page.Items) != tc.wantItems {
			t.Errorf("%s: %d items, want %d", tc.name, len(page.Items), tc.wantItems)
		}
	}
	// The end cursor of a complete pull gives nothing new; a change after it gives just that change.
	_, _, end := pull(t, st, wire.FeedCatalog, "s1", "", 7)
	if page, err := st.Feed(ctx, wire.FeedCatalog, "s1", end, 10); err != nil || len(page.Items) != 0 || page.Next != end {
		t.Errorf("at the end: %+v, %v", page, err)
	}
	if _, err := st.ImportCatalog(ctx, "s1", []wire.Product{product("p03", 333)}, false); err != nil {
		t.Fatal(err)
	}
	if items, _, _ := pull(t, st, wire.FeedCatalog, "s1", end, 10); sortedKeys(items) != "p03" {
		t.Errorf("after a change: %q", sortedKeys(items))
	}
}

func testBarcodes(t *testing.T, f Factory) {
	st, _ := f(t)
	ctx := context.Background()
	imports := [][]wire.Product{
		{product("p1", 1, "111", "112"), product("p2", 2, "222")},
		{product("p1", 1, "111"), product("p2", 2, "222", "112")}, // 112 moves to p2
		{product("p1", 1, "333"), product("p1", 1, "111")},        // listed twice: the last wins
	}
	for _, list := range imports {
		if _, err := st.ImportCatalog(ctx, "s1", list, false); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		store, code, want string
	}{
		{"s1", "111", "p1"},
		{"s1", "112", "p2"},
		{"s1", "222", "p2"},
		{"s1", "333", ""}, // left behind by the second listing of p1
		{"s1", "p1", "p1"},
		{"s1", "nope", ""},
		{"s2", "111", ""},
	}
	for _, tc := range tests {
		p, err := st.FindProduct(ctx, tc.store, tc.code)
		switch {
		case tc.want == "" && !errors.Is(err, hub.ErrNotFound):
			t.Errorf("FindProduct(%s, %s) = %+v, %v; want ErrNotFound", tc.store, tc.code, p, err)
		case tc.want != "" && (err != nil || p.ID != tc.want):
			t.Errorf("FindProduct(%s, %s) = %+v, %v; want %s", tc.store, tc.code, p, err, tc.want)
		}
	}
}

func sortedKeys(m map[string]json.RawMessage) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return sorted(keys)
}

func sorted(list []string) string {
	out := append([]string(nil), list...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return strings.Join(out, " ")
}
