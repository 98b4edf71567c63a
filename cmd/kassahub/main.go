// Command kassahub is Kassa's reference central backend: it serves the sync API (sync/openapi.yaml) to the
// store terminals from a bbolt database, registers terminals and lists the sales they replayed.
//
//	kassahub serve [--data DIR] [--listen 127.0.0.1:8787]
//	kassahub terminal add [--data DIR] --store STORE --name NAME
//	kassahub terminal list [--data DIR]
//	kassahub sales [--data DIR] [--store STORE] [--format json|csv]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

const (
	defaultData   = "./kassahub-data"
	defaultListen = "127.0.0.1:8787"
	dbName        = "hub.db"
)

const usage = `usage:
  kassahub serve [--data DIR] [--listen ADDR]
  kassahub terminal add [--data DIR] --store STORE --name NAME
  kassahub terminal list [--data DIR]
  kassahub sales [--data DIR] [--store STORE] [--format json|csv]
`

// errUsage marks a command line mistake: main exits with status 2 for it.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "kassahub:", err)
		os.Exit(1)
	}
}

// run executes one kassahub command; it returns when the command is done or, for serve, when ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: no command", errUsage)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "terminal":
		return terminal(rest, stdout, stderr)
	case "sales":
		return sales(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

// newFlags returns a flag set that reports errors instead of exiting, with the --data flag every command has.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("kassahub "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultData, "data folder holding "+dbName)
	return fs, data
}

// parse parses args and refuses positional leftovers, wrapping mistakes in errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

func dbPath(data string) string { return filepath.Join(data, dbName) }
