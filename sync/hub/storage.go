package hub

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Errors of the storage; check them with errors.Is.
var (
	// ErrLocked means another process (usually a running kassahub) holds the database file.
	ErrLocked = errors.New("hub database is locked by another process")
	// ErrUnknownToken means a bearer token matches no terminal.
	ErrUnknownToken = errors.New("unknown token")
	// ErrTerminalExists means the store already has a terminal of that name.
	ErrTerminalExists = errors.New("terminal already exists")
	// ErrBadName means a store or terminal name is empty, too long or holds control characters.
	ErrBadName = errors.New("bad store or terminal name")
	// ErrBadCursor means a feed cursor is not one the hub handed out.
	ErrBadCursor = errors.New("bad cursor")
	// ErrUnknownFeed means a feed name is none of wire.Feed*.
	ErrUnknownFeed = errors.New("unknown feed")
	// ErrNotFound means a product, customer or pickup order does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a pickup order number is already taken by a different order.
	ErrConflict = errors.New("conflict")
)

// lockTimeout is how long Open waits for the file lock before giving up; tests shorten it.
var lockTimeout = time.Second

const maxNameLen = 128

// Bucket layout. Keys of a terminal are store + "\x00" + name; names cannot hold control characters, so the
// separator is unambiguous.
var (
	bucketTerminals = []byte("terminals")      // terminal key -> terminalRecord (JSON)
	bucketTokens    = []byte("tokens")         // SHA-256 of token -> terminal key
	bucketEvents    = []byte("events")         // event id -> eventRecord (JSON)
	bucketRejected  = []byte("rejected")       // event id -> rejectedRecord (JSON): refused, never stored
	bucketSales     = []byte("sales")          // store -> nested bucket: arrival sequence (uint64 BE) -> event id
	bucketCursors   = []byte("cursors")        // terminal key -> last seq (uint64 BE); read only, for old databases
	bucketTermState = []byte("terminal_state") // terminal key -> termState (JSON)
	bucketMeta      = []byte("meta")           // counters and the database epoch
	bucketFeeds     = []byte("feeds")          // feed scope -> nested buckets "items" and "log" (feedstore.go)
	bucketBarcodes  = []byte("barcodes")       // store -> nested bucket: barcode -> product id
	bucketCustomers = []byte("customers")      // customer id -> customerRecord (JSON)
	bucketLedger    = []byte("ledger")         // customer id -> nested bucket: sequence -> LedgerEntry (JSON)
	bucketPickups   = []byte("pickups")        // order id -> pickupRecord (JSON)
	keySeqGaps      = []byte("seq_gaps")
	keyEventCount   = []byte("events")
	keyEpoch        = []byte("epoch")
)

var allBuckets = [][]byte{bucketTerminals, bucketTokens, bucketEvents, bucketRejected, bucketSales, bucketCursors,
	bucketTermState, bucketMeta, bucketFeeds, bucketBarcodes, bucketCustomers, bucketLedger, bucketPickups}

// Storage is the hub's bbolt database: terminals, their tokens, every event they sent and the feeds they
// pull. It is safe for concurrent use and implements Backend.
type Storage struct {
	db    *bolt.DB
	epoch string // names this database in feed cursors, so a cursor of a replaced database is recognised
}

// Open opens (creating if needed) the hub database at path. If another process holds it, the error wraps
// ErrLocked.
func Open(path string) (*Storage, error) {
	return open(path, false)
}

// OpenReadOnly opens an existing hub database for reading, e.g. to report on a stopped hub's data.
func OpenReadOnly(path string) (*Storage, error) {
	return open(path, true)
}

func open(path string, readOnly bool) (*Storage, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, ReadOnly: readOnly})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open hub storage %s: %w: %w", path, ErrLocked, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open hub storage %s: %w", path, err)
	}
	st := &Storage{db: db}
	if readOnly {
		err = db.View(func(tx *bolt.Tx) error {
			if m := tx.Bucket(bucketMeta); m != nil {
				st.epoch = string(m.Get(keyEpoch))
			}
			return nil
		})
	} else {
		err = db.Update(func(tx *bolt.Tx) error {
			for _, b := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			if err := ensureTimeline(tx); err != nil {
				return err
			}
			meta := tx.Bucket(bucketMeta)
			if e := meta.Get(keyEpoch); e != nil {
				st.epoch = string(e)
				return nil
			}
			raw := make([]byte, 6)
			if _, err := rand.Read(raw); err != nil {
				return err
			}
			st.epoch = hex.EncodeToString(raw)
			return meta.Put(keyEpoch, []byte(st.epoch))
		})
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare hub storage %s: %w", path, err)
	}
	return st, nil
}

// Close releases the database file.
func (s *Storage) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close hub storage: %w", err)
	}
	return nil
}

// Ping checks that the database is open and readable with an empty read transaction (no disk access:
// bbolt reads its meta page from the memory map). It implements Pinger for the health probe.
func (s *Storage) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.db.View(func(*bolt.Tx) error { return nil }); err != nil {
		return fmt.Errorf("ping hub storage: %w", err)
	}
	return nil
}

// update runs fn in a write transaction unless ctx is already done: bbolt cannot interrupt a transaction,
// so the context is honoured at its start.
func (s *Storage) update(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(fn)
}

func (s *Storage) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(fn)
}

func addCounter(b *bolt.Bucket, key []byte, delta uint64) error {
	if delta == 0 {
		return nil
	}
	if err := b.Put(key, binary.BigEndian.AppendUint64(nil, counter(b, key)+delta)); err != nil {
		return fmt.Errorf("count %s: %w", key, err)
	}
	return nil
}

func counter(b *bolt.Bucket, key []byte) uint64 {
	if b == nil {
		return 0
	}
	if v := b.Get(key); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// EventCount returns how many distinct events the hub holds.
func (s *Storage) EventCount() (int, error) {
	var n uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = counter(tx.Bucket(bucketMeta), keyEventCount)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return int(n), nil
}

// SeqGaps returns how many times a terminal's event seq did not follow its previous one: a sign of a lost,
// restored or replaced terminal database that an operator should look at.
func (s *Storage) SeqGaps() (uint64, error) {
	var n uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = counter(tx.Bucket(bucketMeta), keySeqGaps)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count seq gaps: %w", err)
	}
	return n, nil
}
