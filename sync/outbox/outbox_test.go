package outbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func openDB(t *testing.T) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "outbox.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Update(Init); err != nil {
		t.Fatal(err)
	}
	return db
}

func event(i int) wire.Event {
	return wire.Event{
		ID: fmt.Sprintf("ev-%03d", i), Type: wire.TypeSale, Terminal: "T1",
		At: t0.Add(time.Duration(i) * time.Minute), Payload: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)),
	}
}

func appendN(t *testing.T, db *bbolt.DB, n int) {
	t.Helper()
	err := db.Update(func(tx *bbolt.Tx) error {
		for i := 1; i <= n; i++ {
			if _, err := Append(tx, event(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func peekIDs(t *testing.T, db *bbolt.DB, max int) (ids []string, seqs []uint64) {
	t.Helper()
	err := db.View(func(tx *bbolt.Tx) error {
		evs, err := Peek(tx, max)
		for _, ev := range evs {
			ids, seqs = append(ids, ev.ID), append(seqs, ev.Seq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, seqs
}

func stats(t *testing.T, db *bbolt.DB) Stats {
	t.Helper()
	var st Stats
	if err := db.View(func(tx *bbolt.Tx) (err error) { st, err = ReadStats(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestAppendPeekOrder(t *testing.T) {
	db := openDB(t)
	appendN(t, db, 300) // more than one page: big-endian keys must keep numeric order
	ids, seqs := peekIDs(t, db, 0)
	if len(ids) != 300 {
		t.Fatalf("peek all: %d events, want 300", len(ids))
	}
	for i, seq := range seqs {
		if seq != uint64(i+1) || ids[i] != event(i+1).ID {
			t.Fatalf("event %d: id %s seq %d", i, ids[i], seq)
		}
	}
	tests := []struct {
		max  int
		want int
	}{{1, 1}, {10, 10}, {300, 300}, {1000, 300}, {-1, 300}}
	for _, tt := range tests {
		if ids, _ := peekIDs(t, db, tt.max); len(ids) != tt.want {
			t.Errorf("Peek(max=%d) = %d events, want %d", tt.max, len(ids), tt.want)
		}
	}
	var got wire.Event
	db.View(func(tx *bbolt.Tx) error { evs, _ := Peek(tx, 1); got = evs[0]; return nil })
	want := event(1)
	want.Seq = 1
	if got.ID != want.ID || got.Seq != 1 || !got.At.Equal(want.At) || string(got.Payload) != string(want.Payload) ||
		got.Terminal != "T1" || got.Type != wire.TypeSale {
		t.Errorf("round trip: got %+v, want %+v", got, want)
	}
}

func TestAppendRefuses(t *testing.T) {
	db := openDB(t)
	appendN(t, db, 1)
	tests := []struct {
		name string
		ev   wire.Event
		want error
	}{
		{"no id", wire.Event{Type: wire.TypeSale}, ErrInvalidEvent},
		{"no type", wire.Event{ID: "x"}, ErrInvalidEvent},
		{"duplicate", event(1), ErrDuplicateID},
	}
	for _, tt := range tests {
		err := db.Update(func(tx *bbolt.Tx) error { _, err := Append(tx, tt.ev); return err })
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestAckIdempotent(t *testing.T) {
	db := openDB(t)
	appendN(t, db, 5)
	for range 2 { // the second round acks ids that are gone: no error, no change
		err := db.Update(func(tx *bbolt.Tx) error { return Ack(tx, []string{"ev-002", "ev-004", "nope"}) })
		if err != nil {
			t.Fatal(err)
		}
		ids, _ := peekIDs(t, db, 0)
		if want := []string{"ev-001", "ev-003", "ev-005"}; !slices.Equal(ids, want) {
			t.Fatalf("after ack: %v, want %v", ids, want)
		}
	}
	st := stats(t, db)
	if st.Unsent != 3 || !st.Oldest.Equal(event(1).At) || st.DeadLetters != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestRejectAndRetry(t *testing.T) {
	db := openDB(t)
	appendN(t, db, 3)
	at := t0.Add(time.Hour)
	if err := db.Update(func(tx *bbolt.Tx) error { return Reject(tx, "ev-001", "bad total", at) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error { return Reject(tx, "missing", "x", at) }); !errors.Is(err, ErrUnknownEvent) {
		t.Errorf("reject unknown: %v", err)
	}
	st := stats(t, db)
	if st.Unsent != 2 || st.DeadLetters != 1 || !st.Oldest.Equal(event(2).At) {
		t.Errorf("stats after reject %+v", st)
	}
	var dead []DeadLetter
	db.View(func(tx *bbolt.Tx) (err error) { dead, err = DeadLetters(tx); return err })
	if len(dead) != 1 || dead[0].Event.ID != "ev-001" || dead[0].Reason != "bad total" || !dead[0].Rejected.Equal(at) ||
		string(dead[0].Event.Payload) != `{"n":1}` {
		t.Fatalf("dead letters %+v", dead)
	}
	// A dead letter cannot be appended again under the same id.
	if err := db.Update(func(tx *bbolt.Tx) error { _, err := Append(tx, event(1)); return err }); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("append over dead letter: %v", err)
	}
	var retried wire.Event
	if err := db.Update(func(tx *bbolt.Tx) (err error) { retried, err = Retry(tx, "ev-001"); return err }); err != nil {
		t.Fatal(err)
	}
	if retried.Seq != 4 {
		t.Errorf("retried seq %d, want 4 (end of queue)", retried.Seq)
	}
	ids, seqs := peekIDs(t, db, 0)
	if want := []string{"ev-002", "ev-003", "ev-001"}; !slices.Equal(ids, want) || !slices.Equal(seqs, []uint64{2, 3, 4}) {
		t.Errorf("after retry: %v %v", ids, seqs)
	}
	if err := db.Update(func(tx *bbolt.Tx) error { _, err := Retry(tx, "ev-001"); return err }); !errors.Is(err, ErrUnknownEvent) {
		t.Errorf("retry twice: %v", err)
	}
	if st := stats(t, db); st.DeadLetters != 0 || st.Unsent != 3 {
		t.Errorf("stats after retry %+v", st)
	}
}

func TestNotInitialised(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "empty.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	calls := map[string]func(tx *bbolt.Tx) error{
		"append": func(tx *bbolt.Tx) error { _, err := Append(tx, event(1)); return err },
		"peek":   func(tx *bbolt.Tx) error { _, err := Peek(tx, 1); return err },
		"ack":    func(tx *bbolt.Tx) error { return Ack(tx, []string{"a"}) },
		"reject": func(tx *bbolt.Tx) error { return Reject(tx, "a", "r", t0) },
		"dead":   func(tx *bbolt.Tx) error { _, err := DeadLetters(tx); return err },
		"retry":  func(tx *bbolt.Tx) error { _, err := Retry(tx, "a"); return err },
		"stats":  func(tx *bbolt.Tx) error { _, err := ReadStats(tx); return err },
	}
	for name, fn := range calls {
		if err := db.View(fn); !errors.Is(err, ErrNotInitialised) {
			t.Errorf("%s: %v, want ErrNotInitialised", name, err)
		}
	}
}

func TestCopiedOutOfTransaction(t *testing.T) {
	db := openDB(t)
	appendN(t, db, 50)
	var evs []wire.Event
	db.View(func(tx *bbolt.Tx) (err error) { evs, err = Peek(tx, 0); return err })
	// Rewriting the pages after the read must not change what was returned.
	db.Update(func(tx *bbolt.Tx) error {
		ids := make([]string, 0, 50)
		for _, ev := range evs {
			ids = append(ids, ev.ID)
		}
		return Ack(tx, ids)
	})
	appendN2 := func() {
		db.Update(func(tx *bbolt.Tx) error {
			for i := 100; i < 150; i++ {
				ev := event(i)
				ev.Payload = json.RawMessage(`{"overwritten":true}`)
				if _, err := Append(tx, ev); err != nil {
					return err
				}
			}
			return nil
		})
	}
	appendN2()
	for i, ev := range evs {
		if want := fmt.Sprintf(`{"n":%d}`, i+1); string(ev.Payload) != want {
			t.Fatalf("event %d payload %s, want %s", i, ev.Payload, want)
		}
	}
}
