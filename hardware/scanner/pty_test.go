package scanner

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/serialport"
)

// TestSerialScanner runs the Reader on a real serial port (a pty) against the emulator on the device
// side: codes arrive byte for byte, GS and AIM identifiers intact, and half a code is dropped.
func TestSerialScanner(t *testing.T) {
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer pt.Close()
	port, err := serialport.Open(serialport.Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()

	emu := NewEmulator()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- emu.Serve(ctx, pt.Master) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()

	r := NewReader(port, Config{LineTimeout: 300 * time.Millisecond})
	next := func() (Scan, error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return r.Next(ctx)
	}

	steps := []struct {
		name    string
		send    func()
		want    Scan
		wantErr error
	}{
		{name: "shoes with GS and AIM", send: func() { emu.Send("]d2" + shoes) },
			want: Scan{Symbology: "]d2", Data: shoes, Raw: "]d2" + shoes}},
		{name: "water without AIM", send: func() { emu.Send(water) }, want: Scan{Data: water, Raw: water}},
		{name: "EAN-13", send: func() { emu.Send("]E04607001771401") },
			want: Scan{Symbology: "]E0", Data: "4607001771401", Raw: "]E04607001771401"}},
		{name: "half a code", send: func() { emu.SendPartial("]d2" + water[:12]) }, wantErr: ErrIncomplete},
		{name: "the rescan after it", send: func() { emu.Send("]d2" + water) },
			want: Scan{Symbology: "]d2", Data: water, Raw: "]d2" + water}},
		{name: "tobacco pack", send: func() { emu.Send(tobaccoPack) }, want: Scan{Data: tobaccoPack, Raw: tobaccoPack}},
	}
	for _, st := range steps {
		st.send()
		got, err := next()
		if st.wantErr != nil {
			if !errors.Is(err, st.wantErr) {
				t.Fatalf("%s: Next = %+v, %v; want %v", st.name, got, err, st.wantErr)
			}
			continue
		}
		if err != nil || got != st.want {
			t.Fatalf("%s: Next = %+v, %v\nwant %+v", st.name, got, err, st.want)
		}
	}
}

func TestEmulatorSuffix(t *testing.T) {
	tests := []struct {
		name, suffix string
		cfg          Config
	}{
		{name: "CR", suffix: "\r"},
		{name: "LF", suffix: "\n"},
		{name: "ETX", suffix: "\x03", cfg: Config{Suffix: "\x03"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pt, err := serialport.OpenPTY()
			if err != nil {
				t.Fatalf("open a pseudo-terminal: %v", err)
			}
			defer pt.Close()
			emu := NewEmulator()
			emu.Suffix = tc.suffix
			emu.Send(water)
			emu.Send("46009333")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			// Open discards what arrived before it, so the port is opened before the emulator writes.
			port, err := serialport.Open(serialport.Config{Path: pt.Path})
			if err != nil {
				t.Fatal(err)
			}
			defer port.Close()
			go emu.Serve(ctx, pt.Master)
			r := NewReader(port, tc.cfg)
			for _, want := range []string{water, "46009333"} {
				if got, err := r.Next(ctx); err != nil || got.Data != want {
					t.Fatalf("Next = %+v, %v; want %q", got, err, want)
				}
			}
		})
	}
}
