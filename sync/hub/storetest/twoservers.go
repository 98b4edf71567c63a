package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// ServeLoopback serves b's sync API on a fresh loopback port until the test ends and returns its URL.
func ServeLoopback(t testing.TB, b hub.Backend) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(hub.NewServer(b, hub.Options{}).Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// testTwoServers: two hub servers on two loopback ports over the same data, terminals replaying with the
// real sync client to both in turn. Every sale is stored once, every terminal's sequence is whole, and a
// feed cursor one instance handed out is good at the other.
func testTwoServers(t *testing.T, f Factory) {
	st, another := f(t)
	urls := []string{ServeLoopback(t, st), ServeLoopback(t, another())}
	const terminals, events = 6, 150
	var fleet []FleetTerminal
	for i := range terminals {
		name := fmt.Sprintf("till-%d", i)
		token, err := st.AddTerminal("s1", name)
		if err != nil {
			t.Fatal(err)
		}
		fleet = append(fleet, FleetTerminal{Name: name, Token: token, Events: SaleOutbox(name, name, events)})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stats, err := Replay(ctx, urls, fleet, 20)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Requests < terminals*events/20 {
		t.Errorf("%d requests for %d batches", stats.Requests, terminals*events/20)
	}
	sales, err := st.Sales("s1")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, s := range sales {
		count[s.EventID]++
	}
	for _, term := range fleet {
		for _, ev := range term.Events {
			if count[ev.ID] != 1 {
				t.Errorf("sale %s stored %d times", ev.ID, count[ev.ID])
			}
		}
		ti := terminal(t, st, hub.Terminal{Store: "s1", Name: term.Name})
		if ti.LastSeq != events || ti.Events != events || ti.Gaps != 0 || ti.Rejected != 0 {
			t.Errorf("%s state %+v", term.Name, ti)
		}
	}
	if len(sales) != terminals*events {
		t.Errorf("%d sales stored, want %d", len(sales), terminals*events)
	}

	// A cursor from one instance continues at the other.
	if _, err := st.ImportCatalog(ctx, "s1", []wire.Product{product("p1", 1), product("p2", 2)}, false); err != nil {
		t.Fatal(err)
	}
	first := getPage(t, urls[0], fleet[0].Token, "")
	if _, err := st.ImportCatalog(ctx, "s1", []wire.Product{product("p2", 3), product("p3", 4)}, false); err != nil {
		t.Fatal(err)
	}
	second := getPage(t, urls[1], fleet[0].Token, first.Next)
	if len(first.Items) != 2 || len(second.Items) != 2 {
		t.Errorf("pages of %d and %d items, want 2 and 2", len(first.Items), len(second.Items))
	}
}

func getPage(t *testing.T, url, token, since string) wire.Page[json.RawMessage] {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+"/v1/catalog?since="+since, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page wire.Page[json.RawMessage]
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET catalog: %s", res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	return page
}
