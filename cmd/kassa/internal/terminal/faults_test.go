package terminal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
)

// faultSales is how many sales each case makes through its fault.
const faultSales = 3

// TestFaultMatrix sells through the whole stack (store, fiscal adapter, driver, serial port, pty) to the
// register emulator with one fault each, the cashier doing what the till tells them, and proves that no
// sale is lost, none is fiscalised twice, and every error reaches the cashier as a Russian sentence.
func TestFaultMatrix(t *testing.T) {
	newShift := func(t *testing.T, ctx context.Context, f *faultTill, err error) {
		if !errors.Is(err, pos.ErrShiftExpired) {
			return
		}
		if err := f.till.CloseShift(ctx); err != nil {
			t.Fatalf("Z report of the expired shift: %v", err)
		}
		if err := f.till.OpenShift(ctx, crashCashier); err != nil {
			t.Fatalf("open a new shift: %v", err)
		}
	}
	dropMarked := func(t *testing.T, _ context.Context, f *faultTill, _ error) {
		for i, l := range f.till.Cart().Lines() {
			if l.Marking != "" && !l.Cancelled {
				if err := f.till.CancelLine(i); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	tests := []struct {
		name   string
		inject string // a fault script, injected once the shift is open
		prep   func(f *faultTill)
		marked bool    // every receipt has a marked water too
		fired  string  // what the emulator logs when the fault fires
		told   []error // what the cashier must have been told (nil: nothing)
		asked  bool    // whether the till asks the cashier for paper
		fix    func(t *testing.T, ctx context.Context, f *faultTill, err error)
	}{
		{name: "no fault"},
		{name: "frame NAKed once", inject: "nak cmd=FF46 count=1", fired: "frame NAKed"},
		{name: "frame NAKed on every try", inject: "nak cmd=FF46 nth=2 count=4", fired: "frame NAKed", told: []error{pos.ErrRegisterOffline, pos.ErrNotFiscalised}},
		{name: "answer with a bad LRC", inject: "bad-lrc cmd=FF45", fired: "bad LRC"},
		{name: "answer damaged on every resend", inject: "bad-lrc cmd=FF45 nth=2 count=5", fired: "bad LRC"},
		{name: "answer held back", inject: "drop-answer cmd=FF45 nth=2", fired: "held back"},
		{name: "power lost after the close, back at once", inject: "power-loss cmd=FF45 nth=2", fired: "power lost"},
		{name: "power lost after the close, back in 4 s", inject: "power-loss cmd=FF45 nth=2 down=4s", fired: "power lost",
			told: []error{pos.ErrOutcomeUnknown, pos.ErrRegisterOffline}},
		{name: "power lost inside the receipt", inject: "power-loss cmd=FF46 nth=2", fired: "power lost", told: []error{pos.ErrOutcomeUnknown, pos.ErrNotFiscalised}},
		{name: "slow answer bytes", inject: "byte-delay ms=5", fired: "answer bytes delayed"},
		{name: "paper runs out in a position", inject: "paper-out line=10", asked: true},
		{name: "paper runs out later", inject: "paper-out line=30", asked: true},
		{name: "paper taken out, the cashier first gives up",
			prep: func(f *faultTill) { f.dev.SetPaper(false); f.quit.Store(true) },
			told: []error{pos.ErrPaperOut, pos.ErrNotFiscalised}, asked: true,
			fix: func(*testing.T, context.Context, *faultTill, error) {},
		},
		// The cancel after the refusal is refused too (it prints): the receipt stays open until the next sale.
		{name: "paper runs out in a position, the cashier first gives up", inject: "paper-out line=10",
			prep: func(f *faultTill) { f.quit.Store(true) }, told: []error{pos.ErrPaperOut, pos.ErrNotFiscalised}, asked: true},
		{name: "shift over 24 hours", inject: "shift-expire", told: []error{pos.ErrShiftExpired}, fix: newShift},
		{name: "shift expires inside a receipt", inject: "shift-expire cmd=FF46 nth=2",
			told: []error{pos.ErrShiftExpired, pos.ErrNotFiscalised}, fix: newShift},
		{name: "FN warnings", inject: "fn-warnings flags=0x0F"},
		{name: "marking code refused by the FN", inject: "reject-mark gtin=04601234567893 code=0xA3", marked: true,
			told: []error{pos.ErrNotFiscalised}, fix: dropMarked},
		{name: "marking code refused by Честный знак", inject: "reject-mark gtin=4601234567893 status=2", marked: true,
			told: []error{pos.ErrMarkingRejected, pos.ErrNotFiscalised}, fix: dropMarked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			f := newFaultTill(t, ctx)
			faults, err := emulator.ParseFaults(strings.NewReader(tt.inject))
			if err != nil {
				t.Fatal(err)
			}
			for _, ft := range faults {
				if err := f.dev.Inject(ft); err != nil {
					t.Fatal(err)
				}
			}
			if tt.prep != nil {
				tt.prep(f)
			}
			for range faultSales {
				f.fill(t, tt.marked)
				for try := 0; !f.till.Cart().Empty(); try++ {
					if try == 4 {
						t.Fatalf("the sale never went through; the cashier was told %v", f.told)
					}
					_, err := f.pay(ctx)
					if err == nil {
						break
					}
					f.quit.Store(false) // told about paper, the cashier loads it next time
					if tt.fix != nil {
						tt.fix(t, ctx, f, err)
					}
					f.resolve(t, ctx)
				}
			}
			f.checkBooks(t, ctx, faultSales)
			if tt.fired != "" && !strings.Contains(f.logs.String(), tt.fired) {
				t.Errorf("the emulator never logged %q: the fault did not fire", tt.fired)
			}
			checkTold(t, f.told, tt.told)
			if asked := f.asked.Load() > 0; asked != tt.asked {
				t.Errorf("asked for paper %d times; want asked %v", f.asked.Load(), tt.asked)
			}
			if tt.name == "FN warnings" {
				st, err := f.till.RegisterState(ctx)
				if err != nil || len(st.Warnings) != 3 {
					t.Errorf("register warnings %q, %v; want the three of flags 0x0F", st.Warnings, err)
				}
			}
			if snap := f.dev.Snapshot(); snap.Submode != emulator.SubmodeIdle {
				t.Errorf("the register is left in paper submode %d", snap.Submode)
			}
		})
	}
}

// checkTold: every error was explained to the cashier, and the expected kinds were among them.
func checkTold(t *testing.T, told []error, want []error) {
	t.Helper()
	if want == nil && len(told) > 0 {
		t.Errorf("the cashier was told %v; want no error", told)
	}
	for _, err := range told {
		explained(t, err)
	}
	for _, w := range want {
		found := false
		for _, err := range told {
			found = found || errors.Is(err, w)
		}
		if !found {
			t.Errorf("no error the cashier got is %v: %v", w, told)
		}
	}
}
