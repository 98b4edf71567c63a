package hub_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestEnsureTerminal(t *testing.T) {
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokA, hashA, _ := hub.NewToken()
	tokB, hashB, _ := hub.NewToken()
	tests := []struct {
		name, store, term, hash string
		changed                 bool
		wantErr                 string
	}{
		{"declare", "s1", "till-1", hashA, true, ""},
		{"same again", "s1", "till-1", hashA, false, ""},
		{"upper case is the same hash", "s1", "till-1", strings.ToUpper(hashA), false, ""},
		{"rotate", "s1", "till-1", hashB, true, ""},
		{"token of another terminal", "s1", "till-2", hashB, false, "belongs to another terminal"},
		{"short hash", "s1", "till-3", "abcd", false, "64 hex digits"},
		{"bad name", "s1", "", hashA, false, "bad store or terminal name"},
	}
	for _, tc := range tests {
		changed, err := st.EnsureTerminal(tc.store, tc.term, tc.hash)
		if changed != tc.changed || (err == nil) != (tc.wantErr == "") || err != nil && !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: changed %v, %v; want %v, %q", tc.name, changed, err, tc.changed, tc.wantErr)
		}
	}
	if _, err := st.Authenticate(tokA); !errors.Is(err, hub.ErrUnknownToken) {
		t.Errorf("the rotated-out token still works: %v", err)
	}
	if term, err := st.Authenticate(tokB); err != nil || term.Name != "till-1" {
		t.Errorf("new token: %+v, %v", term, err)
	}
}

// TestTerminalSequence follows one terminal's sequence state through replays, gaps, a rejection and a
// restored database.
func TestTerminalSequence(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	ev := saleEvents(8)
	bad := ev[2]
	bad.Payload = []byte(saleJSON("e3", 999, 100))
	steps := []struct {
		name             string
		batch            []hub.Incoming
		wantGaps         []wire.SeqGap
		last, gaps, evts uint64
		rejected         uint64
	}{
		{"first two", incoming(ev[:2]), nil, 2, 0, 2, 0},
		{"replay", incoming(ev[:2]), nil, 2, 0, 2, 0},
		{"seq 3 refused, 4 stored", []hub.Incoming{{Event: bad, Reason: "total differs"}, {Event: ev[3]}},
			[]wire.SeqGap{{Last: 2, Received: 4}}, 4, 1, 3, 1},
		{"seq 3 fixed and resent", incoming(ev[2:3]), nil, 4, 1, 4, 1},
		{"jump to 7", incoming(ev[6:7]), []wire.SeqGap{{Last: 4, Received: 7}}, 7, 2, 5, 1},
		{"restored terminal sends 5 with a new id", incoming([]wire.Event{{ID: "new-5", Seq: 5, Type: "sale", Terminal: "till-1", Payload: ev[4].Payload}}),
			[]wire.SeqGap{{Last: 7, Received: 5}}, 7, 3, 6, 1},
	}
	for _, s := range steps {
		res, err := th.st.Append(ctx, till1, s.batch, t0)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(res.Gaps) != len(s.wantGaps) || len(res.Gaps) > 0 && res.Gaps[0] != s.wantGaps[0] {
			t.Errorf("%s: gaps %+v, want %+v", s.name, res.Gaps, s.wantGaps)
		}
		terms, err := th.st.Terminals()
		if err != nil {
			t.Fatal(err)
		}
		got := terms[0]
		if got.Name != "till-1" || got.LastSeq != s.last || got.Gaps != s.gaps || got.Events != s.evts ||
			got.Rejected != s.rejected || !got.LastSeen.Equal(t0) {
			t.Errorf("%s: %+v, want last %d gaps %d events %d rejected %d", s.name, got, s.last, s.gaps, s.evts, s.rejected)
		}
	}
	if n, _ := th.st.SeqGaps(); n != 3 {
		t.Errorf("SeqGaps = %d, want 3", n)
	}
}
