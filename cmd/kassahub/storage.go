package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/metrics"
	"github.com/kassa-pos/kassa/sync/hub/pgstore"
)

// Storage drivers of the [storage] section.
const (
	driverBolt     = "bbolt"    // one file in the data folder, one kassahub process (the default)
	driverPostgres = "postgres" // a PostgreSQL database, shared by any number of kassahub processes
)

// envDSN names the environment variable that gives the PostgreSQL DSN when the config has none, so a
// password need not sit in the config file (pgx also reads PGPASSWORD and ~/.pgpass).
const envDSN = "KASSAHUB_DSN"

// storageConfig is the [storage] section.
type storageConfig struct {
	Driver string `toml:"driver"` // bbolt (default) or postgres
	DSN    string `toml:"dsn"`    // postgres://user@host:5432/kassahub?sslmode=verify-full&pool_max_conns=40
}

func (c storageConfig) validate() error {
	switch c.Driver {
	case "", driverBolt, driverPostgres:
		return nil
	}
	return fmt.Errorf("storage.driver %q: want %s or %s", c.Driver, driverBolt, driverPostgres)
}

// dsn is the configured DSN, or the one in the environment.
func (c storageConfig) dsn() string {
	if c.DSN != "" {
		return c.DSN
	}
	return os.Getenv(envDSN)
}

// hubStore is what serve and the admin commands use of the hub's storage: *hub.Storage (bbolt) and
// *pgstore.Store (PostgreSQL) both provide it.
type hubStore interface {
	hub.AdminStore
	Close() error
}

// connectTimeout bounds connecting to PostgreSQL and migrating its schema.
const connectTimeout = time.Minute

// openPostgres connects to the configured database and brings its schema up to date.
func openPostgres(cfg Config) (hubStore, error) {
	dsn := cfg.Storage.dsn()
	if dsn == "" {
		return nil, fmt.Errorf("storage.driver is %s but neither storage.dsn nor $%s is set", driverPostgres, envDSN)
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	return pgstore.Open(ctx, dsn)
}

// openData opens the hub's storage for a command: with bbolt, the database of the data folder for writing
// (creating the folder) or read-only, which needs an existing database and a stopped hub; with
// PostgreSQL, the shared database, which running hubs do not lock.
func openData(cfg Config, write bool) (hubStore, error) {
	if cfg.Storage.Driver == driverPostgres {
		return openPostgres(cfg)
	}
	data := cfg.Data
	if write {
		if err := os.MkdirAll(data, 0o700); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
		st, err := hub.Open(dbPath(data))
		if errors.Is(err, hub.ErrLocked) {
			return nil, fmt.Errorf("%w (stop kassahub serve first; the web shop can use the admin API meanwhile)", err)
		}
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	if _, err := os.Stat(dbPath(data)); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no hub database in %s (wrong --data?)", data)
	}
	st, err := hub.OpenReadOnly(dbPath(data))
	if err != nil {
		return nil, err
	}
	return st, nil
}

// openServe opens the storage kassahub serve runs on.
func openServe(cfg Config) (hubStore, error) {
	if cfg.Storage.Driver == driverPostgres {
		return openPostgres(cfg)
	}
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	st, err := hub.Open(dbPath(cfg.Data))
	if err != nil {
		return nil, err
	}
	return st, nil
}

// closeData closes a storage opened for writing, reporting a failure unless an error is already set.
func closeData(st hubStore, err *error) {
	if cerr := st.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}

// storageName is the driver serve logs.
func storageName(cfg Config) string {
	if cfg.Storage.Driver == "" {
		return driverBolt
	}
	return cfg.Storage.Driver
}

// registerPoolMetrics exports the connection pool's counters when the hub runs on PostgreSQL; bbolt has
// no pool, so its hubs export none.
func registerPoolMetrics(m *metrics.Metrics, st hubStore) error {
	pg, ok := st.(*pgstore.Store)
	if !ok {
		return nil
	}
	return m.RegisterPool(func() metrics.PoolStat {
		s := pg.Stat()
		return metrics.PoolStat{Acquired: s.AcquiredConns(), Idle: s.IdleConns(), Total: s.TotalConns(),
			Max: s.MaxConns(), Acquires: s.AcquireCount(), EmptyAcquires: s.EmptyAcquireCount(),
			CanceledAcquires: s.CanceledAcquireCount(), AcquireDuration: s.AcquireDuration(),
			EmptyAcquireWait: s.EmptyAcquireWaitTime()}
	})
}
