package hub_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := hub.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	restore := hub.SetLockTimeout(10 * time.Millisecond)
	defer restore()
	_, err = hub.Open(path)
	if !errors.Is(err, hub.ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Open: %v, want ErrLocked naming the file", err)
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	if _, err := hub.OpenReadOnly(filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Fatal("OpenReadOnly of a missing file succeeded")
	}
}

func TestSalesByStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := hub.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, store := range []string{"s2", "s1"} {
		if _, err := st.AddTerminal(store, "till-1"); err != nil {
			t.Fatal(err)
		}
	}
	evs := saleEvents(3)
	evs = append(evs, wire.Event{ID: "sh", Seq: 4, Type: wire.TypeShiftClose, Terminal: "till-1", Payload: []byte(shiftClose)})
	if _, err := st.Append(ctx, hub.Terminal{Store: "s1", Name: "till-1"}, incoming(evs[:2]), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Append(ctx, hub.Terminal{Store: "s2", Name: "till-1"}, incoming(evs[2:]), t0); err != nil {
		t.Fatal(err)
	}
	st.Close()

	ro, err := hub.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	tests := []struct {
		store string
		want  []string
	}{
		{"s1", []string{"e1", "e2"}},
		{"s2", []string{"e3"}},
		{"", []string{"e1", "e2", "e3"}},
		{"s9", nil},
	}
	for _, tc := range tests {
		sales, err := ro.Sales(tc.store)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range sales {
			ids = append(ids, s.EventID)
			if s.Sale.Total != 150 || s.Terminal != "till-1" || !s.Received.Equal(t0) {
				t.Errorf("sale %+v", s)
			}
		}
		if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
			t.Errorf("Sales(%q) = %v, want %v", tc.store, ids, tc.want)
		}
	}
	if n, err := ro.EventCount(); n != 4 || err != nil {
		t.Errorf("EventCount = %d, %v; want 4", n, err)
	}
}
