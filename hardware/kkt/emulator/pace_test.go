package emulator_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// TestPacedLine: pacing changes when bytes go out, never what: a paced device sells the same receipt, to
// the same tape, as an unpaced one. (How long it takes is measured by the benchmarks in hardware/kkt.)
func TestPacedLine(t *testing.T) {
	ctx := context.Background()
	sale := func(t *testing.T, cfg emulator.Config) string {
		dev, d := newShift(t, cfg)
		must(t, d.AddItem(ctx, bread))
		must(t, d.AddItem(ctx, water))
		closed, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{20000}})
		must(t, err)
		if closed.Change != 20000-13900 || closed.FDNumber != 2 {
			t.Errorf("closed %+v", closed)
		}
		return dev.Tape()
	}
	want := sale(t, emulator.Config{})
	for _, cfg := range []emulator.Config{
		{Baud: 115200},
		{Baud: 19200},
		{Baud: 115200, Faults: []emulator.Fault{{Kind: emulator.FaultByteDelay, Delay: 1e6}}},
	} {
		t.Run(fmt.Sprintf("baud %d, %d faults", cfg.Baud, len(cfg.Faults)), func(t *testing.T) {
			if got := sale(t, cfg); got != want {
				t.Errorf("tape of the paced device:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
