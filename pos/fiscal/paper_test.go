package fiscal

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
)

var errGaveUp = errors.New("the cashier gave up")

func TestPaperOut(t *testing.T) {
	sell := func(b *scriptedBench) error {
		_, err := b.reg.Fiscalise(context.Background(), saleOf(t, []item{{p: bread, qty: pos.QtyOne}, {p: coffee, qty: pos.QtyOne}}, 0, cash(0)))
		return err
	}
	openShift := func(b *scriptedBench) error { return b.reg.OpenShift(context.Background(), "Иванова") }
	tests := []struct {
		name    string
		script  paperScript
		hook    string // "load", "give up" or "" (none)
		op      func(b *scriptedBench) error
		want    string // commands the device got; "!xx" a refusal
		awaited int
		err     error
	}{
		{name: "empty roll found when the receipt opens", script: paperScript{before: kkt.CmdOpenReceipt}, hook: "load", op: sell,
			want: "8D!6B 10 10 8D FF0C FF46 FF46 FF45 10", awaited: 1},
		{name: "roll ends in a line: the next one waits for 0xB0", script: paperScript{after: kkt.CmdOperation}, hook: "load", op: sell,
			want: "8D FF0C FF46 FF46!6B 10 10 B0 10 FF46 FF45 10", awaited: 1},
		{name: "paper in, 0xB0 not sent yet: no need to ask", script: paperScript{submode: 3}, hook: "load", op: sell,
			want: "8D!58 10 B0 10 8D FF0C FF46 FF46 FF45 10", awaited: 0},
		{name: "roll ends in the closing: finished before the sale returns", script: paperScript{after: kkt.CmdCloseReceipt}, hook: "load", op: sell,
			want: "8D FF0C FF46 FF46 FF45 10 10 10 B0 10", awaited: 1},
		{name: "busy printer in submode 2 counts as no paper", script: paperScript{after: kkt.CmdOperation, refusal: 0x50}, hook: "load", op: sell,
			want: "8D FF0C FF46 FF46!50 10 10 10 B0 10 FF46 FF45 10", awaited: 1},
		{name: "shift opens after a new roll", script: paperScript{before: kkt.CmdOpenShift}, hook: "load", op: openShift,
			want: "FF41 FF0C E0!6B 10 10 E0", awaited: 1},
		{name: "cashier gives up: refused as without the hook", script: paperScript{before: kkt.CmdCloseReceipt}, hook: "give up", op: sell,
			want: "8D FF0C FF46 FF46 FF45!6B 10 88!6B", awaited: 1, err: pos.ErrPaperOut},
		{name: "no hook: refused as before", script: paperScript{before: kkt.CmdOperation}, op: sell,
			want: "8D FF0C FF46!6B 88!6B", err: pos.ErrPaperOut},
		{name: "a lost answer is never sent again", script: paperScript{silent: kkt.CmdCloseReceipt}, hook: "load", op: sell,
			want: "8D FF0C FF46 FF46 FF45", err: pos.ErrOutcomeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b *scriptedBench
			cfg := Config{}
			if tt.hook != "" {
				cfg.AwaitPaper = func(ctx context.Context) error {
					b.line.load(tt.hook == "give up")
					if tt.hook == "give up" {
						return errGaveUp
					}
					return nil
				}
			}
			b = newScriptedBench(t, cfg)
			if tt.name != "shift opens after a new roll" {
				if err := openShift(b); err != nil {
					t.Fatal(err)
				}
				if _, err := b.reg.State(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			b.line.set(tt.script)

			err := tt.op(b)
			got, awaited := b.line.log()
			if got != tt.want || awaited != tt.awaited {
				t.Errorf("device got %s, asked for paper %d times; want %s, %d", got, awaited, tt.want, tt.awaited)
			}
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == pos.ErrPaperOut && !errors.Is(err, pos.ErrNotFiscalised) {
				t.Errorf("%v does not say the receipt was not fiscalised", err)
			}
			if tt.hook == "give up" && !errors.Is(err, errGaveUp) {
				t.Errorf("%v does not say the cashier gave up", err)
			}
		})
	}
}

// TestPaperHookLate: the screen installs the hook after the register was wired.
func TestPaperHookLate(t *testing.T) {
	b := newScriptedBench(t, Config{})
	if err := b.reg.OpenShift(context.Background(), "Иванова"); err != nil {
		t.Fatal(err)
	}
	b.reg.SetAwaitPaper(func(context.Context) error { b.line.load(false); return nil })
	b.line.set(paperScript{before: kkt.CmdOpenReceipt})
	if _, err := b.reg.Fiscalise(context.Background(), saleOf(t, []item{{p: bread, qty: pos.QtyOne}}, 0, cash(0))); err != nil {
		t.Fatal(err)
	}
	if _, awaited := b.line.log(); awaited != 1 {
		t.Errorf("asked for paper %d times, want 1", awaited)
	}
}

// TestPaperOutEmulator runs the paper hook against the emulator's own paper model.
func TestPaperOutEmulator(t *testing.T) {
	tests := []struct {
		name    string
		before  func(dev *emulator.Device) error
		giveUp  bool
		awaited int
	}{
		{name: "no paper before the sale", before: func(dev *emulator.Device) error { dev.SetPaper(false); return nil }, awaited: 1},
		{name: "roll ends in the middle of the receipt", before: func(dev *emulator.Device) error {
			return dev.Inject(emulator.Fault{Kind: emulator.FaultPaperOut, Lines: 8})
		}, awaited: 1},
		{name: "roll ends in the last lines", before: func(dev *emulator.Device) error {
			return dev.Inject(emulator.Fault{Kind: emulator.FaultPaperOut, Lines: 20})
		}, awaited: 1},
		{name: "cashier gives up", before: func(dev *emulator.Device) error { dev.SetPaper(false); return nil },
			giveUp: true, awaited: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b *bench
			var mu sync.Mutex
			awaited := 0
			b = newBench(t, benchOpts{cfg: Config{AwaitPaper: func(ctx context.Context) error {
				mu.Lock()
				awaited++
				mu.Unlock()
				if tt.giveUp {
					return errGaveUp
				}
				b.dev.SetPaper(true)
				return nil
			}}})
			b.openShift(t)
			ctx := context.Background()
			if err := tt.before(b.dev); err != nil {
				t.Fatal(err)
			}
			sale := saleOf(t, []item{{p: bread, qty: pos.Pieces(2)}, {p: coffee, qty: pos.QtyOne}, {p: book, qty: pos.QtyOne}}, 0, cash(0))
			res, err := b.reg.Fiscalise(ctx, sale)
			mu.Lock()
			if awaited != tt.awaited {
				t.Errorf("asked for paper %d times, want %d", awaited, tt.awaited)
			}
			mu.Unlock()
			if tt.giveUp {
				if !errors.Is(err, pos.ErrPaperOut) || !errors.Is(err, pos.ErrNotFiscalised) {
					t.Fatalf("Fiscalise = %v, want a paper-out refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fiscalise: %v", err)
			}
			if st := b.dev.Snapshot(); st.ReceiptOpen() || st.LastFD != res.FDNumber {
				t.Errorf("receipt open %v, last FD %d, sold as %d", st.ReceiptOpen(), st.LastFD, res.FDNumber)
			}
			if !tapeHas(b.dev.Tape(), "ИТОГ", "="+sale.Total.String()) || !strings.Contains(b.dev.Tape(), "ФП:") {
				t.Errorf("the receipt was not printed to its end:\n%s", b.dev.Tape())
			}
			if st, err := b.reg.State(ctx); err != nil || st.PaperOut {
				t.Errorf("after the sale: %+v, %v", st, err)
			}
		})
	}
}
