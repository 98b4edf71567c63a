package pgstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/pgstore"
	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
	"github.com/kassa-pos/kassa/sync/hub/storetest"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// open opens a Store on dsn, closed when the test ends.
func open(t testing.TB, dsn string) *pgstore.Store {
	t.Helper()
	st, err := pgstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestStorageSuite runs the suite the bbolt Storage passes; "another instance" is a second Store with its
// own connections on the same database, as a second kassahub process would have.
func TestStorageSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Store, func() storetest.Store) {
		dsn := pgtest.DSN(t)
		st := open(t, dsn)
		return st, func() storetest.Store { return open(t, dsn) }
	})
}

// TestNULRefused: PostgreSQL text cannot hold a NUL character. An event whose id, type, customer or order
// has one is refused with a reason, instead of failing its batch on every retry; the rest of the batch is
// stored.
func TestNULRefused(t *testing.T) {
	st := open(t, pgtest.DSN(t))
	if _, err := st.AddTerminal("s1", "till-1"); err != nil {
		t.Fatal(err)
	}
	ok := wire.Event{ID: "ok", Seq: 1, Type: wire.TypeShiftOpen, Terminal: "till-1", Payload: json.RawMessage(`{"number":1}`)}
	tests := []struct {
		ev   wire.Event
		want string
	}{
		{wire.Event{ID: "a\x00b", Seq: 2, Type: wire.TypeShiftOpen, Payload: json.RawMessage(`{"number":1}`)}, "NUL"},
		{wire.Event{ID: "t1", Seq: 3, Type: "x\x00", Payload: json.RawMessage(`{}`)}, "NUL"},
		{wire.Event{ID: "l1", Seq: 4, Type: wire.TypeLoyaltyAccrual, Payload: json.RawMessage(`{"customer":"c\u0000","points":5}`)}, "NUL"},
		{wire.Event{ID: "h1", Seq: 5, Type: wire.TypePickupHandover, Payload: json.RawMessage(`{"order":"o\u0000"}`)}, "NUL"},
	}
	batch := []hub.Incoming{{Event: ok}}
	for _, tc := range tests {
		batch = append(batch, hub.Incoming{Event: tc.ev})
	}
	res, err := st.Append(context.Background(), hub.Terminal{Store: "s1", Name: "till-1"}, batch, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if res.Events[0].Status != hub.Stored {
		t.Errorf("valid event: %+v", res.Events[0])
	}
	for i, tc := range tests {
		if got := res.Events[i+1]; got.Status != hub.Rejected || !strings.Contains(got.Reason, tc.want) {
			t.Errorf("event %q: %+v, want rejected for %s", tc.ev.ID, got, tc.want)
		}
	}
	if batch[1].Reason != "" {
		t.Error("Append changed the caller's batch")
	}
}
