package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/kassa-pos/kassa/hardware/display"
	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/scanner"
)

// newDevice builds the emulator called name; every name in deviceNames is known.
func newDevice(name string, o options) (device, error) {
	switch name {
	case "kkt":
		return newKKT(o)
	case "printer":
		return newPrinter(o)
	case "scanner":
		return newScanner(o), nil
	case "scale":
		emu := scale.NewEmulator()
		emu.SetWeight(o.weight, true)
		return device{name: name, serve: func(ctx context.Context, m *os.File) error { return emu.Serve(ctx, m) }}, nil
	case "display":
		return newDisplay(o), nil
	}
	return device{}, fmt.Errorf("unknown device %q", name)
}

func newKKT(o options) (device, error) {
	dev, err := emulator.New(emulator.Config{FNSerial: o.fn, StateFile: o.state, Logger: o.log, Baud: o.baud,
		Faults: o.faults})
	if err != nil {
		return device{}, err
	}
	o.console.kkt = dev
	for _, f := range o.faults {
		o.log.Info("kkt fault armed", "fault", f.String())
	}
	dev.OnTape(func(line string) { fmt.Fprintln(o.stderr, "| "+line) })
	serve := func(ctx context.Context, m *os.File) error {
		snap := dev.Snapshot()
		o.log.Info("kkt state", "fn", o.fn, "shift_open", snap.ShiftOpen, "last_fd", snap.LastFD)
		return dev.Serve(ctx, m)
	}
	return device{name: "kkt", serve: serve}, nil
}

func newPrinter(o options) (device, error) {
	d := device{name: "printer"}
	var out io.Writer = &printLog{log: o.log}
	if o.printerOut != "" {
		f, err := os.OpenFile(o.printerOut, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600) // the tape may hold receipts: private, like the terminal's data
		if err != nil {
			return device{}, fmt.Errorf("printer output: %w", err)
		}
		out, d.close = f, f.Close
	}
	emu := escpos.NewEmulator(escpos.EmulatorConfig{Paper: escpos.Paper{Present: true}, Out: out, Logger: o.log})
	d.serve = func(ctx context.Context, m *os.File) error { return emu.Serve(ctx, m) }
	return d, nil
}

// maxPending bounds what printLog holds back waiting for the rest of a command or line.
const maxPending = 64 << 10

// printLog logs the text lines the printer receives. The pty hands the bytes over in arbitrary chunks, so a
// command cut in two, or a line whose LF has not come yet, waits for the next chunk.
type printLog struct {
	log     *slog.Logger
	pending []byte
}

func (p *printLog) Write(b []byte) (int, error) {
	p.pending = append(p.pending, b...)
	d, err := escpos.Decode(p.pending)
	truncated := errors.Is(err, escpos.ErrTruncated)
	if len(p.pending) < maxPending && (truncated || lineOpen(d, p.pending)) {
		return len(b), nil
	}
	if err != nil && !truncated {
		p.log.Debug("printer: undecodable bytes", "err", err)
	}
	for _, l := range d.Lines() {
		p.log.Info("printer", "line", l)
	}
	p.pending = p.pending[:0]
	return len(b), nil
}

// lineOpen: the stream ends inside a text line, which more bytes may continue.
func lineOpen(d escpos.Decoded, b []byte) bool {
	n := len(d.Elements)
	return n > 0 && d.Elements[n-1].Kind == escpos.KindText && b[len(b)-1] != '\n'
}

func newScanner(o options) device {
	emu := scanner.NewEmulator()
	o.console.scanner = emu
	serve := func(ctx context.Context, m *os.File) error {
		// Without a host the pty fills up and a write blocks; the deadline lets Serve see ctx end.
		stop := context.AfterFunc(ctx, func() { _ = m.SetWriteDeadline(time.Now()) })
		defer stop()
		err := emu.Serve(ctx, m)
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	return device{name: "scanner", serve: serve}
}

func newDisplay(o options) device {
	emu := display.NewEmulator()
	last := emu.Lines()
	changed := func() {
		if l := emu.Lines(); l != last {
			last = l
			o.log.Info("display", "line1", l[0], "line2", l[1])
		}
	}
	serve := func(ctx context.Context, m *os.File) error {
		err := emu.Serve(ctx, watched{File: m, before: changed})
		changed()
		return err
	}
	return device{name: "display", serve: serve}
}

// watched calls before ahead of every read: the display emulator has applied the previous read by then.
// The embedded file keeps SetReadDeadline, which the emulator needs to stop on ctx end.
type watched struct {
	*os.File
	before func()
}

func (w watched) Read(p []byte) (int, error) {
	w.before()
	return w.File.Read(p)
}
