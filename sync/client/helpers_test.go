package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// memQueue is an in-memory outbox with a dead-letter bucket.
type memQueue struct {
	mu       sync.Mutex
	pending  []wire.Event
	ackCalls map[string]int
	dead     map[string]string
}

func newMemQueue(events ...wire.Event) *memQueue {
	return &memQueue{pending: append([]wire.Event(nil), events...), ackCalls: map[string]int{}, dead: map[string]string{}}
}

func (q *memQueue) PeekEventsAfter(_ context.Context, after uint64, max int) ([]wire.Event, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []wire.Event
	for _, ev := range q.pending {
		if ev.Seq > after && len(out) < max {
			out = append(out, ev)
		}
	}
	return out, nil
}

func (q *memQueue) AckEvents(_ context.Context, ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range ids {
		q.ackCalls[id]++
		q.remove(id)
	}
	return nil
}

func (q *memQueue) RejectEvent(_ context.Context, id, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.remove(id) {
		q.dead[id] = reason
	}
	return nil
}

func (q *memQueue) remove(id string) bool {
	for i, ev := range q.pending {
		if ev.ID == id {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
			return true
		}
	}
	return false
}

func (q *memQueue) add(evs ...wire.Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, evs...)
}

func (q *memQueue) depth() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

var t0 = time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)

// saleEvent is a sale of till-1 with the given seq, total and line sums.
func saleEvent(seq int, total int64, sums ...int64) wire.Event {
	id := fmt.Sprintf("ev-%04d", seq)
	s := wire.Sale{ID: id, Terminal: "till-1", Cashier: "Петров", Shift: 1, CreatedAt: t0, Total: total,
		Payments: []wire.Payment{{Method: "card", Amount: total}},
		Fiscal:   wire.Fiscal{FDNumber: uint32(seq), FiscalSign: 1000 + uint32(seq), FNSerial: "9999078900004312", At: t0}}
	for i, sum := range sums {
		s.Lines = append(s.Lines, wire.SaleLine{ProductID: fmt.Sprint(i), Name: "Молоко", Price: sum, Qty: 1000,
			Unit: "pcs", VAT: "10", Sum: sum})
	}
	payload, _ := json.Marshal(s)
	return wire.Event{ID: id, Seq: uint64(seq), Type: wire.TypeSale, Terminal: "till-1", At: t0, Payload: payload}
}

func saleEvents(n int) []wire.Event {
	out := make([]wire.Event, n)
	for i := range out {
		out[i] = saleEvent(i+1, 8990, 4990, 4000)
	}
	return out
}

// testHub is the real hub handler behind an httptest server; before, if set, sees each request first and
// may answer it itself (returning true).
type testHub struct {
	st       *hub.Storage
	srv      *httptest.Server
	token    string
	requests atomic.Int64
	before   func(n int64, w http.ResponseWriter, r *http.Request, h http.Handler) bool
}

func newTestHub(t *testing.T, before func(n int64, w http.ResponseWriter, r *http.Request, h http.Handler) bool) *testHub {
	t.Helper()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	token, err := st.AddTerminal("s1", "till-1")
	if err != nil {
		t.Fatal(err)
	}
	th := &testHub{st: st, token: token, before: before}
	h := hub.NewServer(st, hub.Options{}).Handler()
	th.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := th.requests.Add(1)
		if th.before != nil && th.before(n, w, r, h) {
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		th.srv.Close()
		st.Close()
	})
	return th
}

// fastConfig is a Config with test-sized intervals.
func (th *testHub) fastConfig() client.Config {
	return client.Config{BaseURL: th.srv.URL, Token: th.token, BatchSize: 10, IdlePoll: 10 * time.Millisecond,
		InitialInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond, UnauthorizedInterval: time.Hour}
}

// start runs r until the test ends and checks that Run stops with the context's error.
func start(t *testing.T, r *client.Replayer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	})
}

// waitFor polls cond until it holds; it fails the test if that takes unreasonably long (a hang, not a
// speed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// checkDelivered asserts that every event of want reached the hub once, in order, and was acked once, and
// that the hub saw wantGaps seq gaps (a rejected event leaves one).
func checkDelivered(t *testing.T, th *testHub, q *memQueue, want []wire.Event, wantGaps uint64) {
	t.Helper()
	sales, err := th.st.Sales("s1")
	if err != nil {
		t.Fatal(err)
	}
	if len(sales) != len(want) {
		t.Fatalf("hub holds %d sales, want %d", len(sales), len(want))
	}
	for i, s := range sales {
		if s.EventID != want[i].ID {
			t.Fatalf("sale %d is %s, want %s (out of order)", i, s.EventID, want[i].ID)
		}
	}
	if n, _ := th.st.EventCount(); n != len(want) {
		t.Errorf("hub EventCount = %d, want %d", n, len(want))
	}
	if gaps, _ := th.st.SeqGaps(); gaps != wantGaps {
		t.Errorf("hub saw %d seq gaps, want %d", gaps, wantGaps)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, ev := range want {
		if q.ackCalls[ev.ID] != 1 {
			t.Errorf("%s acked %d times, want once", ev.ID, q.ackCalls[ev.ID])
		}
	}
}
