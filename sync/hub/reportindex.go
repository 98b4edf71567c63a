package hub

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketTimeline indexes every stored event by store and time, so that a report over a few days reads
// those days' events and not the whole history: store -> nested bucket: key = the event's time (uint64
// big-endian Unix nanoseconds) + event id, value = the event type (so other types are skipped unread).
// The time is the event's `at` (the till sets it to the receipt's fiscal time), or its arrival without one.
var bucketTimeline = []byte("timeline")

// StoredEvent is a stored event as a report reads it.
type StoredEvent struct {
	ID       string
	Type     string
	Store    string
	Terminal string
	At       time.Time // the event's at, as the terminal sent it (zero if it sent none)
	Received time.Time
	Payload  json.RawMessage
}

// timeKey orders times in the index. Times before 1970 sort first and those after 2262 (where Unix
// nanoseconds overflow) last: neither comes from a working till.
func timeKey(t time.Time) uint64 {
	switch {
	case t.Unix() < 0:
		return 0
	case t.Unix() >= math.MaxInt64/int64(time.Second):
		return math.MaxUint64
	}
	return uint64(t.UnixNano())
}

// eventHead is an eventRecord without its payload, for a pass over the events bucket.
type eventHead struct {
	Store    string    `json:"store"`
	Type     string    `json:"type"`
	At       time.Time `json:"at"`
	Received time.Time `json:"received"`
}

func indexTime(at, received time.Time) time.Time {
	if at.IsZero() {
		return received
	}
	return at
}

// indexTimeline adds a new event to its store's timeline.
func indexTimeline(tx *bolt.Tx, store, id, typ string, at time.Time) error {
	root := tx.Bucket(bucketTimeline)
	if root == nil {
		// A database opened by a hub without the timeline; ensureTimeline builds it at the next Open.
		return nil
	}
	b, err := root.CreateBucketIfNotExists([]byte(store))
	if err != nil {
		return fmt.Errorf("timeline of %q: %w", store, err)
	}
	key := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(id)), timeKey(at))
	if err := b.Put(append(key, id...), []byte(typ)); err != nil {
		return fmt.Errorf("timeline of %q: %w", store, err)
	}
	return nil
}

// ensureTimeline creates the timeline of a database written before it existed, indexing every stored
// event, in the transaction that opens the database: the bucket exists exactly when it is complete.
func ensureTimeline(tx *bolt.Tx) error {
	if tx.Bucket(bucketTimeline) != nil {
		return nil
	}
	if _, err := tx.CreateBucket(bucketTimeline); err != nil {
		return fmt.Errorf("create timeline: %w", err)
	}
	evb := tx.Bucket(bucketEvents)
	if evb == nil {
		return nil
	}
	return evb.ForEach(func(id, data []byte) error {
		var head eventHead
		if err := json.Unmarshal(data, &head); err != nil {
			return fmt.Errorf("index event %q: %w", id, err)
		}
		return indexTimeline(tx, head.Store, string(id), head.Type, indexTime(head.At, head.Received))
	})
}

// ScanEvents calls fn for every stored event of one of types of store ("" for every store) whose time is
// in [from, to), a zero bound leaving that end open, all in one read transaction. The time is the event's
// at, or its arrival when it has none. Events come in no promised order. With the timeline the cost is
// O(log n + k) for k events of the store in the window (plus skipped keys of other types); a read-only
// database written before the timeline existed is scanned whole, O(n).
func (s *Storage) ScanEvents(ctx context.Context, store string, from, to time.Time, types []string, fn func(StoredEvent) error) error {
	lo, hi := timeKey(from), uint64(math.MaxUint64)
	if !to.IsZero() {
		hi = timeKey(to)
	}
	seen := 0
	visit := func(evb *bolt.Bucket, id []byte) error {
		if seen++; seen%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		data := evb.Get(id)
		if data == nil {
			return fmt.Errorf("event %q is indexed but missing", id)
		}
		var rec eventRecord
		if err := json.Unmarshal(data, &rec); err != nil {
			return fmt.Errorf("decode event %q: %w", id, err)
		}
		return fn(StoredEvent{ID: string(id), Type: rec.Type, Store: rec.Store, Terminal: rec.Terminal, At: rec.At,
			Received: rec.Received, Payload: rec.Payload})
	}
	err := s.view(ctx, func(tx *bolt.Tx) error {
		evb, tl := tx.Bucket(bucketEvents), tx.Bucket(bucketTimeline)
		if evb == nil {
			return nil
		}
		if tl == nil {
			return evb.ForEach(func(id, data []byte) error {
				var head eventHead
				if err := json.Unmarshal(data, &head); err != nil {
					return fmt.Errorf("decode event %q: %w", id, err)
				}
				k := timeKey(indexTime(head.At, head.Received))
				if store != "" && head.Store != store || !slices.Contains(types, head.Type) || k < lo || k >= hi {
					return nil
				}
				return visit(evb, id)
			})
		}
		scan := func(name []byte) error {
			b := tl.Bucket(name)
			if b == nil {
				return nil
			}
			c := b.Cursor()
			for k, v := c.Seek(u64(lo)); k != nil && binary.BigEndian.Uint64(k[:8]) < hi; k, v = c.Next() {
				if !slices.ContainsFunc(types, func(t string) bool { return bytes.Equal(v, []byte(t)) }) {
					continue
				}
				if err := visit(evb, k[8:]); err != nil {
					return err
				}
			}
			return nil
		}
		if store != "" {
			return scan([]byte(store))
		}
		return tl.ForEachBucket(scan)
	})
	if err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	return nil
}
