package outbox

import (
	"math"
	"slices"
	"testing"

	"go.etcd.io/bbolt"
)

func TestPeekAfter(t *testing.T) {
	db := openDB(t)
	appendN(t, db, 6)
	// Acknowledge 2 and reject 4: the queue is 1 3 5 6.
	err := db.Update(func(tx *bbolt.Tx) error {
		if err := Ack(tx, []string{"ev-002"}); err != nil {
			return err
		}
		return Reject(tx, "ev-004", "bad", t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		after uint64
		max   int
		want  []uint64
	}{
		{0, 0, []uint64{1, 3, 5, 6}},
		{0, 2, []uint64{1, 3}},
		{1, 2, []uint64{3, 5}},
		{2, 0, []uint64{3, 5, 6}},
		{4, 1, []uint64{5}},
		{6, 0, nil},
		{100, 5, nil},
		{math.MaxUint64, 5, nil},
	}
	for _, tt := range tests {
		var got []uint64
		err := db.View(func(tx *bbolt.Tx) error {
			evs, err := PeekAfter(tx, tt.after, tt.max)
			for _, ev := range evs {
				got = append(got, ev.Seq)
			}
			return err
		})
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("PeekAfter(%d, %d) = %v, %v; want %v", tt.after, tt.max, got, err, tt.want)
		}
	}
}
