package pgstore

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kassa-pos/kassa/sync/hub"
)

// ErrNotEmpty means Load was given a database that already holds hub data.
var ErrNotEmpty = errors.New("the database already holds hub data")

// LoadStats counts what Load wrote.
type LoadStats struct {
	Terminals, Events, Rejected, FeedItems, Barcodes, Customers, Ledger, Pickups int
}

// Load fills an empty database with what dump hands its sink (hub.Storage.Dump: a bbolt hub moving to
// PostgreSQL), in one transaction, with COPY. The database takes the dump's epoch and every feed item its
// sequence, so the terminals' cursors and tokens stay good. Run it before any hub instance starts on the
// database: an instance reads the epoch when it starts.
func (s *Store) Load(ctx context.Context, dump func(hub.DumpSink) error) (LoadStats, error) {
	var stats LoadStats
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var used bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM terminals) OR EXISTS (SELECT 1 FROM events)
			OR EXISTS (SELECT 1 FROM feed_scopes) OR EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM pickups)`).Scan(&used)
		if err != nil {
			return err
		}
		if used {
			return ErrNotEmpty
		}
		l := &loader{ctx: ctx, tx: tx, rows: map[string][][]any{}}
		if err := dump(l); err != nil {
			return err
		}
		if err := l.flushAll(); err != nil {
			return err
		}
		stats = l.stats
		if l.epoch != "" {
			if _, err := tx.Exec(ctx, "UPDATE meta SET value = $1 WHERE key = 'epoch'", l.epoch); err != nil {
				return fmt.Errorf("epoch: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return stats, fmt.Errorf("load hub data: %w", err)
	}
	if err := s.pool.QueryRow(ctx, "SELECT value FROM meta WHERE key = 'epoch'").Scan(&s.epoch); err != nil {
		return stats, fmt.Errorf("load hub data: epoch: %w", err)
	}
	s.forgetTokens()
	return stats, nil
}

// loadColumns are the columns each table is copied into.
var loadColumns = map[string][]string{
	"terminals":   {"store", "name", "created", "token_sha256", "last_seq", "gaps", "events", "rejected", "last_seen", "last_gap"},
	"events":      {"id", "store", "terminal", "type", "seq", "at", "received", "ts", "payload"},
	"rejected":    {"id", "store", "terminal", "seq", "reason", "received"},
	"feed_items":  {"feed", "store", "id", "seq", "deleted", "data"},
	"feed_scopes": {"feed", "store", "seq"},
	"barcodes":    {"store", "barcode", "product"},
	"customers":   {"id", "base", "delta"},
	"ledger":      {"customer", "kind", "points", "balance", "event_id", "sale", "store", "terminal", "at", "overdraft"},
	"pickups":     {"id", "store", "number", "phone_hash", "handover", "conflicts"},
}

// loadOrder is the order the rows still buffered are copied in at the end; fixed, so that a load that
// fails fails the same way every time.
var loadOrder = []string{"terminals", "events", "rejected", "feed_items", "feed_scopes", "barcodes", "customers", "ledger", "pickups"}

const loadBatch = 5000

// loader is the hub.DumpSink that buffers rows per table and copies them in batches.
type loader struct {
	ctx   context.Context
	tx    pgx.Tx
	rows  map[string][][]any
	epoch string
	stats LoadStats
}

func (l *loader) add(table string, row ...any) error {
	l.rows[table] = append(l.rows[table], row)
	if len(l.rows[table]) >= loadBatch {
		return l.flush(table)
	}
	return nil
}

func (l *loader) flush(table string) error {
	rows := l.rows[table]
	if len(rows) == 0 {
		return nil
	}
	if _, err := l.tx.CopyFrom(l.ctx, pgx.Identifier{table}, loadColumns[table], pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	l.rows[table] = rows[:0]
	return nil
}

func (l *loader) flushAll() error {
	for _, t := range loadOrder {
		if err := l.flush(t); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) Epoch(epoch string) error {
	l.epoch = epoch
	return nil
}

func (l *loader) Terminal(t hub.DumpTerminal) error {
	hash, err := hex.DecodeString(t.TokenSHA256)
	if err != nil {
		return fmt.Errorf("terminal %s/%s: token hash: %w", t.Store, t.Name, err)
	}
	var gap *string
	if t.LastGap != nil {
		data, err := json.Marshal(t.LastGap)
		if err != nil {
			return err
		}
		gap = gapArg(data)
	}
	l.stats.Terminals++
	return l.add("terminals", t.Store, t.Name, t.Created.UTC(), hash, int64(t.LastSeq), int64(t.Gaps), int64(t.Events),
		int64(t.Rejected), nullTime(t.LastSeen), gap)
}

func (l *loader) Event(e hub.DumpEvent) error {
	ts := e.Received
	if !e.At.IsZero() {
		ts = e.At
	}
	l.stats.Events++
	return l.add("events", e.ID, e.Store, e.Terminal, e.Type, int64(e.Seq), nullTime(e.At), e.Received.UTC(), ts.UTC(),
		[]byte(e.Payload))
}

func (l *loader) Rejected(r hub.DumpRejected) error {
	l.stats.Rejected++
	return l.add("rejected", r.ID, r.Store, r.Terminal, int64(r.Seq), r.Reason, r.Received.UTC())
}

func (l *loader) FeedItem(it hub.DumpFeedItem) error {
	var data *string
	if !it.Deleted {
		d := string(it.Data)
		data = &d
	}
	l.stats.FeedItems++
	return l.add("feed_items", it.Feed, it.Store, it.ID, int64(it.Seq), it.Deleted, data)
}

func (l *loader) FeedScope(feed, store string, seq uint64) error {
	return l.add("feed_scopes", feed, store, int64(seq))
}

func (l *loader) Barcode(store, barcode, product string) error {
	l.stats.Barcodes++
	return l.add("barcodes", store, barcode, product)
}

func (l *loader) Balance(customer string, base, delta int64) error {
	l.stats.Customers++
	return l.add("customers", customer, base, delta)
}

func (l *loader) Ledger(e hub.LedgerEntry) error {
	at := e.At
	if at.IsZero() {
		at = time.Unix(0, 0)
	}
	l.stats.Ledger++
	return l.add("ledger", e.Customer, e.Kind, e.Points, e.Balance, e.EventID, e.Sale, e.Store, e.Terminal, at.UTC(), e.Overdraft)
}

func (l *loader) Pickup(p hub.DumpPickup) error {
	var first *string
	if p.Handover != nil {
		data, err := json.Marshal(p.Handover)
		if err != nil {
			return err
		}
		first = gapArg(data)
	}
	conflicts := p.Conflicts
	if conflicts == nil {
		conflicts = []hub.DumpHandover{}
	}
	data, err := json.Marshal(conflicts)
	if err != nil {
		return err
	}
	l.stats.Pickups++
	return l.add("pickups", p.ID, p.Store, p.Number, p.PhoneHash, first, string(data))
}
