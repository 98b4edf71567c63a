package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func testTerminals(t *testing.T, f Factory) {
	st, _ := f(t)
	tests := []struct {
		store, name string
		wantErr     error
	}{
		{"s2", "till-1", nil},
		{"s1", "till-2", nil},
		{"s1", "till-1", nil},
		{"s1", "till-1", hub.ErrTerminalExists},
		{"", "till-9", hub.ErrBadName},
		{"s1", "", hub.ErrBadName},
		{"s1", "a\x00b", hub.ErrBadName},
		{"s1", " padded", hub.ErrBadName},
		{"s1", strings.Repeat("n", 129), hub.ErrBadName},
	}
	tokens := map[string]hub.Terminal{}
	for _, tc := range tests {
		token, err := st.AddTerminal(tc.store, tc.name)
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("AddTerminal(%q, %q) = %v, want %v", tc.store, tc.name, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if len(token) != 64 || strings.Trim(token, "0123456789abcdef") != "" {
			t.Errorf("token %q is not 32 bytes of hex", token)
		}
		tokens[token] = hub.Terminal{Store: tc.store, Name: tc.name}
	}
	for token, want := range tokens {
		for range 2 { // the second answer may come from a cache
			got, err := st.Authenticate(token)
			if err != nil || got.Store != want.Store || got.Name != want.Name || got.Created.IsZero() {
				t.Errorf("Authenticate = %+v, %v; want %+v", got, err, want)
			}
		}
	}
	if _, err := st.Authenticate(strings.Repeat("0", 64)); !errors.Is(err, hub.ErrUnknownToken) {
		t.Errorf("unknown token: %v", err)
	}
	list, err := st.Terminals()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ti := range list {
		got = append(got, ti.Store+"/"+ti.Name)
	}
	if strings.Join(got, " ") != "s1/till-1 s1/till-2 s2/till-1" {
		t.Errorf("Terminals = %v, want ordered by store then name", got)
	}
}

func testEnsureTerminal(t *testing.T, f Factory) {
	st, another := f(t)
	hash := func(token string) string { h := sha256.Sum256([]byte(token)); return hex.EncodeToString(h[:]) }
	steps := []struct {
		store, name, token string
		changed            bool
		wantErr            bool
	}{
		{"s1", "till-1", "token-a", true, false},
		{"s1", "till-1", "token-a", false, false}, // unchanged
		{"s1", "till-2", "token-b", true, false},
		{"s1", "till-1", "token-c", true, false},  // rotated
		{"s1", "till-2", "token-c", false, true},  // another terminal's token
		{"s1", "till-3", "not-hex", false, true},  // see below: passed as is
		{"s-2", "till-1", "token-d", true, false}, // another store, same name
	}
	for i, s := range steps {
		h := hash(s.token)
		if s.token == "not-hex" {
			h = "xyz"
		}
		changed, err := st.EnsureTerminal(s.store, s.name, h)
		if (err != nil) != s.wantErr || changed != s.changed {
			t.Errorf("step %d EnsureTerminal(%s, %s) = %v, %v; want changed %v, error %v", i, s.store, s.name, changed, err,
				s.changed, s.wantErr)
		}
	}
	// Another instance sees the rotation at once: the old token is refused, the new one accepted.
	other := another()
	if _, err := other.Authenticate("token-a"); !errors.Is(err, hub.ErrUnknownToken) {
		t.Errorf("rotated-out token: %v", err)
	}
	if got, err := other.Authenticate("token-c"); err != nil || got.Name != "till-1" {
		t.Errorf("rotated token = %+v, %v", got, err)
	}
}

func testAppendIdempotent(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	e1, e2, e3 := sale("e1", 1, "till-1"), sale("e2", 2, "till-1"), sale("e3", 3, "till-1")
	steps := []struct {
		term hub.Terminal
		in   []hub.Incoming
		want string
	}{
		{till1, incoming(e1, e2), "SS"},
		{till1, incoming(e1, e2, e3), "DDS"}, // a replay after a lost answer
		{till1, incoming(e3, e3), "DD"},      // twice in one batch
		{till2, incoming(e1), "R"},           // another terminal's id
		{till9, incoming(sale("x1", 1, "till-9"), sale("x1", 1, "till-9")), "SD"},
	}
	for i, s := range steps {
		res := mustAppend(t, st, s.term, s.in)
		if got := statuses(res); got != s.want {
			t.Errorf("step %d: statuses %s, want %s (%+v)", i, got, s.want, res.Events)
		}
	}
	if n := eventCount(t, st); n != 4 {
		t.Errorf("EventCount = %d, want 4", n)
	}
	ti := terminal(t, st, till1)
	if ti.LastSeq != 3 || ti.Events != 3 || ti.Gaps != 0 || ti.Rejected != 0 || ti.LastSeen.IsZero() {
		t.Errorf("till-1 state %+v", ti)
	}
	if ti := terminal(t, st, till2); ti.Rejected != 1 || ti.Events != 0 {
		t.Errorf("till-2 state %+v", ti)
	}
}

func testRefusedThenFixed(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	bad := hub.Incoming{Event: sale("e2", 2, "till-1"), Reason: "sale has no lines"}
	res := mustAppend(t, st, till1, []hub.Incoming{{Event: sale("e1", 1, "till-1")}, bad, {Event: sale("e3", 3, "till-1")}})
	if got := statuses(res); got != "SRS" || res.Events[1].Reason != "sale has no lines" {
		t.Fatalf("first batch %s %+v", got, res.Events)
	}
	if len(res.Gaps) != 1 || res.Gaps[0] != (wire.SeqGap{Last: 1, Received: 3}) {
		t.Errorf("gaps %+v: the refused event leaves a hole", res.Gaps)
	}
	// The fixed event comes back with its old seq: known, so no gap for going back.
	res = mustAppend(t, st, till1, incoming(sale("e2", 2, "till-1")))
	if statuses(res) != "S" || len(res.Gaps) != 0 {
		t.Errorf("fixed event: %s, gaps %+v", statuses(res), res.Gaps)
	}
	// A new id with an old seq is a terminal that went back.
	res = mustAppend(t, st, till1, incoming(sale("e9", 2, "till-1")))
	if len(res.Gaps) != 1 || res.Gaps[0] != (wire.SeqGap{Last: 3, Received: 2}) {
		t.Errorf("restored terminal: gaps %+v", res.Gaps)
	}
	ti := terminal(t, st, till1)
	if ti.Rejected != 1 || ti.Events != 4 || ti.Gaps != 2 || ti.LastGap == nil || *ti.LastGap != (wire.SeqGap{Last: 3, Received: 2}) {
		t.Errorf("till-1 state %+v", ti)
	}
	// A refused id that is stored (by another terminal) is not remembered as refused.
	res = mustAppend(t, st, till2, []hub.Incoming{{Event: sale("e1", 1, "till-2"), Reason: "bad"}})
	if statuses(res) != "R" {
		t.Errorf("refused stored id: %s", statuses(res))
	}
	if n := eventCount(t, st); n != 4 {
		t.Errorf("EventCount = %d, want 4", n)
	}
}

func testSeqGaps(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	tests := []struct {
		seqs []uint64
		gaps []wire.SeqGap
	}{
		{[]uint64{1, 2, 3}, nil},
		{[]uint64{5}, []wire.SeqGap{{Last: 3, Received: 5}}},
		{[]uint64{6, 0, 7}, nil}, // seq 0: a terminal that does not number its events
		{[]uint64{2}, []wire.SeqGap{{Last: 7, Received: 2}}},
	}
	n := 0
	total := 0
	for i, tc := range tests {
		var evs []wire.Event
		for _, seq := range tc.seqs {
			n++
			evs = append(evs, sale("g"+string(rune('a'+n)), seq, "till-1"))
		}
		res := mustAppend(t, st, till1, incoming(evs...))
		if len(res.Gaps) != len(tc.gaps) {
			t.Errorf("step %d: gaps %+v, want %+v", i, res.Gaps, tc.gaps)
			continue
		}
		for k := range tc.gaps {
			if res.Gaps[k] != tc.gaps[k] {
				t.Errorf("step %d: gaps %+v, want %+v", i, res.Gaps, tc.gaps)
			}
		}
		total += len(tc.gaps)
	}
	if got, err := st.SeqGaps(); err != nil || got != uint64(total) {
		t.Errorf("SeqGaps = %d, %v; want %d", got, err, total)
	}
}

// testGenericTypes: an event type the storage has no special meaning for is stored and read back as it
// came, so a new type needs no schema change.
func testGenericTypes(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	payload := `{"kind":"drawer_opened","cashier":"Иванова","nested":{"a":[1,2,3]},"note":"\u00e9"}`
	ev := wire.Event{ID: "a1", Seq: 1, Type: "some_future_type", Terminal: "till-1", At: t0, Payload: []byte(payload)}
	if got := statuses(mustAppend(t, st, till1, incoming(ev))); got != "S" {
		t.Fatalf("status %s", got)
	}
	var seen []hub.StoredEvent
	err := st.ScanEvents(context.Background(), "s1", time.Time{}, time.Time{}, []string{"some_future_type"}, func(e hub.StoredEvent) error {
		seen = append(seen, e)
		return nil
	})
	if err != nil || len(seen) != 1 {
		t.Fatalf("ScanEvents = %v, %v", seen, err)
	}
	if string(seen[0].Payload) != payload || seen[0].Terminal != "till-1" || !seen[0].At.Equal(t0) {
		t.Errorf("stored %+v, payload %s", seen[0], seen[0].Payload)
	}
	// Bytes that are not UTF-8 inside a string: kept as they came, not refused and not failing the batch.
	raw := []byte("{\"note\":\"\xff\xfe\"}")
	ev2 := wire.Event{ID: "a2", Seq: 2, Type: "some_future_type", Terminal: "till-1", At: t0, Payload: raw}
	if got := statuses(mustAppend(t, st, till1, incoming(ev2))); got != "S" {
		t.Fatalf("status %s", got)
	}
	var back []byte
	err = st.ScanEvents(context.Background(), "s1", time.Time{}, time.Time{}, []string{"some_future_type"}, func(e hub.StoredEvent) error {
		if e.ID == "a2" {
			back = e.Payload
		}
		return nil
	})
	if err != nil || string(back) != string(raw) {
		t.Errorf("payload back %q, %v; want %q", back, err, raw)
	}
}

func testSales(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	refund := sale("r1", 3, "till-1")
	refund.Type = wire.TypeRefund
	shift := event("sh1", 4, wire.TypeShiftOpen, wire.Shift{Number: 7})
	mustAppend(t, st, till1, incoming(sale("b2", 1, "till-1"), sale("a1", 2, "till-1"), refund, shift))
	mustAppend(t, st, till9, incoming(sale("z0", 1, "till-9")))
	tests := []struct {
		store string
		want  string
	}{
		{"s1", "b2 a1 r1"}, // arrival order, shifts left out
		{"s2", "z0"},
		{"", "b2 a1 r1 z0"},
		{"s3", ""},
	}
	for _, tc := range tests {
		list, err := st.Sales(tc.store)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.EventID)
			if s.Sale.ID != s.EventID || s.Sale.Total != 150 || s.Received.IsZero() {
				t.Errorf("sale %+v", s)
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Sales(%q) = %v, want %s", tc.store, got, tc.want)
		}
	}
}

func testScanEvents(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	at := func(id string, seq uint64, h int, term string) wire.Event {
		e := sale(id, seq, term)
		e.At = t0.Add(time.Duration(h) * time.Hour)
		return e
	}
	noAt := sale("n1", 4, "till-1")
	noAt.At = time.Time{} // counted at its arrival, t0+1h
	mustAppend(t, st, till1, incoming(at("h0", 1, 0, "till-1"), at("h2", 2, 2, "till-1"), at("h5", 3, 5, "till-1"), noAt))
	mustAppend(t, st, till9, incoming(at("x2", 1, 2, "till-9")))
	tests := []struct {
		store    string
		from, to int // hours after t0; -1 open
		types    []string
		want     string
	}{
		{"s1", -1, -1, []string{wire.TypeSale}, "h0 h2 h5 n1"},
		{"s1", 1, 5, []string{wire.TypeSale}, "h2 n1"},
		{"", 2, 3, []string{wire.TypeSale}, "h2 x2"},
		{"s1", -1, -1, []string{wire.TypeRefund}, ""},
		{"s2", 0, -1, []string{wire.TypeSale, wire.TypeRefund}, "x2"},
	}
	for _, tc := range tests {
		var from, to time.Time
		if tc.from >= 0 {
			from = t0.Add(time.Duration(tc.from) * time.Hour)
		}
		if tc.to >= 0 {
			to = t0.Add(time.Duration(tc.to) * time.Hour)
		}
		got := map[string]bool{}
		err := st.ScanEvents(context.Background(), tc.store, from, to, tc.types, func(e hub.StoredEvent) error {
			got[e.ID] = true
			if e.ID == "n1" && (!e.At.IsZero() || e.Received.IsZero()) {
				t.Errorf("event without at: %+v", e)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		if tc.want != "" {
			want = strings.Fields(tc.want)
		}
		if len(got) != len(want) {
			t.Errorf("ScanEvents(%q, %d, %d) = %v, want %v", tc.store, tc.from, tc.to, got, want)
		}
		for _, id := range want {
			if !got[id] {
				t.Errorf("ScanEvents(%q, %d, %d) = %v, want %v", tc.store, tc.from, tc.to, got, want)
			}
		}
	}
	stop := errors.New("stop")
	err := st.ScanEvents(context.Background(), "", time.Time{}, time.Time{}, []string{wire.TypeSale}, func(hub.StoredEvent) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("ScanEvents passes on fn's error: %v", err)
	}
}
