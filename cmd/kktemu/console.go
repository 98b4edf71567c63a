package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/scanner"
)

// console reads stdin: a line starting with "!" is a command to the KKT ("!paper off", "!paper on", or a
// fault as --fault takes it), any other line is scanned. The devices register themselves before it runs.
type console struct {
	kkt     *emulator.Device
	scanner *scanner.Emulator
	log     *slog.Logger
}

// feed handles every line of r until r ends or ctx is done.
func (c *console) feed(ctx context.Context, r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if ctx.Err() != nil {
			return
		}
		c.line(strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil && ctx.Err() == nil {
		c.log.Warn("stdin: no more input", "err", err)
	}
}

func (c *console) line(s string) {
	if cmd, ok := strings.CutPrefix(s, "!"); ok {
		if err := c.command(strings.TrimSpace(cmd)); err != nil {
			c.log.Warn("kkt: command refused", "command", cmd, "err", err)
			return
		}
		c.log.Info("kkt: command done", "command", cmd)
		return
	}
	// A literal <GS> becomes the 0x1D of marking codes.
	code := strings.ReplaceAll(s, "<GS>", "\x1d")
	if code == "" {
		return
	}
	if c.scanner == nil {
		c.log.Warn("scanner: not emulated, code dropped", "code", code)
		return
	}
	c.scanner.Send(code)
	c.log.Info("scanner: sent", "code", code)
}

// command runs one KKT command of the console.
func (c *console) command(cmd string) error {
	if c.kkt == nil {
		return errors.New("the kkt is not emulated")
	}
	switch cmd {
	case "paper on":
		c.kkt.SetPaper(true)
		return nil
	case "paper off":
		c.kkt.SetPaper(false)
		return nil
	}
	f, err := emulator.ParseFault(cmd)
	if err != nil {
		return err
	}
	return c.kkt.Inject(f)
}

// faultFlags collects repeated --fault flags.
type faultFlags []emulator.Fault

func (f *faultFlags) String() string {
	if f == nil {
		return ""
	}
	s := make([]string, len(*f))
	for i, x := range *f {
		s[i] = x.String()
	}
	return strings.Join(s, "; ")
}

func (f *faultFlags) Set(spec string) error {
	x, err := emulator.ParseFault(spec)
	if err != nil {
		return err
	}
	*f = append(*f, x)
	return nil
}

// readFaults reads a --faults script.
func readFaults(path string) ([]emulator.Fault, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("faults: %w", err)
	}
	defer file.Close()
	faults, err := emulator.ParseFaults(file)
	if err != nil {
		return nil, fmt.Errorf("faults %s: %w", path, err)
	}
	return faults, nil
}
