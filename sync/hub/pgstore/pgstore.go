// Package pgstore is the hub's storage on PostgreSQL, for a chain whose backend outgrows one bbolt file.
// *Store implements hub.Backend and the admin operations of *hub.Storage with the same behaviour, so the
// terminals cannot tell the two apart, and several kassahub instances can share one database: every
// rule that bbolt gets from its single writer is a lock or a unique key here.
//
//   - Idempotency: events.id is the primary key. A batch first claims its new ids with INSERT … ON
//     CONFLICT DO NOTHING, so an id arriving at two instances at once is stored, and acted on, once.
//   - A terminal's sequence state is its row in terminals, locked for the batch.
//   - Feed cursors: a change takes the next sequence of its scope with the scope's row in feed_scopes
//     locked until commit, so sequence order is commit order and a reader never skips a change.
//   - Loyalty balances and pickup hand-overs change under the scope's lock and the row's, in the batch's
//     transaction; a deadlock or serialisation failure retries the whole transaction.
//
// The schema comes from the embedded migrations/*.sql, applied in order under an advisory lock, so two
// instances starting at once do not race; schema_migrations records what was applied. Load fills an empty
// database from a bbolt hub's Dump (kassahub copy-to-postgres), keeping tokens, sequences and cursors.
package pgstore

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock key held while migrating ("kassa" in ASCII).
const migrationLock = 0x6b61737361

// Store is the hub's PostgreSQL storage. It is safe for concurrent use, and for use by several processes
// on one database.
type Store struct {
	pool  *pgxpool.Pool
	epoch string

	mu    sync.Mutex
	auth  map[string]authEntry // token SHA-256 -> terminal, see Authenticate
	clock func() time.Time
}

// Open connects to the database of dsn (a PostgreSQL URL or key=value string; pool settings such as
// pool_max_conns go in it too) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open hub storage: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open hub storage: %w", err)
	}
	s := &Store{pool: pool, auth: map[string]authEntry{}, clock: time.Now}
	if err := s.prepare(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("prepare hub storage on %s@%s: %w", cfg.ConnConfig.Database, cfg.ConnConfig.Host, err)
	}
	return s, nil
}

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// pingTimeout bounds a health check: a pool that cannot get a connection and a round trip done in that
// time is reported down rather than holding the probe.
const pingTimeout = time.Second

// Ping checks that the pool can reach the database (a connection and an empty round trip). It implements
// hub.Pinger for the health probe.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping hub storage: %w", err)
	}
	return nil
}

// Stat returns a snapshot of the connection pool's counters, for the hub's metrics.
func (s *Store) Stat() *pgxpool.Stat { return s.pool.Stat() }

// Epoch names this database in feed cursors.
func (s *Store) Epoch() string { return s.epoch }

func (s *Store) prepare(ctx context.Context) error {
	if err := migrate(ctx, s.pool); err != nil {
		return err
	}
	raw := make([]byte, 6)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	// The first instance to get here names the database; the others read its name. Two statements: the
	// SELECT's snapshot must be taken after an insert by another instance that the INSERT waited for.
	if _, err := s.pool.Exec(ctx, "INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING",
		hex.EncodeToString(raw)); err != nil {
		return fmt.Errorf("epoch: %w", err)
	}
	if err := s.pool.QueryRow(ctx, "SELECT value FROM meta WHERE key = 'epoch'").Scan(&s.epoch); err != nil {
		return fmt.Errorf("epoch: %w", err)
	}
	return nil
}

// Migration is one schema version of the embedded migrations.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations in order: files NNN_name.sql.
func Migrations() ([]Migration, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, f := range files {
		base := strings.TrimSuffix(strings.TrimPrefix(f, "migrations/"), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s: want NNN_name.sql", f)
		}
		data, err := migrations.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(data)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migration %d twice", out[i].Version)
		}
	}
	return out, nil
}

// migrate applies the migrations the database lacks, each in the transaction that records it, all under
// a transaction-scoped advisory lock: a second instance starting at the same time waits, then finds
// nothing left to do.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	list, err := Migrations()
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("schema_migrations: %w", err)
		}
		var have int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&have); err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
		if last := list[len(list)-1].Version; have > last {
			return fmt.Errorf("database schema version %d is newer than this kassahub's %d: upgrade kassahub", have, last)
		}
		for _, m := range list {
			if m.Version <= have {
				continue
			}
			// Without arguments Exec uses the simple protocol, which runs a file of several statements.
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %03d_%s: %w", m.Version, m.Name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
				return fmt.Errorf("record migration %d: %w", m.Version, err)
			}
		}
		return nil
	})
}

// SchemaVersion returns the highest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// errRetry asks write to run its transaction again: a row it expected to insert appeared meanwhile.
var errRetry = errors.New("retry the transaction")

// maxAttempts bounds the retries of a transaction that keeps meeting deadlocks or serialisation failures.
const maxAttempts = 20

// write runs fn in a read-committed transaction, running it again from the start after a deadlock, a
// serialisation failure or errRetry: fn must reset whatever it computes.
func (s *Store) write(ctx context.Context, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, fn)
		if !retryable(err) {
			return err
		}
	}
	return fmt.Errorf("gave up after %d attempts: %w", maxAttempts, err)
}

func retryable(err error) bool {
	if errors.Is(err, errRetry) {
		return true
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// read runs fn in a read-only repeatable-read transaction: every query of fn sees one snapshot.
func (s *Store) read(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// opTimeout bounds the operations whose hub.Storage signature has no context (terminal administration).
const opTimeout = 30 * time.Second

func background() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), opTimeout)
}

// nullTime turns the zero time into SQL NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
