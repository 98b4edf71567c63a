// Command kktemu emulates a Shtrih-M fiscal register on a pseudo-terminal: it prints "kkt: /dev/pts/N" on
// stdout, serves the device there until SIGINT/SIGTERM, logs to stderr and prints the paper tape to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kktemu:", err)
		os.Exit(1)
	}
}

// run serves the emulator until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kktemu", flag.ContinueOnError)
	fs.SetOutput(stderr)
	state := fs.String("state", "", "JSON file keeping the device state across restarts")
	fn := fs.String("fn", emulator.DefaultFNSerial, "16-digit FN serial number")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	dev, err := emulator.New(emulator.Config{FNSerial: *fn, StateFile: *state, Logger: log})
	if err != nil {
		return err
	}
	dev.OnTape(func(line string) { fmt.Fprintln(stderr, "| "+line) })
	pt, err := serialport.OpenPTY()
	if err != nil {
		return err
	}
	defer pt.Close()
	if _, err := fmt.Fprintf(stdout, "kkt: %s\n", pt.Path); err != nil {
		return err
	}
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
	snap := dev.Snapshot()
	log.Info("kkt emulator ready", "port", pt.Path, "fn", *fn, "shift_open", snap.ShiftOpen, "last_fd", snap.LastFD)
	if err := dev.Serve(ctx, pt.Master); err != nil {
		return err
	}
	log.Info("kkt emulator stopped")
	return nil
}
