package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// TestTimelineMigration checks that events stored before the timeline existed are found by ScanEvents:
// through the full scan of a read-only database, and through the timeline that the next Open builds.
func TestTimelineMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	var batch []Incoming
	for i := range 5 {
		payload, _ := json.Marshal(wire.Analytics{Kind: wire.AnalyticsKioskView, Product: "1"})
		batch = append(batch, Incoming{Event: wire.Event{ID: fmt.Sprint("v", i), Seq: uint64(i + 1), Type: wire.TypeAnalytics,
			Terminal: "k1", At: base.Add(time.Duration(i) * time.Hour), Payload: payload}})
	}
	shift := wire.Event{ID: "sh", Seq: 6, Type: wire.TypeShiftOpen, Terminal: "k1", Payload: json.RawMessage(`{"number":1}`)}
	batch = append(batch, Incoming{Event: shift})
	if _, err := st.Append(ctx, Terminal{Store: "s1", Name: "k1"}, batch, base); err != nil {
		t.Fatal(err)
	}
	// A hub of the previous version had no timeline.
	if err := st.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketTimeline) }); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	scan := func(st *Storage, store string, from, to time.Time, types ...string) []string {
		t.Helper()
		var ids []string
		err := st.ScanEvents(ctx, store, from, to, types, func(e StoredEvent) error {
			ids = append(ids, e.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return ids
	}
	tests := []struct {
		name     string
		store    string
		from, to time.Time
		types    []string
		want     []string
	}{
		{"all analytics", "s1", time.Time{}, time.Time{}, []string{wire.TypeAnalytics}, []string{"v0", "v1", "v2", "v3", "v4"}},
		{"window", "", base.Add(time.Hour), base.Add(3 * time.Hour), []string{wire.TypeAnalytics}, []string{"v1", "v2"}},
		{"shift without at counts at arrival", "s1", base, base.Add(time.Second), []string{wire.TypeShiftOpen, wire.TypeAnalytics}, []string{"sh", "v0"}},
		{"other store", "s2", time.Time{}, time.Time{}, []string{wire.TypeAnalytics}, nil},
	}
	for _, phase := range []struct {
		name string
		open func(string) (*Storage, error)
	}{{"read-only full scan", OpenReadOnly}, {"timeline built at open", Open}} {
		st, err := phase.open(path)
		if err != nil {
			t.Fatal(err)
		}
		hasTimeline := false
		_ = st.db.View(func(tx *bolt.Tx) error { hasTimeline = tx.Bucket(bucketTimeline) != nil; return nil })
		if hasTimeline != (phase.name == "timeline built at open") {
			t.Errorf("%s: timeline present = %v", phase.name, hasTimeline)
		}
		for _, tc := range tests {
			if got := scan(st, tc.store, tc.from, tc.to, tc.types...); !slices.Equal(got, tc.want) {
				t.Errorf("%s, %s: %v, want %v", phase.name, tc.name, got, tc.want)
			}
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), time.Unix(0, 0), time.Unix(0, 1),
		time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i := 1; i < len(times); i++ {
		if timeKey(times[i-1]) > timeKey(times[i]) {
			t.Errorf("timeKey(%v) > timeKey(%v)", times[i-1], times[i])
		}
	}
}
