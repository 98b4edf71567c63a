package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/pgstore"
)

// copyToPostgres moves a chain's hub from bbolt to PostgreSQL: it copies the database of a stopped bbolt
// hub (--from, default --data) into the empty PostgreSQL database of the config's [storage] section, in
// one transaction. Tokens, sequence state, feed cursors and the database epoch move with it, so the
// terminals carry on against the PostgreSQL hubs without noticing.
func copyToPostgres(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl, com := newFlags("copy-to-postgres", stderr)
	from := fl.String("from", "", "data folder of the stopped bbolt hub (default: --data)")
	if err := parse(fl, args); err != nil {
		return err
	}
	cfg, err := com.load()
	if err != nil {
		return err
	}
	if cfg.Storage.Driver != driverPostgres {
		return fmt.Errorf("%w: copy-to-postgres needs a config with [storage] driver = %q", errUsage, driverPostgres)
	}
	src := cfg.Data
	if *from != "" {
		src = *from
	}
	if _, err := os.Stat(dbPath(src)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no hub database in %s (wrong --from?)", src)
	}
	bolt, err := hub.OpenReadOnly(dbPath(src))
	if err != nil {
		return err
	}
	defer bolt.Close()
	dsn := cfg.Storage.dsn()
	if dsn == "" {
		return fmt.Errorf("storage.driver is %s but neither storage.dsn nor $%s is set", driverPostgres, envDSN)
	}
	pg, err := pgstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer pg.Close()
	stats, err := pg.Load(ctx, func(sink hub.DumpSink) error { return bolt.Dump(ctx, sink) })
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "copied %d terminals, %d events, %d refused events, %d feed items, %d barcodes, %d customers, "+
		"%d ledger entries, %d pickup orders\n", stats.Terminals, stats.Events, stats.Rejected, stats.FeedItems, stats.Barcodes,
		stats.Customers, stats.Ledger, stats.Pickups)
	return err
}
