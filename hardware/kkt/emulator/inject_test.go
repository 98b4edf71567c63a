package emulator_test

import (
	"context"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// TestInjectStateFaults arms state faults on a serving device and checks when each takes effect.
func TestInjectStateFaults(t *testing.T) {
	ctx := context.Background()
	warnings := func(d *kkt.Driver) byte {
		fn, err := d.FNStatus(ctx)
		must(t, err)
		return fn.Warnings
	}
	mode := func(d *kkt.Driver) byte {
		st, err := d.ShortStatus(ctx)
		must(t, err)
		return st.Mode()
	}
	tests := []struct {
		name string
		run  func(t *testing.T, dev *emulator.Device, d *kkt.Driver)
	}{
		{"shift-expire with a shift open: at once", func(t *testing.T, dev *emulator.Device, d *kkt.Driver) {
			must(t, dev.Inject(emulator.Fault{Kind: emulator.FaultShiftExpire}))
			if m := mode(d); m != kkt.ModeShiftExpired {
				t.Fatalf("mode %d, want 3", m)
			}
			_, err := d.CloseReceipt(ctx, kkt.Close{})
			mustCode(t, err, 0x55) // no receipt: the device says so before the shift's age
			must(t, d.ZReport(ctx))
			must(t, d.OpenShift(ctx))
			if m := mode(d); m != kkt.ModeShiftOpen {
				t.Errorf("mode %d in the new shift, want 2", m)
			}
		}},
		{"shift-expire with no shift: the next one", func(t *testing.T, dev *emulator.Device, d *kkt.Driver) {
			must(t, d.ZReport(ctx))
			must(t, dev.Inject(emulator.Fault{Kind: emulator.FaultShiftExpire}))
			if m := mode(d); m != kkt.ModeShiftClosed {
				t.Fatalf("mode %d, want 4", m)
			}
			must(t, d.OpenShift(ctx))
			if m := mode(d); m != kkt.ModeShiftExpired {
				t.Fatalf("mode %d after the shift opened, want 3", m)
			}
		}},
		{"fn-warnings after the second Z", func(t *testing.T, dev *emulator.Device, d *kkt.Driver) {
			must(t, dev.Inject(emulator.Fault{Kind: emulator.FaultFNWarnings, Flags: 0x02, Cmd: kkt.CmdZReport, Nth: 2}))
			mustCode(t, d.OpenShift(ctx), 0x73) // a refused command does not count
			must(t, d.ZReport(ctx))
			if w := warnings(d); w != 0 {
				t.Fatalf("warnings 0x%02X after the first Z", w)
			}
			must(t, d.OpenShift(ctx))
			must(t, d.ZReport(ctx))
			if w := warnings(d); w != 0x02 {
				t.Fatalf("warnings 0x%02X after the second Z, want 0x02", w)
			}
			must(t, dev.Inject(emulator.Fault{Kind: emulator.FaultFNWarnings}))
			if w := warnings(d); w != 0 {
				t.Errorf("warnings 0x%02X after they were cleared", w)
			}
		}},
		{"reject-mark every code; Config.RejectMarks still rules its own", func(t *testing.T, dev *emulator.Device, d *kkt.Driver) {
			must(t, dev.Inject(emulator.Fault{Kind: emulator.FaultRejectMark, Code: 0xA2}))
			_, err := d.CheckMark(ctx, kkt.MarkCheck{Code: km("ANY")})
			mustCode(t, err, 0xA2)
			res, err := d.CheckMark(ctx, kkt.MarkCheck{Code: km("CFG")})
			if err != nil || res.Result != 0x07 {
				t.Errorf("a code Config.RejectMarks refuses with status 2: %+v, %v; want result 0x07", res, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev, d := newShift(t, emulator.Config{RejectMarks: map[string]byte{km("CFG"): 2}})
			tt.run(t, dev, d)
		})
	}
}
