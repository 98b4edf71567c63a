// Package storetest is the test suite every hub storage runs: the bbolt Storage of sync/hub and the
// PostgreSQL Store of sync/hub/pgstore pass the same cases, so the terminals cannot tell them apart. A
// storage's test calls Run with a Factory; the cases use only the methods of Store.
//
// It also holds the fleet replay (Replay) that the two-instance tests and the benchmarks use: simulated
// terminals sending their outboxes with the real sync client to one or more hub instances.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// Store is what the suite exercises: the hub.Backend a Server serves from and the operations of the
// admin commands.
type Store interface {
	hub.AdminStore
	EventCount() (int, error)
	SeqGaps() (uint64, error)
}

// Factory makes an empty storage for one test, closed when the test ends, and a function that opens
// another instance on the same data, as a second kassahub process would (bbolt, one process per file,
// returns the same Store).
type Factory func(t *testing.T) (st Store, another func() Store)

// Run runs every case of the suite against the storage f makes.
func Run(t *testing.T, f Factory) {
	cases := []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"Terminals", testTerminals},
		{"EnsureTerminal", testEnsureTerminal},
		{"AppendIdempotent", testAppendIdempotent},
		{"AppendRefusedThenFixed", testRefusedThenFixed},
		{"SeqGaps", testSeqGaps},
		{"GenericTypes", testGenericTypes},
		{"Sales", testSales},
		{"ScanEvents", testScanEvents},
		{"CatalogFeed", testCatalogFeed},
		{"FeedCursors", testFeedCursors},
		{"Barcodes", testBarcodes},
		{"Loyalty", testLoyalty},
		{"Pickup", testPickup},
		{"ConcurrentSameBatch", testConcurrentSameBatch},
		{"ConcurrentFeedWriters", testConcurrentFeedWriters},
		{"ConcurrentHandover", testConcurrentHandover},
		{"ConcurrentLoyalty", testConcurrentLoyalty},
		{"TwoServers", testTwoServers},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // every case has its own storage
			c.fn(t, f)
		})
	}
}

var t0 = time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)

// SaleJSON is a valid sale payload of a terminal: two lines, paid in cash.
func SaleJSON(id, terminal string, total int64) json.RawMessage {
	s := wire.Sale{ID: id, Terminal: terminal, Cashier: "Иванова", Shift: 7, CreatedAt: t0, Total: total,
		Payments: []wire.Payment{{Method: "cash", Amount: total}},
		Fiscal:   wire.Fiscal{FDNumber: 163, FiscalSign: 776727275, FNSerial: "9999078900004312", At: t0}}
	s.Lines = []wire.SaleLine{
		{ProductID: "p1", Name: "Хлеб", Price: total - total/3, Qty: 1000, Unit: "pcs", VAT: "10", Sum: total - total/3},
		{ProductID: "p2", Name: "Молоко", Price: total / 3, Qty: 1000, Unit: "pcs", VAT: "10", Sum: total / 3},
	}
	data, _ := json.Marshal(s)
	return data
}

func sale(id string, seq uint64, terminal string) wire.Event {
	return wire.Event{ID: id, Seq: seq, Type: wire.TypeSale, Terminal: terminal, At: t0, Payload: SaleJSON(id, terminal, 150)}
}

func event(id string, seq uint64, typ string, payload any) wire.Event {
	data, _ := json.Marshal(payload)
	return wire.Event{ID: id, Seq: seq, Type: typ, Terminal: "till-1", At: t0, Payload: data}
}

func incoming(evs ...wire.Event) []hub.Incoming {
	out := make([]hub.Incoming, len(evs))
	for i, ev := range evs {
		out[i] = hub.Incoming{Event: ev}
	}
	return out
}

var (
	till1 = hub.Terminal{Store: "s1", Name: "till-1"}
	till2 = hub.Terminal{Store: "s1", Name: "till-2"}
	till9 = hub.Terminal{Store: "s2", Name: "till-9"}
)

// withTerminals makes a store with till-1 and till-2 of s1 and till-9 of s2.
func withTerminals(t *testing.T, f Factory) (Store, func() Store) {
	t.Helper()
	st, another := f(t)
	for _, term := range []hub.Terminal{till1, till2, till9} {
		if _, err := st.AddTerminal(term.Store, term.Name); err != nil {
			t.Fatal(err)
		}
	}
	return st, another
}

func mustAppend(t *testing.T, st Store, term hub.Terminal, in []hub.Incoming) hub.AppendResult {
	t.Helper()
	res, err := st.Append(context.Background(), term, in, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != len(in) {
		t.Fatalf("Append answered %d results for %d events", len(res.Events), len(in))
	}
	return res
}

func statuses(res hub.AppendResult) string {
	out := ""
	for _, e := range res.Events {
		out += [...]string{"S", "D", "R"}[e.Status]
	}
	return out
}

func terminal(t *testing.T, st Store, term hub.Terminal) hub.TerminalInfo {
	t.Helper()
	list, err := st.Terminals()
	if err != nil {
		t.Fatal(err)
	}
	for _, ti := range list {
		if ti.Store == term.Store && ti.Name == term.Name {
			return ti
		}
	}
	t.Fatalf("terminal %v not listed", term)
	return hub.TerminalInfo{}
}

func eventCount(t *testing.T, st Store) int {
	t.Helper()
	n, err := st.EventCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func ids(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d", prefix, i)
	}
	return out
}
