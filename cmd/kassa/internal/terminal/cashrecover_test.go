package terminal

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

func TestDecideCash(t *testing.T) {
	n := func(v uint32) *uint32 { return &v }
	tests := []struct {
		name   string
		before *uint32
		now    uint32
		want   cashVerdict
	}{
		{"counter not read before", nil, 7, cashUndecided},
		{"no document since", n(7), 7, cashNotRegistered},
		{"one document since", n(7), 8, cashRegistered},
		{"more documents since", n(7), 9, cashUndecided},
		{"counter went back", n(7), 6, cashUndecided},
		{"16-bit wrap", n(0xFFFF), 0, cashRegistered},
	}
	for _, tt := range tests {
		if got := decideCash(tt.before, tt.now); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// cashBookOn is the terminal's cash book on a fault till's register.
func cashBookOn(f *faultTill) *CashBook {
	return &CashBook{Store: f.store, Register: f.reg, StoreID: "s1", Shift: f.till.Shift, Now: time.Now,
		DocNumber: func(ctx context.Context) (uint32, error) {
			st, err := f.drv.FullStatus(ctx)
			return uint32(st.DocNumber), err
		},
		LastFD: func(ctx context.Context) (uint32, error) {
			st, err := f.reg.State(ctx)
			return st.LastFD, err
		}}
}

// TestCashRecoveryAfterPowerLoss: the register executes a внесение and loses power before answering, so
// the operation stays pending; recovery at start finds one document more and completes it with its event.
func TestCashRecoveryAfterPowerLoss(t *testing.T) {
	ctx := context.Background()
	f := newFaultTill(t, ctx)
	book := cashBookOn(f)
	if err := f.dev.Inject(emulator.Fault{Kind: emulator.FaultPowerLoss, Cmd: kkt.CmdCashIn}); err != nil {
		t.Fatal(err)
	}
	if err := book.RecordCash(ctx, false, 50000, crashCashier); err == nil {
		t.Fatal("the answer was lost, yet RecordCash succeeded")
	}
	pending, err := f.store.PendingCashOps()
	if err != nil || len(pending) != 1 || pending[0].DocBefore == nil {
		t.Fatalf("pending %+v %v", pending, err)
	}
	queued := unsent(t, f.store)
	var logs bytes.Buffer
	rep, err := cashBookOn(f).ResolvePending(ctx, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Completed) != 1 || rep.Completed[0].KKTDoc != *pending[0].DocBefore+1 || len(rep.Undecided) != 0 {
		t.Fatalf("recovery %+v", rep)
	}
	if got := unsent(t, f.store); got != queued+1 {
		t.Errorf("outbox %d events, want %d: the cash event is not queued", got, queued+1)
	}
	if !strings.Contains(logs.String(), "completed on recovery") {
		t.Errorf("log %q", logs.String())
	}
	if rep, err := cashBookOn(f).ResolvePending(ctx, nil); err != nil || rep.Total() != 0 {
		t.Errorf("second recovery %+v %v: nothing should be left", rep, err)
	}
}

// TestCashRecoveryDecidesFromTheCounter: an operation journalled but never sent is cancelled; one whose
// counter was not read, or that a later cash operation or a receipt followed, is left pending with a log
// line.
func TestCashRecoveryDecidesFromTheCounter(t *testing.T) {
	ctx := context.Background()
	f := newFaultTill(t, ctx)
	book := cashBookOn(f)
	sh, _ := f.till.Shift()
	begin := func(before *uint32) store.CashOp {
		t.Helper()
		op := store.CashOp{ID: uuid.Must(uuid.NewV7()).String(), Shift: sh.Number, Kind: store.CashOut,
			Amount: 100, Cashier: crashCashier, At: time.Now(), Status: pos.SalePending, DocBefore: before,
			FDBefore: book.lastFD(ctx)}
		if err := f.store.BeginCashOp(op); err != nil {
			t.Fatal(err)
		}
		return op
	}
	never := begin(book.docCounter(ctx)) // the crash came before the command was sent
	rep, err := book.ResolvePending(ctx, nil)
	if err != nil || len(rep.Cancelled) != 1 || rep.Cancelled[0].ID != never.ID {
		t.Fatalf("recovery %+v %v, want %s cancelled", rep, err, never.ID)
	}

	// a later внесение made the one document since: it is not this operation's
	overtaken := begin(book.docCounter(ctx))
	if err := book.RecordCash(ctx, false, 1000, crashCashier); err != nil {
		t.Fatal(err)
	}
	rep, err = book.ResolvePending(ctx, nil)
	if err != nil || rep.Total() != 0 || len(rep.Undecided) != 1 || rep.Undecided[0].ID != overtaken.ID {
		t.Fatalf("recovery %+v %v, want %s undecided", rep, err, overtaken.ID)
	}
	if err := f.store.CancelCashOp(sh.Number, overtaken.ID, "compared with the X report"); err != nil {
		t.Fatal(err)
	}

	unread := begin(nil)
	followed := begin(book.docCounter(ctx))
	f.fill(t, false)
	if _, err := f.pay(ctx); err != nil { // a receipt moves the counters past the operation
		t.Fatal(err)
	}
	var logs bytes.Buffer
	rep, err = book.ResolvePending(ctx, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil || rep.Total() != 0 || len(rep.Undecided) != 2 {
		t.Fatalf("recovery %+v %v, want both undecided", rep, err)
	}
	left, err := f.store.PendingCashOps()
	if err != nil || len(left) != 2 {
		t.Fatalf("still pending %+v %v", left, err)
	}
	for _, id := range []string{unread.ID, followed.ID} {
		if !strings.Contains(logs.String(), "id="+id) || !strings.Contains(logs.String(), "left pending") {
			t.Errorf("no log line for %s: %q", id, logs.String())
		}
	}
}
