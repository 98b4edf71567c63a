package hub

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
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
)

// lockTimeout is how long Open waits for the file lock before giving up; tests shorten it.
var lockTimeout = time.Second

const maxNameLen = 128

// Bucket layout. Keys of a terminal are store + "\x00" + name; names cannot hold control characters, so the
// separator is unambiguous.
var (
	bucketTerminals = []byte("terminals") // terminal key -> terminalRecord (JSON)
	bucketTokens    = []byte("tokens")    // SHA-256 of token -> terminal key
	bucketEvents    = []byte("events")    // event id -> eventRecord (JSON)
	bucketSales     = []byte("sales")     // store -> nested bucket: arrival sequence (uint64 BE) -> event id
	bucketCursors   = []byte("cursors")   // terminal key -> last seq seen (uint64 BE)
	bucketMeta      = []byte("meta")      // counters
	keySeqGaps      = []byte("seq_gaps")
	keyEventCount   = []byte("events")
)

// Storage is the hub's bbolt database: terminals, their tokens and every event they sent. It is safe for
// concurrent use.
type Storage struct {
	db *bolt.DB
}

// eventRecord is how an event rests in the events bucket.
type eventRecord struct {
	Store    string          `json:"store"`
	Terminal string          `json:"terminal"`
	Type     string          `json:"type"`
	Seq      uint64          `json:"seq"`
	At       time.Time       `json:"at"`
	Received time.Time       `json:"received"`
	Payload  json.RawMessage `json:"payload"`
}

// StoredSale is a sale event as the hub keeps it.
type StoredSale struct {
	EventID  string
	Store    string
	Terminal string
	Received time.Time
	Sale     wire.Sale
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
	if readOnly {
		return &Storage{db: db}, nil
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketTerminals, bucketTokens, bucketEvents, bucketSales, bucketCursors, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("create hub buckets in %s: %w", path, err)
	}
	return &Storage{db: db}, nil
}

// Close releases the database file.
func (s *Storage) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close hub storage: %w", err)
	}
	return nil
}

// SeqGap describes a new event whose seq did not follow its terminal's last one.
type SeqGap struct {
	Terminal       string
	Last, Received uint64
}

// AppendResult is what Append did with a batch.
type AppendResult struct {
	Rejected []wire.Rejection // events refused by the storage (an id owned by another terminal)
	Stored   int              // events new to the hub
	Gaps     []SeqGap         // seq discontinuities among the new events
}

// Append stores the events of one batch from term in one transaction. An id already stored for the same
// terminal is skipped (the caller acknowledges it again); an id stored for another terminal is rejected.
// The events must have been validated.
func (s *Storage) Append(term Terminal, events []wire.Event, received time.Time) (AppendResult, error) {
	var res AppendResult
	termKey := terminalKey(term.Store, term.Name)
	err := s.db.Update(func(tx *bolt.Tx) error {
		res = AppendResult{}
		evb := tx.Bucket(bucketEvents)
		cursors := tx.Bucket(bucketCursors)
		var last uint64
		if v := cursors.Get(termKey); len(v) == 8 {
			last = binary.BigEndian.Uint64(v)
		}
		lastBefore := last
		for _, ev := range events {
			if old := evb.Get([]byte(ev.ID)); old != nil {
				var rec eventRecord
				if err := json.Unmarshal(old, &rec); err != nil {
					return fmt.Errorf("decode stored event %q: %w", ev.ID, err)
				}
				if rec.Store != term.Store || rec.Terminal != term.Name {
					res.Rejected = append(res.Rejected, wire.Rejection{ID: ev.ID, Reason: "id already used by another terminal"})
				}
				continue
			}
			if ev.Seq != last+1 {
				res.Gaps = append(res.Gaps, SeqGap{Terminal: term.Name, Last: last, Received: ev.Seq})
			}
			last = max(last, ev.Seq)
			rec := eventRecord{Store: term.Store, Terminal: term.Name, Type: ev.Type, Seq: ev.Seq,
				At: ev.At, Received: received, Payload: ev.Payload}
			data, err := json.Marshal(rec)
			if err != nil {
				return fmt.Errorf("encode event %q: %w", ev.ID, err)
			}
			if err := evb.Put([]byte(ev.ID), data); err != nil {
				return fmt.Errorf("put event %q: %w", ev.ID, err)
			}
			if ev.Type == wire.TypeSale {
				if err := indexSale(tx, term.Store, ev.ID); err != nil {
					return err
				}
			}
			res.Stored++
		}
		if last != lastBefore {
			if err := cursors.Put(termKey, binary.BigEndian.AppendUint64(nil, last)); err != nil {
				return fmt.Errorf("put cursor: %w", err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := addCounter(meta, keySeqGaps, uint64(len(res.Gaps))); err != nil {
			return err
		}
		return addCounter(meta, keyEventCount, uint64(res.Stored))
	})
	if err != nil {
		return AppendResult{}, fmt.Errorf("append %d events from %s/%s: %w", len(events), term.Store, term.Name, err)
	}
	return res, nil
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

func indexSale(tx *bolt.Tx, store, id string) error {
	b, err := tx.Bucket(bucketSales).CreateBucketIfNotExists([]byte(store))
	if err != nil {
		return fmt.Errorf("sales index of %q: %w", store, err)
	}
	n, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("sales index of %q: %w", store, err)
	}
	if err := b.Put(binary.BigEndian.AppendUint64(nil, n), []byte(id)); err != nil {
		return fmt.Errorf("sales index of %q: %w", store, err)
	}
	return nil
}

// Sales returns the sales of a store in the order the hub received them; an empty store means every store
// (ordered by store name).
func (s *Storage) Sales(store string) ([]StoredSale, error) {
	var out []StoredSale
	err := s.db.View(func(tx *bolt.Tx) error {
		idx, evb := tx.Bucket(bucketSales), tx.Bucket(bucketEvents)
		if idx == nil || evb == nil {
			return nil
		}
		return idx.ForEachBucket(func(name []byte) error {
			if store != "" && !bytes.Equal(name, []byte(store)) {
				return nil
			}
			return idx.Bucket(name).ForEach(func(_, id []byte) error {
				sale, err := decodeSale(id, evb.Get(id))
				if err != nil {
					return err
				}
				out = append(out, sale)
				return nil
			})
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list sales: %w", err)
	}
	return out, nil
}

func decodeSale(id, data []byte) (StoredSale, error) {
	if data == nil {
		return StoredSale{}, fmt.Errorf("sale event %q is indexed but missing", id)
	}
	var rec eventRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return StoredSale{}, fmt.Errorf("decode event %q: %w", id, err)
	}
	st := StoredSale{EventID: string(id), Store: rec.Store, Terminal: rec.Terminal, Received: rec.Received}
	if err := json.Unmarshal(rec.Payload, &st.Sale); err != nil {
		return StoredSale{}, fmt.Errorf("decode sale %q: %w", id, err)
	}
	return st, nil
}

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
