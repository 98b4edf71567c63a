package fiscal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
)

var water = pos.Product{ID: "100140", Name: "Вода Святой Источник 1,5 л", Price: 6990, VAT: pos.VAT22, Marked: true}

const (
	water1 = "0104690421631110215WtrDemo00001\x1d93Demo"
	water2 = "0104690421631110215WtrDemo00002\x1d93Demo"
)

// recorder keeps the commands the emulator received once armed.
type recorder struct {
	mu    sync.Mutex
	armed bool
	cmds  []kkt.Command
}

func (r *recorder) onCommand(cmd kkt.Command, stage emulator.Stage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.armed && stage == emulator.StageReceived {
		r.cmds = append(r.cmds, cmd)
	}
}

func (r *recorder) arm() {
	r.mu.Lock()
	r.armed = true
	r.mu.Unlock()
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	parts := make([]string, len(r.cmds))
	for i, c := range r.cmds {
		parts[i] = fmt.Sprintf("%X", uint16(c))
	}
	return strings.Join(parts, " ")
}

// markedSale is water (code 1), bread, water (code 2), as the till builds it.
func markedSale(t *testing.T, codes ...string) pos.Sale {
	t.Helper()
	s := saleOf(t, []item{{p: water, qty: pos.QtyOne}, {p: bread, qty: pos.QtyOne}, {p: water, qty: pos.QtyOne}}, 0, cash(0))
	s.Lines[0].Marking, s.Lines[2].Marking = codes[0], codes[1]
	return s
}

func TestFiscaliseMarked(t *testing.T) {
	tests := []struct {
		name     string
		reject   map[string]byte
		codes    []string
		kind     pos.SaleKind
		wantCmds string
		wantCode int    // a device refusal; 0 none
		wantLine int    // the line of a *pos.MarkingError; -1 none
		reason   string // in its Reason
	}{
		{name: "codes checked, accepted, bound", codes: []string{water1, water2}, wantLine: -1,
			wantCmds: "8D FF0C FF61 FF69 FF46 FF67 FF46 FF61 FF69 FF46 FF67 FF45"},
		{name: "refund: the codes come back", codes: []string{water1, water2}, kind: pos.KindRefund, wantLine: -1,
			wantCmds: "8D FF0C FF61 FF69 FF46 FF67 FF46 FF61 FF69 FF46 FF67 FF45"},
		{name: "Честный знак: unknown or sold", codes: []string{water1, water2}, reject: map[string]byte{water2: 2},
			wantLine: 2, reason: "не найден", wantCmds: "8D FF0C FF61 FF69 FF46 FF67 FF46 FF61 FF69 88"},
		{name: "Честный знак: circulation suspended", codes: []string{water1, water2}, reject: map[string]byte{water1: 3},
			wantLine: 0, reason: "приостановлен", wantCmds: "8D FF0C FF61 FF69 88"},
		{name: "not a marking code", codes: []string{"0104690421631110", water2},
			wantLine: 0, reason: "повреждён", wantCmds: "8D FF0C FF61 FF69 88"},
		{name: "marking blocked in the ФН", codes: []string{water1, water2}, reject: map[string]byte{water1: 0xA2},
			wantCode: 0xA2, wantLine: -1, wantCmds: "8D FF0C FF61 88"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			b := newBench(t, benchOpts{onCommand: rec.onCommand, rejectMarks: tt.reject})
			b.openShift(t)
			ctx := context.Background()
			if tt.kind == pos.KindRefund { // money in the drawer to pay back
				if _, err := b.reg.Fiscalise(ctx, saleOf(t, []item{{p: coffee, qty: pos.QtyOne}}, 0, cash(0))); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := b.reg.State(ctx); err != nil { // the ФН serial is known before the receipt
				t.Fatal(err)
			}
			s := markedSale(t, tt.codes...)
			s.Kind = tt.kind
			before := b.dev.Snapshot().LastFD
			rec.arm()

			_, err := b.reg.Fiscalise(ctx, s)
			if got := rec.String(); got != tt.wantCmds {
				t.Errorf("commands %s, want %s", got, tt.wantCmds)
			}
			if tt.wantCode == 0 && tt.wantLine < 0 {
				if err != nil {
					t.Fatalf("Fiscalise: %v", err)
				}
				if n := strings.Count(b.dev.Tape(), "[М+]"); n != 2 {
					t.Errorf("%d codes shown as checked on the tape, want 2:\n%s", n, b.dev.Tape())
				}
				return
			}
			if !errors.Is(err, pos.ErrNotFiscalised) {
				t.Fatalf("Fiscalise = %v, want ErrNotFiscalised", err)
			}
			var re *pos.RegisterError
			if tt.wantCode != 0 && (!errors.As(err, &re) || re.Code != tt.wantCode) {
				t.Errorf("Fiscalise = %v, want the device's refusal 0x%02X", err, tt.wantCode)
			}
			var me *pos.MarkingError
			if tt.wantLine >= 0 {
				if !errors.As(err, &me) || !errors.Is(err, pos.ErrMarkingRejected) {
					t.Fatalf("Fiscalise = %v, want a *pos.MarkingError", err)
				}
				if me.Line != tt.wantLine || me.Code != s.Lines[tt.wantLine].Marking || me.Name != water.Name ||
					!strings.Contains(me.Reason, tt.reason) {
					t.Errorf("MarkingError = %+v, want line %d saying %q", me, tt.wantLine, tt.reason)
				}
			}
			if st := b.dev.Snapshot(); st.ReceiptOpen() || st.LastFD != before {
				t.Errorf("receipt open %v, last FD %d → %d", st.ReceiptOpen(), before, st.LastFD)
			}
			// The next sale goes through: the ФН's marking table was left clean.
			if _, err := b.reg.Fiscalise(ctx, markedSale(t, "0104690421631110215WtrDemo00009\x1d93Demo",
				"0104690421631110215WtrDemo00008\x1d93Demo")); err != nil {
				t.Errorf("the next sale: %v", err)
			}
		})
	}
}

func TestMarkRefusal(t *testing.T) {
	server := func(request, status byte) []kkt.TLV {
		return []kkt.TLV{kkt.ByteTLV(kkt.TagMarkCheckCode, request), kkt.ByteTLV(kkt.TagOISMStatus, status)}
	}
	const allRight = kkt.MarkCheckedByFN | kkt.MarkFNPositive | kkt.MarkCheckedByOIS | kkt.MarkOISPositive
	tests := []struct {
		name string
		res  kkt.MarkResult
		want string // a word of the reason; "" sells
	}{
		{"all right", kkt.MarkResult{LocalStatus: 3, Online: true, Result: allRight, ServerTLV: server(0, 1)}, ""},
		{"offline, ФН positive", kkt.MarkResult{LocalStatus: 3}, ""},
		{"offline, ФН has no key", kkt.MarkResult{LocalReason: 2}, ""},
		{"server timeout", kkt.MarkResult{LocalStatus: 3, Online: true, OnlineCode: 0xFF}, ""},
		{"offline, ФН negative", kkt.MarkResult{LocalStatus: 1}, "проверку ФН"},
		{"online, ФН negative", kkt.MarkResult{LocalStatus: 3, Online: true, Result: kkt.MarkCheckedByFN | kkt.MarkCheckedByOIS | kkt.MarkOISPositive}, "проверку ФН"},
		{"no crypto tail", kkt.MarkResult{LocalReason: 3, Online: true, Result: kkt.MarkCheckedByOIS}, "повреждён"},
		{"ОИСМ: not recognised", kkt.MarkResult{LocalStatus: 3, Online: true, OnlineCode: 0x20, ServerTLV: server(2, 0)}, "не распознал"},
		{"ОИСМ: bad request", kkt.MarkResult{LocalStatus: 3, Online: true, OnlineCode: 0x20, ServerTLV: server(1, 0)}, "не принял"},
		{"ОИСМ: reason code without words", kkt.MarkResult{LocalStatus: 3, Online: true, OnlineCode: 0x20}, ""},
		{"ОИСМ: sold already", kkt.MarkResult{LocalStatus: 3, Online: true, Result: allRight &^ kkt.MarkOISPositive, ServerTLV: server(0, 2)}, "уже продан"},
		{"ОИСМ: suspended", kkt.MarkResult{LocalStatus: 3, Online: true, Result: allRight &^ kkt.MarkOISPositive, ServerTLV: server(0, 3)}, "приостановлен"},
		{"ОИСМ: forbidden, no status", kkt.MarkResult{LocalStatus: 3, Online: true, Result: allRight &^ kkt.MarkOISPositive}, "запрещает"},
		{"ОИСМ allows, ФН had no key", kkt.MarkResult{LocalReason: 2, Online: true, Result: kkt.MarkCheckedByOIS | kkt.MarkOISPositive}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markRefusal(tt.res)
			if (got == "") != (tt.want == "") || !strings.Contains(got, tt.want) {
				t.Errorf("markRefusal(%+v) = %q, want %q", tt.res, got, tt.want)
			}
		})
	}
}
