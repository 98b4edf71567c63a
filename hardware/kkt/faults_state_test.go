package kkt_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// markCode is a water-style marking code of GTIN 04601234567893 (serial s).
func markCode(gtin, s string) string { return "01" + gtin + "21" + s + "\x1d93dGVz" }

func mustStatus(t *testing.T, ctx context.Context, d *kkt.Driver, mode, submode byte) {
	t.Helper()
	st, err := d.ShortStatus(ctx)
	if err != nil || st.Mode() != mode || st.Submode != submode {
		t.Fatalf("status %+v, %v; want mode %d submode %d", st, err, mode, submode)
	}
}

// TestDeviceStateFaults covers the faults of the device's state (paper, clock, FN, marking) over the
// serial stack, with the driver's errors as a till meets them.
func TestDeviceStateFaults(t *testing.T) {
	tests := []struct {
		name   string
		script string
		run    func(t *testing.T, ctx context.Context, r *faultRig)
		want   map[kkt.Command]int
	}{
		{name: "paper runs out in a position, 0x6B, then 0x58 until 0xB0",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				if err := r.dev.Inject(emulator.Fault{Kind: emulator.FaultPaperOut, Lines: 9}); err != nil {
					t.Fatal(err)
				}
				if err := r.drv.AddItem(ctx, sampleItems[0]); err != nil { // the receipt's header and position: 11 lines
					t.Fatal(err)
				}
				mustStatus(t, ctx, r.drv, kkt.ModeReceiptOpen, emulator.SubmodeActiveNoPaper)
				mustDeviceError(t, r.drv.AddItem(ctx, sampleItems[1]), 0x6B)
				r.dev.SetPaper(true)
				mustStatus(t, ctx, r.drv, kkt.ModeReceiptOpen, emulator.SubmodeAfterNoPaper)
				mustDeviceError(t, r.drv.AddItem(ctx, sampleItems[1]), 0x58)
				if err := r.drv.ContinuePrint(ctx); err != nil {
					t.Fatal(err)
				}
				for _, it := range sampleItems[1:] {
					if err := r.drv.AddItem(ctx, it); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := closeSample(ctx, r.drv); err != nil {
					t.Fatal(err)
				}
				r.lastReceipt(t, ctx)
			},
			want: map[kkt.Command]int{kkt.CmdOperation: 2 + len(sampleItems), kkt.CmdCloseReceipt: 1, kkt.CmdContinuePrint: 1}},
		{name: "paper runs out in the close: fiscalised, the rest printed after 0xB0",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				if err := addAll(ctx, r.drv); err != nil {
					t.Fatal(err)
				}
				if err := r.dev.Inject(emulator.Fault{Kind: emulator.FaultPaperOut, Lines: 2}); err != nil {
					t.Fatal(err)
				}
				closed, err := closeSample(ctx, r.drv)
				if err != nil {
					t.Fatal(err)
				}
				if doc := r.lastReceipt(t, ctx); doc.FDNumber != closed.FDNumber {
					t.Fatalf("closed FD %d, the FN's last %d", closed.FDNumber, doc.FDNumber)
				}
				mustStatus(t, ctx, r.drv, kkt.ModeShiftOpen, emulator.SubmodeActiveNoPaper)
				if n := strings.Count(r.dev.Tape(), "ФП:"); n != 1 { // the shift report's
					t.Errorf("%d fiscal signs on the tape, want 1: the receipt's was printed without paper", n)
				}
				r.dev.SetPaper(true)
				mustDeviceError(t, r.drv.OpenReceipt(ctx, kkt.Sale), 0x58)
				if err := r.drv.ContinuePrint(ctx); err != nil {
					t.Fatal(err)
				}
				if n := strings.Count(r.dev.Tape(), "ФП:"); n != 2 { // the shift report's and the receipt's
					t.Errorf("%d fiscal signs on the tape after 0xB0, want 2:\n%s", n, r.dev.Tape())
				}
				mustStatus(t, ctx, r.drv, kkt.ModeShiftOpen, emulator.SubmodeIdle)
			},
			want: map[kkt.Command]int{kkt.CmdCloseReceipt: 1, kkt.CmdOpenReceipt: 1}},
		{name: "paper taken out while idle",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				r.dev.SetPaper(false)
				mustStatus(t, ctx, r.drv, kkt.ModeShiftOpen, emulator.SubmodePassiveNoPaper)
				mustDeviceError(t, r.drv.OpenReceipt(ctx, kkt.Sale), 0x6B)
				mustDeviceError(t, r.drv.AddItem(ctx, sampleItems[0]), 0x6B)
				r.dev.SetPaper(true)
				sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
			},
			want: map[kkt.Command]int{kkt.CmdOpenReceipt: 1, kkt.CmdOperation: 1 + len(sampleItems), kkt.CmdCloseReceipt: 1}},
		{name: "shift expires: mode 3, only the Z report", script: "shift-expire",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				mustStatus(t, ctx, r.drv, kkt.ModeShiftExpired, emulator.SubmodeIdle)
				mustDeviceError(t, r.drv.AddItem(ctx, sampleItems[0]), 0x16)
				mustDeviceError(t, r.drv.OpenReceipt(ctx, kkt.Sale), 0x4E)
				_, err := r.drv.CashIn(ctx, 1000)
				mustDeviceError(t, err, 0x4E)
				mustDeviceError(t, r.drv.OpenShift(ctx), 0x73)
				if err := r.drv.ZReport(ctx); err != nil {
					t.Fatal(err)
				}
				if err := r.drv.OpenShift(ctx); err != nil {
					t.Fatal(err)
				}
				sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
			},
			want: map[kkt.Command]int{kkt.CmdZReport: 1, kkt.CmdOpenShift: 3, kkt.CmdCloseReceipt: 1}},
		{name: "shift expires after the first receipt", script: "shift-expire cmd=FF45 nth=1",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
				mustStatus(t, ctx, r.drv, kkt.ModeShiftExpired, emulator.SubmodeIdle)
				mustDeviceError(t, r.drv.AddItem(ctx, sampleItems[0]), 0x16)
				fn, err := r.drv.FNStatus(ctx)
				if err != nil || fn.Time.Sub(newClock().Now()) < 24*time.Hour {
					t.Errorf("FN clock %v, %v; want over a day ahead", fn.Time, err)
				}
			},
			want: map[kkt.Command]int{kkt.CmdCloseReceipt: 1}},
		{name: "FN warnings", script: "fn-warnings flags=0x0F",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				fn, err := r.drv.FNStatus(ctx)
				if err != nil || fn.Warnings != 0x0F {
					t.Fatalf("FN status %+v, %v; want warnings 0x0F", fn, err)
				}
			}},
		{name: "marking code refused by the FN", script: "reject-mark gtin=04601234567893 code=0xA3",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				_, err := r.drv.CheckMark(ctx, kkt.MarkCheck{Code: markCode("04601234567893", "AAA")})
				mustDeviceError(t, err, 0xA3)
				res, err := r.drv.CheckMark(ctx, kkt.MarkCheck{Code: markCode("04607000000014", "AAA")})
				if err != nil || !res.Positive() {
					t.Fatalf("another GTIN's check %+v, %v", res, err)
				}
			},
			want: map[kkt.Command]int{kkt.CmdCheckMark: 2}},
		{name: "marking code refused by Честный знак", script: "reject-mark gtin=4601234567893 status=2",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				res, err := r.drv.CheckMark(ctx, kkt.MarkCheck{Code: markCode("04601234567893", "AAA")})
				if err != nil || res.Positive() || res.Result != 0x07 {
					t.Fatalf("check %+v, %v; want the negative result 0x07", res, err)
				}
			},
			want: map[kkt.Command]int{kkt.CmdCheckMark: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newFaultRig(t, tt.script, emulator.Config{}, faultDriverConfig())
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := r.drv.OpenShift(ctx); err != nil {
				t.Fatal(err)
			}
			tt.run(t, ctx, r)
			r.ran(t, tt.want)
		})
	}
}
