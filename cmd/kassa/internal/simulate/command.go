package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
)

const usage = `kassa simulate --hub URL [--token TOKEN] --sales N [--rate PER_S] [--data DIR] [--terminal NAME]
               [--ca FILE] [--batch N] [--seed N] [--shift-sales N] [--fault-every N] [--log-level LEVEL]

A terminal without a window: sells N random receipts from the store's catalog (the demo catalog in an empty
store) through the till's checkout on the emulated ККТ, replays them to the hub and exits 0 once the hub has
acknowledged every event. Run again on the same --data to resume an interrupted replay; every run makes N
more sales (--sales 0 only finishes the replay). The last line on stdout is a JSON summary.

`

// Main runs `kassa simulate` with args and returns the exit code: 0 when the hub acknowledged every event,
// 1 when the run failed or was interrupted, 2 for a wrong command line.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kassa simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	var o Options
	fs.StringVar(&o.Hub, "hub", "", "the hub's URL, e.g. http://127.0.0.1:8787")
	fs.StringVar(&o.Token, "token", "", "the terminal's token (`kassahub terminal add` prints it); kept in DIR/token")
	fs.IntVar(&o.Sales, "sales", -1, "sales to make in this run")
	fs.Float64Var(&o.Rate, "rate", 0, "sales per second (0: as fast as the register allows)")
	fs.StringVar(&o.Data, "data", "kassa-sim", "data folder")
	fs.StringVar(&o.Terminal, "terminal", "till-1", "the terminal's name at the hub (the token's terminal)")
	fs.StringVar(&o.CAFile, "ca", "", "PEM file of the hub's CA, for a backend with its own")
	fs.IntVar(&o.Batch, "batch", 0, "events per request (0: the replayer's default, 200)")
	fs.Uint64Var(&o.Seed, "seed", 0, "seed of the random receipts (0: random)")
	fs.IntVar(&o.ShiftSales, "shift-sales", 0, "close the shift with a Z report every N sales and at the end (0: never)")
	fs.IntVar(&o.FaultEvery, "fault-every", 0, "arm a random ККТ fault every N sales (0: none)")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var lvl slog.Level
	switch err := lvl.UnmarshalText([]byte(*level)); {
	case err != nil:
		fmt.Fprintln(stderr, "kassa simulate: --log-level:", err)
		return 2
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kassa simulate: unexpected argument %q\n", fs.Arg(0))
		return 2
	case o.Hub == "" || o.Sales < 0:
		fmt.Fprint(stderr, "kassa simulate: --hub and --sales are required\n\n")
		fs.Usage()
		return 2
	}
	o.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))
	sum, err := Run(ctx, o)
	if b, jerr := json.Marshal(sum); jerr == nil {
		fmt.Fprintln(stdout, string(b))
	}
	if err != nil {
		fmt.Fprintln(stderr, "kassa simulate:", err)
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "kassa simulate: interrupted; run again with the same --data to resume")
		}
		return 1
	}
	return 0
}
