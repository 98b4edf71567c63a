package scale_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// rig is Scale → serialport (tarm) → pseudo-terminal → Emulator.
func rig(t *testing.T) (*scale.Scale, *scale.Emulator) {
	t.Helper()
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	port, err := serialport.Open(serialport.Config{Path: pt.Path})
	if err != nil {
		pt.Close()
		t.Fatal(err)
	}
	emu := scale.NewEmulator()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := emu.Serve(ctx, pt.Master); err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		port.Close()
		pt.Close()
	})
	return scale.New(port, scale.Config{AnswerTimeout: time.Second, PollInterval: 20 * time.Millisecond}), emu
}

func TestOverSerialPort(t *testing.T) {
	ctx := context.Background()
	s, emu := rig(t)
	tests := []struct {
		name     string
		grams    int64
		stable   bool
		overload bool
		want     int64
		wantErr  error
	}{
		{"stable", 1234, true, false, 1234, nil},
		{"empty platform", 0, true, false, 0, nil},
		{"heavy", 14_995, true, false, 14_995, nil},
		{"unstable", 800, false, false, 0, scale.ErrUnstable},
		{"overload", 40_000, true, true, 0, scale.ErrOverload},
		{"negative", -35, true, false, 0, scale.ErrUnderload},
		{"stable again", 512, true, false, 512, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu.SetWeight(tt.grams, tt.stable)
			emu.SetOverload(tt.overload)
			got, err := s.StableWeight(ctx, 150*time.Millisecond)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Fatalf("StableWeight = %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
	r, err := s.Weight(ctx)
	if err != nil || r != (scale.Reading{Grams: 512, Stable: true}) {
		t.Errorf("Weight = %+v, %v", r, err)
	}
}

// TestSettlesWhileWaiting puts the load down unsettled and lets it settle after a few polls.
func TestSettlesWhileWaiting(t *testing.T) {
	s, emu := rig(t)
	emu.SetWeight(2750, false)
	before := emu.Requests()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for emu.Requests() < before+3 && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		emu.SetWeight(2755, true)
	}()
	got, err := s.StableWeight(ctx, time.Minute)
	if err != nil || got != 2755 {
		t.Fatalf("StableWeight = %d, %v; want 2755", got, err)
	}
	if n := emu.Requests() - before; n < 4 {
		t.Errorf("%d requests, want at least 4 (3 unstable answers, then the stable one)", n)
	}
}

// TestRealDevice reads a real scale named by KASSA_SCALE_PORT (baud KASSA_SCALE_BAUD, 57600 when unset;
// that default is what one public integration guide used for a Massa-K on a USB serial port, not a documented
// factory setting). Put a known load on it and set KASSA_SCALE_GRAMS to check the value too.
func TestRealDevice(t *testing.T) {
	path := os.Getenv("KASSA_SCALE_PORT")
	if path == "" {
		t.Skip("KASSA_SCALE_PORT is not set")
	}
	baud := 57600
	if v := os.Getenv("KASSA_SCALE_BAUD"); v != "" {
		var err error
		if baud, err = strconv.Atoi(v); err != nil {
			t.Fatalf("KASSA_SCALE_BAUD: %v", err)
		}
	}
	port, err := serialport.Open(serialport.Config{Path: path, Baud: baud})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	s := scale.New(port, scale.Config{AnswerTimeout: 2 * time.Second})
	r, err := s.Weight(context.Background())
	if err != nil && !errors.Is(err, scale.ErrUnderload) && !errors.Is(err, scale.ErrOverload) {
		t.Fatalf("Weight: %v", err)
	}
	t.Logf("reading %+v, %v", r, err)
	if v := os.Getenv("KASSA_SCALE_GRAMS"); v != "" {
		want, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("KASSA_SCALE_GRAMS: %v", err)
		}
		got, err := s.StableWeight(context.Background(), 5*time.Second)
		if err != nil || got != want {
			t.Fatalf("StableWeight = %d, %v; want %d", got, err, want)
		}
	}
}
