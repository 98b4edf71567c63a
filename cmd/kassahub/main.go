// Command kassahub is Kassa's reference central backend: it serves the sync API (sync/openapi.yaml) to the
// store terminals from a bbolt database and carries the operator's commands: terminals, sales, the
// omnichannel report, catalog and customer imports, pickup orders and loyalty ledgers. Every command takes
// --config FILE (TOML, see testdata/kassahub.toml) and --data DIR; flags override the file.
//
//	kassahub serve [--config FILE] [--data DIR] [--listen 127.0.0.1:8787] [--tls-cert F --tls-key F]
//	kassahub terminal add [--data DIR] --store STORE --name NAME
//	kassahub terminal list [--data DIR]
//	kassahub token
//	kassahub sales [--data DIR] [--store STORE] [--format json|csv]
//	kassahub audit [--data DIR] [--store STORE] [--from TIME] [--to TIME] [--format json|csv]
//	kassahub cash [--data DIR] [--store STORE] [--from TIME] [--to TIME] [--format table|csv|json] [--lang ru|en] [--tz ZONE]
//	kassahub report [--data DIR] [--store STORE] [--from DAY] [--to DAY] [--tz ZONE] [--format table|csv|json] [--lang ru|en]
//	kassahub catalog import [--data DIR] --store STORE [--format csv|commerceml] FILE.csv | import.xml offers.xml
//	kassahub customers import [--data DIR] [--full] FILE.csv
//	kassahub loyalty ledger [--data DIR] [--customer ID] [--format text|json]
//	kassahub pickup create [--data DIR] --store STORE --number N --phone +7… --item BARCODE:QTY … [--prepaid]
//	kassahub pickup qr [--data DIR] --order ID --out FILE.png
//	kassahub copy-to-postgres --config FILE [--from DIR]
//	kassahub pickup conflicts [--data DIR] [--store STORE] [--format table|csv|json] [--lang ru|en] [--tz ZONE]
//
// The admin commands write to the database file, which a running hub holds locked: run them on a stopped
// hub, or use the admin API (POST /v1/admin/pickup-orders, GET /v1/admin/report) while it runs. With
// [storage] driver = "postgres" (storage.go) the hub and every command use a PostgreSQL database instead,
// which any number of kassahub instances share and which the admin commands may use while they run.
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
  kassahub serve [--config FILE] [--data DIR] [--listen ADDR] [--tls-cert FILE --tls-key FILE]
                 [--log-level LEVEL] [--max-body BYTES]
  kassahub terminal add [--data DIR] --store STORE --name NAME
  kassahub terminal list [--data DIR]
  kassahub token
  kassahub sales [--data DIR] [--store STORE] [--format json|csv]
  kassahub audit [--data DIR] [--store STORE] [--from TIME] [--to TIME] [--format json|csv]
  kassahub cash [--data DIR] [--store STORE] [--from TIME] [--to TIME] [--format table|csv|json]
                 [--lang ru|en] [--tz Europe/Moscow]
  kassahub report [--data DIR] [--store STORE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                 [--tz Europe/Moscow] [--format table|csv|json] [--lang ru|en]
  kassahub catalog import [--data DIR] --store STORE [--delta] FILE.csv
  kassahub catalog import [--data DIR] --store STORE --format commerceml [--price-type T]
                 [--online-price-type T] [--default-vat RATE] [--delta] import.xml offers.xml
  kassahub customers import [--data DIR] [--full] FILE.csv
  kassahub loyalty ledger [--data DIR] [--customer ID] [--format text|json]
  kassahub pickup create [--data DIR] --store STORE --number N --phone +7... [--name NAME]
                 --item BARCODE:QTY [--item ...] [--prepaid]
  kassahub pickup qr [--data DIR] --order ID --out FILE.png [--size PIXELS]
  kassahub pickup conflicts [--data DIR] [--store STORE] [--format table|csv|json] [--lang ru|en] [--tz ZONE]
  kassahub copy-to-postgres --config FILE [--from DIR]
Every command also takes --config FILE (TOML); flags override it.
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
	cmd, rest := args[0], args[1:]
	sub := func(name string, cmds map[string]func() error) error {
		if len(rest) == 0 || cmds[rest[0]] == nil {
			fmt.Fprint(stderr, usage)
			return fmt.Errorf("%w: %s needs one of its commands", errUsage, name)
		}
		f := cmds[rest[0]]
		rest = rest[1:]
		return f()
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "terminal":
		return sub("terminal", map[string]func() error{
			"add":  func() error { return terminalAdd(rest, stdout, stderr) },
			"list": func() error { return terminalList(rest, stdout, stderr) },
		})
	case "token":
		return token(rest, stdout, stderr)
	case "sales":
		return sales(rest, stdout, stderr)
	case "audit":
		return audit(ctx, rest, stdout, stderr) // audit.go
	case "cash":
		return cash(ctx, rest, stdout, stderr) // cash.go
	case "report":
		return report(ctx, rest, stdout, stderr)
	case "catalog":
		return sub("catalog", map[string]func() error{"import": func() error { return catalogImport(ctx, rest, stdout, stderr) }})
	case "customers":
		return sub("customers", map[string]func() error{"import": func() error { return customersImport(ctx, rest, stdout, stderr) }})
	case "loyalty":
		return sub("loyalty", map[string]func() error{"ledger": func() error { return loyaltyLedger(ctx, rest, stdout, stderr) }})
	case "pickup":
		return sub("pickup", map[string]func() error{
			"create":    func() error { return pickupCreate(ctx, rest, stdout, stderr) },
			"qr":        func() error { return pickupQR(ctx, rest, stdout, stderr) },
			"conflicts": func() error { return pickupConflicts(ctx, rest, stdout, stderr) }, // conflicts.go
		})
	case "copy-to-postgres":
		return copyToPostgres(ctx, rest, stdout, stderr) // copy.go
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

// common are the flags every command has.
type common struct {
	fs     *flag.FlagSet
	config *string
	data   *string
}

// newFlags returns a flag set that reports errors instead of exiting, with --config and --data.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("kassahub "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{fs: fs,
		config: fs.String("config", "", "TOML config file (flags override it)"),
		data:   fs.String("data", defaultData, "data folder holding "+dbName)}
	return fs, c
}

// load reads the config named by --config (if any), lets an explicit --data override it and fills the
// defaults.
func (c *common) load() (Config, error) {
	var cfg Config
	if *c.config != "" {
		var err error
		if cfg, err = loadConfig(*c.config); err != nil {
			return cfg, err
		}
	}
	if c.set("data") || cfg.Data == "" {
		cfg.Data = *c.data
	}
	return cfg.withDefaults(), nil
}

// set reports whether a flag was given on the command line.
func (c *common) set(name string) bool {
	found := false
	c.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// parse parses args and refuses positional leftovers (unless positional is allowed), wrapping mistakes in
// errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

// parseArgs parses flags placed before or after the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func dbPath(data string) string { return filepath.Join(data, dbName) }
