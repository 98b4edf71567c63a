package emulator_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// sellMarked runs the full FFD 1.2 sequence for one code: check, accept, position, bind.
func sellMarked(t *testing.T, d *kkt.Driver, code string) kkt.MarkResult {
	t.Helper()
	ctx := context.Background()
	res, err := d.CheckMark(ctx, kkt.MarkCheck{Code: code})
	must(t, err)
	r2106, err := d.AcceptMark(ctx, true)
	must(t, err)
	if r2106 != res.Result {
		t.Errorf("FF69 gave 0x%02X, FF61 0x%02X", r2106, res.Result)
	}
	must(t, d.AddItem(ctx, water))
	b, err := d.BindMark(ctx, code)
	must(t, err)
	if b.DMType != 1 || b.CodeType != 5 || b.Check != nil {
		t.Errorf("binding = %+v", b)
	}
	return res
}

func TestMarkedItemFlow(t *testing.T) {
	ctx := context.Background()
	dev, d := newShift(t, emulator.Config{RejectMarks: map[string]byte{km("SOLD001"): 2}})
	res := sellMarked(t, d, km("ABC"))
	want := kkt.MarkResult{LocalStatus: 3, CodeType: 5, Online: true, Result: 0x0F}
	if res.Result != want.Result || !res.Positive() || res.LocalStatus != 3 || len(res.ServerTLV) != 2 {
		t.Errorf("check = %+v, want %+v", res, want)
	}
	must(t, d.AddItem(ctx, bread)) // an unmarked position between marked ones
	// A code Честный знак refuses: the FN found it right, ОИСМ says no; the cashier may still accept it.
	neg := sellMarked(t, d, km("SOLD001"))
	if neg.Result != 0x07 || neg.Positive() || neg.ServerTLV[1].Value[0] != 2 {
		t.Errorf("reject-listed check = %+v", neg)
	}
	snap := dev.Snapshot()
	if l := snap.Receipt.Lines; len(l) != 3 || l[0].Mark != km("ABC") || l[0].MarkResult != 0x0F || l[1].Mark != "" || l[2].MarkResult != 0x07 {
		t.Errorf("lines = %+v", l)
	}
	_, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{30000}})
	must(t, err)
	tape := dev.Tape()
	tapeHas(t, tape, "=89,00\n  НДС 20%\n  [М+]", "  [М-]")
	if n := strings.Count(tape, "[М"); n != 2 {
		t.Errorf("%d marks on the tape, want 2", n)
	}
	// The table of checked codes is per receipt: the same code can be checked again in the next one.
	sellMarked(t, d, km("ABC"))
}

func TestMarkingRefusals(t *testing.T) {
	ctx := context.Background()
	check := func(d *kkt.Driver, code string) error {
		_, err := d.CheckMark(ctx, kkt.MarkCheck{Code: code})
		return err
	}
	accept := func(d *kkt.Driver) error { _, err := d.AcceptMark(ctx, true); return err }
	bind := func(d *kkt.Driver, code string) error { _, err := d.BindMark(ctx, code); return err }
	tests := []struct {
		name string
		prep func(d *kkt.Driver) error
		call func(d *kkt.Driver) error
		code byte
	}{
		{"accept without check", nil, accept, 0xA1},
		{"bind without check", nil, func(d *kkt.Driver) error { return bind(d, km("A")) }, 0xA5},
		{"position before accept", func(d *kkt.Driver) error { return check(d, km("A")) },
			func(d *kkt.Driver) error { return d.AddItem(ctx, water) }, 0xA1},
		{"second check before accept", func(d *kkt.Driver) error { return check(d, km("A")) },
			func(d *kkt.Driver) error { return check(d, km("B")) }, 0xA1},
		{"bind before position", func(d *kkt.Driver) error {
			if err := check(d, km("A")); err != nil {
				return err
			}
			return accept(d)
		}, func(d *kkt.Driver) error { return bind(d, km("A")) }, 0xA1},
		{"bind another checked code", func(d *kkt.Driver) error {
			if err := check(d, km("A")); err != nil {
				return err
			}
			if _, err := d.AcceptMark(ctx, false); err != nil {
				return err
			}
			if err := check(d, km("B")); err != nil {
				return err
			}
			if err := accept(d); err != nil {
				return err
			}
			return d.AddItem(ctx, water)
		}, func(d *kkt.Driver) error { return bind(d, km("A")) }, 0xA1},
		{"bind after reject", func(d *kkt.Driver) error {
			if err := check(d, km("A")); err != nil {
				return err
			}
			if _, err := d.AcceptMark(ctx, false); err != nil {
				return err
			}
			return d.AddItem(ctx, water)
		}, func(d *kkt.Driver) error { return bind(d, km("A")) }, 0xA1},
		{"code blocked by config", nil, func(d *kkt.Driver) error { return check(d, km("BLOCKED")) }, 0xA2},
		{"129th code", func(d *kkt.Driver) error {
			for i := range 128 {
				if err := check(d, km(fmt.Sprintf("S%03d", i))); err != nil {
					return err
				}
				if _, err := d.AcceptMark(ctx, false); err != nil {
					return err
				}
			}
			return nil
		}, func(d *kkt.Driver) error { return check(d, km("S128")) }, 0xA3},
		{"bad planned status", nil, func(d *kkt.Driver) error {
			_, err := d.CheckMark(ctx, kkt.MarkCheck{Code: km("A"), PlannedStatus: 7})
			return err
		}, 0x09},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, d := newShift(t, emulator.Config{RejectMarks: map[string]byte{km("BLOCKED"): 0xA2}})
			if tt.prep != nil {
				must(t, tt.prep(d))
			}
			mustCode(t, tt.call(d), tt.code)
		})
	}
}

func TestMalformedMarkIsNegative(t *testing.T) {
	_, d := newShift(t, emulator.Config{})
	res, err := d.CheckMark(context.Background(), kkt.MarkCheck{Code: "4601234567893"})
	must(t, err)
	if res.Positive() || res.LocalStatus != 0 || res.LocalReason != 3 || res.CodeType != 0 {
		t.Errorf("check of an EAN-13 = %+v", res)
	}
}
