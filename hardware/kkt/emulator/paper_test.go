package emulator_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// paperFlags are the status flag bits of the receipt roll and its optical sensor.
const paperFlags = 1<<1 | 1<<7

// receiptSteps is one receipt, a command per step, as a till sends it.
func receiptSteps(ctx context.Context, d *kkt.Driver) []func() error {
	steps := []func() error{func() error { return d.OpenReceipt(ctx, kkt.Sale) }}
	for _, it := range []kkt.Item{bread, water, bread} {
		steps = append(steps, func() error { return d.AddItem(ctx, it) })
	}
	return append(steps, func() error {
		_, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{20000}})
		return err
	})
}

func lineCount(tape string) int { return strings.Count(tape, "\n") }

// TestPaperRunsOut ends the roll at every interesting line of a receipt. The cashier's side is the
// protocol's: a 0x6B refusal → load paper → 0x58 until 0xB0 → the refused command again. Whatever the
// line, the receipt is fiscalised once and the tape ends up exactly as without the fault.
func TestPaperRunsOut(t *testing.T) {
	ctx := context.Background()
	refDev, ref := newShift(t, emulator.Config{})
	base := lineCount(refDev.Tape())
	var after []int // tape lines printed by the receipt up to the end of each step
	for _, step := range receiptSteps(ctx, ref) {
		must(t, step())
		after = append(after, lineCount(refDev.Tape())-base)
	}
	last := len(after) - 1
	tests := []struct {
		name    string
		lines   int
		refused bool // a later command finds no paper; otherwise it runs out during the close
	}{
		{"first line of the header", 1, true},
		{"exactly the header", after[0], true},
		{"inside the first position", after[0] + 1, true},
		{"inside the second position", after[1] + 2, true},
		{"exactly the last position", after[last-1], true},
		{"inside the close", after[last] - 3, false},
		{"last line of the close", after[last] - 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev, d := newShift(t, emulator.Config{})
			must(t, dev.Inject(emulator.Fault{Kind: emulator.FaultPaperOut, Lines: tt.lines}))
			before := dev.Tape()
			var mu sync.Mutex
			var live []string
			dev.OnTape(func(l string) { mu.Lock(); live = append(live, l); mu.Unlock() })
			refusals := 0
			for _, step := range receiptSteps(ctx, d) {
				err := step()
				var de *kkt.DeviceError
				if errors.As(err, &de) && de.Code == 0x6B {
					refusals++
					loadPaper(t, d, dev, step)
					err = step()
				}
				must(t, err)
			}
			if got := dev.Snapshot().Submode; got != emulator.SubmodeIdle {
				if tt.refused {
					t.Fatalf("submode %d after the receipt, want 0", got)
				}
				if got != emulator.SubmodeActiveNoPaper {
					t.Fatalf("submode %d after running out in the close, want 2", got)
				}
				loadPaper(t, d, dev, receiptSteps(ctx, d)[0])
			}
			if want := map[bool]int{true: 1}[tt.refused]; refusals != want {
				t.Errorf("%d refusals for no paper, want %d", refusals, want)
			}
			if got, want := dev.Tape(), refDev.Tape(); got != want {
				t.Errorf("tape differs from the one without the fault:\n%s\nwant:\n%s", got, want)
			}
			mu.Lock()
			if got := strings.Join(live, "\n") + "\n"; got != strings.TrimPrefix(dev.Tape(), before) {
				t.Errorf("OnTape saw:\n%s", got)
			}
			mu.Unlock()
			snap := dev.Snapshot()
			if snap.LastFD != 2 || snap.Documents[1].Sum != 20000-1100 || snap.Totals.ShiftReceipts != 1 {
				t.Errorf("FN after the receipt: %+v", snap)
			}
		})
	}
}

// loadPaper is the cashier after a 0x6B: a new roll, and 0xB0 when the device was cut off mid-document
// (the command waiting for it is refused with 0x58 until then).
func loadPaper(t *testing.T, d *kkt.Driver, dev *emulator.Device, waiting func() error) {
	t.Helper()
	ctx := context.Background()
	st, err := d.ShortStatus(ctx)
	must(t, err)
	if st.Flags&paperFlags != 0 {
		t.Errorf("status flags 0x%04X say paper is in", st.Flags)
	}
	dev.SetPaper(true)
	switch st.Submode {
	case emulator.SubmodePassiveNoPaper:
		assertSubmode(t, d, emulator.SubmodeIdle)
	case emulator.SubmodeActiveNoPaper:
		assertSubmode(t, d, emulator.SubmodeAfterNoPaper)
		mustCode(t, waiting(), 0x58)
		full, err := d.FullStatus(ctx)
		if err != nil || full.Submode != emulator.SubmodeAfterNoPaper || full.Flags&paperFlags != paperFlags {
			t.Errorf("full status waiting for 0xB0: %+v, %v", full, err)
		}
		must(t, d.ContinuePrint(ctx))
		assertSubmode(t, d, emulator.SubmodeIdle)
	default:
		t.Fatalf("refused for no paper in submode %d", st.Submode)
	}
}

func assertSubmode(t *testing.T, d *kkt.Driver, want byte) {
	t.Helper()
	st, err := d.ShortStatus(context.Background())
	if err != nil || st.Submode != want {
		t.Fatalf("short status %+v, %v; want submode %d", st, err, want)
	}
}

// TestPaperTakenOut: with no paper the commands that print are refused with 0x6B and nothing else is.
func TestPaperTakenOut(t *testing.T) {
	ctx := context.Background()
	dev, d := newShift(t, emulator.Config{})
	tape := dev.Tape()
	dev.SetPaper(false)
	assertSubmode(t, d, emulator.SubmodePassiveNoPaper)
	refused := map[string]func() error{
		"open receipt":   func() error { return d.OpenReceipt(ctx, kkt.Sale) },
		"position":       func() error { return d.AddItem(ctx, bread) },
		"print line":     func() error { return d.PrintLine(ctx, "x", kkt.PrintReceipt) },
		"X report":       func() error { return d.XReport(ctx) },
		"Z report":       func() error { return d.ZReport(ctx) },
		"continue print": func() error { return d.ContinuePrint(ctx) },
		"cash in":        func() error { _, err := d.CashIn(ctx, 100); return err },
	}
	for name, call := range refused {
		t.Run(name, func(t *testing.T) { mustCode(t, call(), 0x6B) })
	}
	allowed := map[string]func() error{
		"FN status":   func() error { _, err := d.FNStatus(ctx); return err },
		"full status": func() error { _, err := d.FullStatus(ctx); return err },
		"TLV":         func() error { return d.SendTLV(ctx, kkt.CashierName("Иванова")) },
		"drawer":      func() error { return d.OpenDrawer(ctx, 0) },
	}
	for name, call := range allowed {
		t.Run(name, func(t *testing.T) { must(t, call()) })
	}
	if got := dev.Tape(); got != tape+"* денежный ящик 0 открыт *\n" {
		t.Errorf("tape grew without paper:\n%s", strings.TrimPrefix(got, tape))
	}
	dev.SetPaper(true)
	assertSubmode(t, d, emulator.SubmodeIdle)
	must(t, d.ContinuePrint(ctx)) // nothing to continue: a no-op
	must(t, d.AddItem(ctx, bread))
	// Taken out again while waiting for 0xB0, the device is back to "active, no paper".
	must(t, dev.Inject(emulator.Fault{Kind: emulator.FaultPaperOut, Lines: 1}))
	must(t, d.AddItem(ctx, bread))
	dev.SetPaper(true)
	dev.SetPaper(false)
	assertSubmode(t, d, emulator.SubmodeActiveNoPaper)
}
