package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
	"github.com/kassa-pos/kassa/sync/hub/storetest"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestPostgresTwoInstances runs two `kassahub serve` on two loopback ports against one PostgreSQL database
// (the [storage] section of the config) and terminals replaying with the real sync client to both in turn:
// every sale is stored once, each terminal's sequence is whole, a feed cursor of one instance is good at the
// other, and the admin commands work on the same database while the hubs run.
func TestPostgresTwoInstances(t *testing.T) {
	dsn := pgtest.DSN(t)
	cfg := writeConfig(t, fmt.Sprintf("[storage]\ndriver = \"postgres\"\ndsn = %q\n", dsn))
	const terminals, events = 4, 120
	var fleet []storetest.FleetTerminal
	for i := range terminals {
		name := fmt.Sprintf("till-%d", i+1)
		token := strings.TrimSpace(runOK(t, "terminal", "add", "--config", cfg, "--store", "s1", "--name", name))
		fleet = append(fleet, storetest.FleetTerminal{Name: name, Token: token, Events: storetest.SaleOutbox(name, name, events)})
	}
	a := startServe(t, "--config", cfg, "--listen", "127.0.0.1:0")
	b := startServe(t, "--config", cfg, "--listen", "127.0.0.1:0")
	if a.addr == b.addr {
		t.Fatalf("both instances on %s", a.addr)
	}
	// An import while the hubs run: PostgreSQL is not locked by them.
	if out := runOK(t, "catalog", "import", "--config", cfg, "--store", "s1", filepath.Join("testdata", "catalog.csv")); !strings.Contains(out, "added") {
		t.Errorf("catalog import: %q", out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stats, err := storetest.Replay(ctx, []string{a.addr, b.addr}, fleet, 25)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Events != terminals*events {
		t.Errorf("replayed %d events", stats.Events)
	}
	for _, s := range []*served{a, b} {
		if log := s.stderr.String(); !strings.Contains(log, "storage=postgres") || !strings.Contains(log, "msg=request") {
			t.Errorf("instance %s did not serve from postgres:\n%.2000s", s.addr, log)
		}
	}

	out := runOK(t, "sales", "--config", cfg)
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r saleRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("sales line %q: %v", line, err)
		}
		seen[r.EventID]++
	}
	for _, term := range fleet {
		for _, ev := range term.Events {
			if seen[ev.ID] != 1 {
				t.Errorf("sale %s listed %d times", ev.ID, seen[ev.ID])
			}
		}
	}
	if len(seen) != terminals*events {
		t.Errorf("%d sales listed, want %d", len(seen), terminals*events)
	}
	list := runOK(t, "terminal", "list", "--config", cfg)
	for i := range terminals {
		if !strings.Contains(list, fmt.Sprintf("till-%d", i+1)) {
			t.Errorf("terminal list:\n%s", list)
		}
	}
	if strings.Count(list, fmt.Sprintf(" %d ", events)) < terminals {
		t.Errorf("terminal list does not show last seq %d for every terminal:\n%s", events, list)
	}

	// The report reads the events of PostgreSQL like those of bbolt: every replayed sale is a till sale.
	var rep wire.Report
	if err := json.Unmarshal([]byte(runOK(t, "report", "--config", cfg, "--format", "json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Totals) != 1 || rep.Totals[0].TillSales != terminals*events {
		t.Errorf("report totals %+v, want %d till sales", rep.Totals, terminals*events)
	}

	// A cursor handed out by one instance continues at the other.
	first := pullPage(t, a.addr, fleet[0].Token, "", 2)
	rest := pullPage(t, b.addr, fleet[0].Token, first.Next, 1000)
	all := pullPage(t, b.addr, fleet[0].Token, "", 1000)
	if len(first.Items)+len(rest.Items) != len(all.Items) || len(all.Items) == 0 || rest.More {
		t.Errorf("pages %d + %d items, a full pull %d", len(first.Items), len(rest.Items), len(all.Items))
	}
	a.stop(t)
	b.stop(t)
}

func pullPage(t *testing.T, addr, token, since string, limit int) wire.Page[json.RawMessage] {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1/catalog?since=%s&limit=%d", addr, since, limit), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page wire.Page[json.RawMessage]
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET catalog: %d %v", resp.StatusCode, err)
	}
	return page
}

func TestStorageConfig(t *testing.T) {
	tests := []struct {
		text, wantErr string
	}{
		{"[storage]\ndriver = \"bbolt\"\n", ""},
		{"[storage]\ndriver = \"postgres\"\ndsn = \"postgres://kassa@127.0.0.1:1/kassa\"\n", ""},
		{"[storage]\ndriver = \"mysql\"\n", "storage.driver"},
		{"[storage]\ndsn2 = \"x\"\n", "unknown keys"},
	}
	for _, tc := range tests {
		_, err := loadConfig(writeConfig(t, tc.text))
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("config %q: %v, want %q", tc.text, err, tc.wantErr)
		}
	}
	t.Setenv(envDSN, "")
	if msg := runErr(t, "sales", "--config", writeConfig(t, "[storage]\ndriver = \"postgres\"\n")); !strings.Contains(msg, envDSN) {
		t.Errorf("postgres without a dsn: %s", msg)
	}
}

// TestPostgresLoyalty: customers imported with the admin command while a hub serves, loyalty events through
// the hub, the ledger read back by the admin command, all on PostgreSQL.
func TestPostgresLoyalty(t *testing.T) {
	key := strings.Repeat("5a", 32)
	cfg := writeConfig(t, fmt.Sprintf("[storage]\ndriver = \"postgres\"\ndsn = %q\n[customers]\nphone_key = %q\n", pgtest.DSN(t), key))
	token := strings.TrimSpace(runOK(t, "terminal", "add", "--config", cfg, "--store", "s1", "--name", "till-1"))
	srv := startServe(t, "--config", cfg, "--listen", "127.0.0.1:0")
	if out := runOK(t, "customers", "import", "--config", cfg, filepath.Join("testdata", "customers.csv")); out != "customers: 2 added, 0 changed, 0 deleted, 0 unchanged\n" {
		t.Errorf("customers import: %q", out)
	}
	loyalty := func(id string, seq uint64, typ string, points int64) wire.Event {
		p, _ := json.Marshal(wire.Loyalty{Customer: "c-1001", Points: points, Sale: "sale-" + id})
		return wire.Event{ID: id, Seq: seq, Type: typ, Terminal: "till-1", At: t0, Payload: p}
	}
	postBatch(t, srv.addr, token, loyalty("l1", 1, wire.TypeLoyaltyAccrual, 250), loyalty("l2", 2, wire.TypeLoyaltyRedemption, 200000))
	postBatch(t, srv.addr, token, loyalty("l1", 1, wire.TypeLoyaltyAccrual, 250)) // a replay counts once
	srv.stop(t)
	out := runOK(t, "loyalty", "ledger", "--config", cfg, "--customer", "c-1001")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "import") || !strings.Contains(lines[2], "+250") ||
		!strings.Contains(lines[3], "-200000  -49750 (overdraft)") || !strings.Contains(lines[3], "s1/till-1") {
		t.Errorf("ledger:\n%s", out)
	}
}
