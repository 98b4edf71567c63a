package hub_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// pullAll pages through a feed from since and returns the live items by id (applying deletions), as a
// terminal would, with the last cursor.
func pullAll(t testing.TB, th *testHub, feed, since string, limit int, state map[string]json.RawMessage) string {
	t.Helper()
	for range 10000 {
		p := th.page(t, feed, since, limit)
		if len(p.Items)+len(p.Deleted) > limit {
			t.Fatalf("page of %d changes over limit %d", len(p.Items)+len(p.Deleted), limit)
		}
		for _, it := range p.Items {
			var head struct {
				ID        string `json:"id"`
				ProductID string `json:"product_id"`
			}
			if err := json.Unmarshal(it, &head); err != nil {
				t.Fatal(err)
			}
			state[head.ID+head.ProductID] = it
		}
		for _, id := range p.Deleted {
			delete(state, id)
		}
		since = p.Next
		if !p.More {
			return since
		}
	}
	t.Fatal("the feed never ended")
	return ""
}

func ids(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestCatalogFeed(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	if st, err := th.st.ImportCatalog(ctx, "s2", []wire.Product{{ID: "900", Name: "Только в s2", Price: 1, VAT: "22", Unit: "pcs"}}, true); err != nil || st.Added != 1 {
		t.Fatalf("import s2: %+v, %v", st, err)
	}
	state := map[string]json.RawMessage{}
	cursor := pullAll(t, th, wire.FeedCatalog, "", 2, state)
	if got := ids(state); !slices.Equal(got, []string{"100001", "100002", "200001"}) {
		t.Fatalf("first pull: %v", got)
	}

	// Nothing changed: an empty page with the same position.
	if p := th.page(t, wire.FeedCatalog, cursor, 10); len(p.Items) != 0 || p.Deleted != nil || p.More || p.Next != cursor {
		t.Errorf("idle page %+v, want empty at %s", p, cursor)
	}

	// A full import that changes a price, drops bananas and adds tea: only those travel.
	stats, err := th.st.ImportCatalog(ctx, "s1", []wire.Product{
		{ID: "100001", Name: "Хлеб Дарницкий", Barcodes: []string{"4601234567893"}, Price: 6490, VAT: "10", Unit: "pcs"},
		{ID: "100002", Name: "Молоко 3,2%", Barcodes: []string{"4607053470017", "4601111111119"}, Price: 10990, VAT: "10", Unit: "pcs"},
		{ID: "300001", Name: "Чай", Price: 25000, VAT: "22", Unit: "pcs"},
	}, true)
	if err != nil || stats != (hub.ImportStats{Added: 1, Changed: 1, Unchanged: 1, Deleted: 1}) {
		t.Fatalf("second import: %+v, %v", stats, err)
	}
	p := th.page(t, wire.FeedCatalog, cursor, 10)
	if len(p.Items) != 2 || !slices.Equal(p.Deleted, []string{"200001"}) || p.More {
		t.Errorf("delta page %s, want bread and tea changed, bananas deleted", mustJSON(p))
	}
	pullAll(t, th, wire.FeedCatalog, cursor, 10, state)
	if got := ids(state); !slices.Equal(got, []string{"100001", "100002", "300001"}) {
		t.Errorf("after the delta: %v", got)
	}
	var bread wire.Product
	if err := json.Unmarshal(state["100001"], &bread); err != nil || bread.Price != 6490 {
		t.Errorf("bread %+v, %v", bread, err)
	}

	// A terminal of s2 sees its own store only.
	rec := th.do("GET", "/v1/catalog", "OTHER", "")
	if !strings.Contains(rec.Body.String(), "Только в s2") || strings.Contains(rec.Body.String(), "Хлеб") {
		t.Errorf("s2 catalog: %s", rec.Body)
	}
}

func TestFeedRequests(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	tests := []struct {
		name, path, auth string
		want             int
		body             string
	}{
		{"default limit", "/v1/catalog", "TOKEN", 200, `"more":false`},
		{"limit 1", "/v1/catalog?limit=1", "TOKEN", 200, `"more":true`},
		{"empty feed", "/v1/offers", "TOKEN", 200, `{"items":[],"next":"`},
		{"pickup feed", "/v1/pickup-orders?since=", "TOKEN", 200, `"items":[]`},
		{"customers", "/v1/customers", "OTHER", 200, `"items":[]`},
		{"limit 0", "/v1/catalog?limit=0", "TOKEN", 400, "limit must be"},
		{"limit huge", "/v1/catalog?limit=10001", "TOKEN", 400, "limit must be"},
		{"limit text", "/v1/catalog?limit=ten", "TOKEN", 400, "limit must be"},
		{"bad cursor", "/v1/catalog?since=42", "TOKEN", 400, "not a cursor"},
		{"bad cursor seq", "/v1/catalog?since=abc.x", "TOKEN", 400, "not a cursor"},
		{"other epoch starts over", "/v1/catalog?since=000000000000.2", "TOKEN", 200, `"id":"100001"`},
		{"cursor ahead starts over", "/v1/catalog?since=EPOCH.999", "TOKEN", 200, `"id":"100001"`},
		{"no token", "/v1/catalog", "", 401, "missing bearer token"},
		{"unknown token", "/v1/catalog", "Bearer 00", 401, "unknown token"},
		{"admin token is no terminal", "/v1/catalog", "ADMIN", 401, "unknown token"},
		{"post", "/v1/catalog", "TOKEN", 405, ""},
		{"unknown feed", "/v1/stock", "TOKEN", 404, ""},
	}
	epoch, _, _ := strings.Cut(th.page(t, wire.FeedCatalog, "", 1).Next, ".")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := "GET"
			if tc.name == "post" {
				method = "POST"
			}
			rec := th.do(method, strings.Replace(tc.path, "EPOCH", epoch, 1), tc.auth, "")
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("%d %s, want %d with %q", rec.Code, rec.Body, tc.want, tc.body)
			}
		})
	}
}

// TestFeedConcurrentWriters pulls while imports change the catalog: a terminal that keeps pulling ends
// with exactly the hub's catalog, because each change's seq is assigned in the transaction that makes it.
func TestFeedConcurrentWriters(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	const products, rounds = 60, 25
	catalog := func(round int) []wire.Product {
		var ps []wire.Product
		for i := range products {
			if (i+round)%7 == 0 { // every round drops a different seventh of the products
				continue
			}
			ps = append(ps, wire.Product{ID: fmt.Sprintf("p%03d", i), Name: "Товар", Price: int64(100 + round), VAT: "22", Unit: "pcs"})
		}
		return ps
	}
	written := make(chan error, 1)
	go func() {
		for r := range rounds {
			if _, err := th.st.ImportCatalog(ctx, "s1", catalog(r), true); err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	state := map[string]json.RawMessage{}
	cursor := ""
	for writing := true; writing; {
		select {
		case err := <-written:
			if err != nil {
				t.Fatal(err)
			}
			writing = false
		default:
		}
		cursor = pullAll(t, th, wire.FeedCatalog, cursor, 7, state)
	}
	cursor = pullAll(t, th, wire.FeedCatalog, cursor, 7, state)
	want := catalog(rounds - 1)
	if len(state) != len(want) {
		t.Fatalf("terminal has %d products, hub %d", len(state), len(want))
	}
	for _, p := range want {
		var got wire.Product
		if err := json.Unmarshal(state[p.ID], &got); err != nil || got.Price != p.Price {
			t.Errorf("product %s: %+v (%v), want price %d", p.ID, got, err, p.Price)
		}
	}
	if p := th.page(t, wire.FeedCatalog, cursor, 100); len(p.Items)+len(p.Deleted) != 0 {
		t.Errorf("changes left after the last pull: %+v", p)
	}
}

func TestCustomersFeedChainWide(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	stats, err := th.st.ImportCustomers(ctx, []hub.CustomerImport{
		{ID: "c1", Cards: []string{"2770000000015"}, PhoneHash: "ab", Name: "Анна П.", Tier: "gold", Balance: 1500},
		{ID: "c2", Name: "Олег С.", Balance: 0},
	}, false)
	if err != nil || stats.Added != 2 {
		t.Fatalf("import: %+v, %v", stats, err)
	}
	for _, auth := range []string{"TOKEN", "OTHER"} {
		rec := th.do("GET", "/v1/customers", auth, "")
		var p wire.Page[wire.Customer]
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || len(p.Items) != 2 || p.Items[0].Balance != 1500 {
			t.Errorf("%s: %s (%v)", auth, rec.Body, err)
		}
	}
}

func mustJSON(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}
