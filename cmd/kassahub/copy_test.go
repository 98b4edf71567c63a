package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/pgstore"
	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
	"github.com/kassa-pos/kassa/sync/wire"
)

// TestCopyToPostgres moves a used bbolt hub to PostgreSQL: the admin commands answer the same on both,
// every feed reads the same with the same cursors, and a terminal carries on with its token and its
// sequence as if nothing had happened.
func TestCopyToPostgres(t *testing.T) {
	data := t.TempDir()
	common := "[customers]\nphone_key = \"" + strings.Repeat("5a", 32) + "\"\n"
	boltCfg := writeConfig(t, common)
	pgCfg := writeConfig(t, common+fmt.Sprintf("[storage]\ndriver = \"postgres\"\ndsn = %q\n", pgtest.DSN(t)))

	token := strings.TrimSpace(runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1"))
	runOK(t, "terminal", "add", "--data", data, "--store", "s2", "--name", "till-9")
	runOK(t, "catalog", "import", "--data", data, "--store", "s1", filepath.Join("testdata", "catalog.csv"))
	runOK(t, "customers", "import", "--config", boltCfg, "--data", data, filepath.Join("testdata", "customers.csv"))
	order := strings.TrimSpace(runOK(t, "pickup", "create", "--config", boltCfg, "--data", data, "--store", "s1", "--number", "W-1",
		"--phone", "+79123456789", "--item", "4601234567893:2"))
	srv := startServe(t, "--config", boltCfg, "--data", data, "--listen", "127.0.0.1:0")
	ev := func(id string, seq uint64, typ string, payload any) wire.Event {
		p, _ := json.Marshal(payload)
		return wire.Event{ID: id, Seq: seq, Type: typ, Terminal: "till-1", At: t0, Payload: p}
	}
	postBatch(t, srv.addr, token, sale("e1", 1, 500, 11), sale("e2", 2, 700, 12),
		ev("l1", 3, wire.TypeLoyaltyAccrual, wire.Loyalty{Customer: "c-1001", Points: 70, Sale: "e2"}),
		ev("h1", 4, wire.TypePickupHandover, wire.PickupHandover{Order: order}),
		ev("x1", 5, wire.TypeLoyaltyAccrual, wire.Loyalty{Customer: "nobody", Points: 1})) // refused, remembered
	srv.stop(t)

	commands := [][]string{
		{"sales"},
		{"terminal", "list"},
		{"loyalty", "ledger"},
		{"report", "--format", "json"},
	}
	before := map[string]string{}
	for _, c := range commands {
		before[strings.Join(c, " ")] = runOK(t, append(c, "--data", data)...)
	}
	out := runOK(t, "copy-to-postgres", "--config", pgCfg, "--from", data)
	if !strings.HasPrefix(out, "copied 2 terminals, 4 events, 1 refused events,") {
		t.Errorf("copy: %q", out)
	}
	for _, c := range commands {
		if after := runOK(t, append(c, "--config", pgCfg)...); after != before[strings.Join(c, " ")] {
			t.Errorf("kassahub %s differs after the copy:\nbbolt:\n%s\npostgres:\n%s", strings.Join(c, " "), before[strings.Join(c, " ")], after)
		}
	}

	bolt, err := hub.OpenReadOnly(dbPath(data))
	if err != nil {
		t.Fatal(err)
	}
	pg, err := pgstore.Open(context.Background(), mustDSN(t, pgCfg))
	if err != nil {
		bolt.Close()
		t.Fatal(err)
	}
	same := func(what string, want, got hub.FeedPage, err error) {
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		if err != nil || string(wj) != string(gj) {
			t.Errorf("%s: postgres %s, %v\nbbolt %s", what, gj, err, wj)
		}
	}
	for _, f := range []struct{ feed, store string }{{wire.FeedCatalog, "s1"}, {wire.FeedCustomers, ""}, {wire.FeedPickupOrders, "s1"}} {
		ctx := context.Background()
		first, err := bolt.Feed(ctx, f.feed, f.store, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pg.Feed(ctx, f.feed, f.store, "", 2)
		same(f.feed+" first page", first, got, err)
		// The cursor the bbolt hub handed out continues at PostgreSQL.
		want, err := bolt.Feed(ctx, f.feed, f.store, first.Next, 1000)
		if err != nil {
			t.Fatal(err)
		}
		got, err = pg.Feed(ctx, f.feed, f.store, first.Next, 1000)
		same(f.feed+" after a bbolt cursor", want, got, err)
	}
	bolt.Close()
	if _, err := pg.Load(context.Background(), func(hub.DumpSink) error { return nil }); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("a second load: %v", err)
	}
	pg.Close()

	// The terminal carries on against PostgreSQL: same token, next seq, no gap; its old id still counts once.
	srv = startServe(t, "--config", pgCfg, "--listen", "127.0.0.1:0")
	res := postBatch(t, srv.addr, token, sale("e2", 2, 700, 12), sale("e3", 5, 900, 13))
	if len(res.Acked) != 2 || len(res.Gaps) != 0 || len(res.Rejected) != 0 {
		t.Errorf("after the move: %+v", res)
	}
	srv.stop(t)
	if n := strings.Count(runOK(t, "sales", "--config", pgCfg), "\n"); n != 3 {
		t.Errorf("%d sales after the move, want 3", n)
	}
}

func mustDSN(t *testing.T, cfgPath string) string {
	t.Helper()
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Storage.dsn()
}
