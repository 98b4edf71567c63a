// Package outbox is the layout of the terminal's durable event queue in bbolt. It owns no database: every
// function works inside a transaction that pos/store opens, so an event is appended in the same commit as
// the sale or shift it reports, and either both are on disk or neither is.
//
// Layout (three buckets):
//
//	outbox       big-endian seq -> JSON wire.Event   the queue, iterated oldest first
//	outbox_ids   event id -> big-endian seq          so Ack and Reject by id are O(log n)
//	outbox_dead  event id -> JSON DeadLetter          rejected events, kept until retried
//
// Values read from bbolt are only valid during their transaction; everything returned here is decoded
// into fresh memory.
package outbox

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

var (
	bucketQueue = []byte("outbox")
	bucketIDs   = []byte("outbox_ids")
	bucketDead  = []byte("outbox_dead")
)

var (
	// ErrNotInitialised means the outbox buckets do not exist: Init was never run on this database.
	ErrNotInitialised = errors.New("outbox buckets missing")
	// ErrUnknownEvent means no queued (or dead-lettered, for Retry) event has the id.
	ErrUnknownEvent = errors.New("no such event")
	// ErrDuplicateID means an event with the same id is already queued or dead-lettered.
	ErrDuplicateID = errors.New("event id already in the outbox")
	// ErrInvalidEvent means an event lacks its id or type.
	ErrInvalidEvent = errors.New("invalid event")
)

// DeadLetter is an event the backend refused for good, with its reason. The UI lists them; Retry sends one
// again.
type DeadLetter struct {
	Event    wire.Event `json:"event"`
	Reason   string     `json:"reason"`
	Rejected time.Time  `json:"rejected"`
}

// Stats is what the status bar shows: queue depth, the age of the oldest unsent event, dead letters.
type Stats struct {
	Unsent      int
	Oldest      time.Time // At of the oldest unsent event; zero when the queue is empty
	DeadLetters int
}

// Init creates the outbox buckets if they are missing. pos/store calls it from its first schema migration.
func Init(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketQueue, bucketIDs, bucketDead} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("outbox: create bucket %s: %w", name, err)
		}
	}
	return nil
}

type buckets struct{ queue, ids, dead *bbolt.Bucket }

func open(tx *bbolt.Tx) (buckets, error) {
	b := buckets{tx.Bucket(bucketQueue), tx.Bucket(bucketIDs), tx.Bucket(bucketDead)}
	if b.queue == nil || b.ids == nil || b.dead == nil {
		return b, ErrNotInitialised
	}
	return b, nil
}

func seqKey(seq uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, seq)
	return k
}

// Append queues ev at the end of the outbox, giving it the next sequence number (1, 2, 3 …), and returns
// the event as stored. ev.ID (the idempotency key) and ev.Type are required; an id already in the outbox
// is refused with ErrDuplicateID so an event can never be queued twice.
func Append(tx *bbolt.Tx, ev wire.Event) (wire.Event, error) {
	if ev.ID == "" || ev.Type == "" {
		return wire.Event{}, fmt.Errorf("outbox: append %q: %w: id and type are required", ev.ID, ErrInvalidEvent)
	}
	b, err := open(tx)
	if err != nil {
		return wire.Event{}, fmt.Errorf("outbox: append: %w", err)
	}
	if b.ids.Get([]byte(ev.ID)) != nil || b.dead.Get([]byte(ev.ID)) != nil {
		return wire.Event{}, fmt.Errorf("outbox: append %s: %w", ev.ID, ErrDuplicateID)
	}
	return enqueue(b, ev)
}

func enqueue(b buckets, ev wire.Event) (wire.Event, error) {
	seq, err := b.queue.NextSequence()
	if err != nil {
		return wire.Event{}, fmt.Errorf("outbox: next sequence: %w", err)
	}
	ev.Seq = seq
	if len(ev.Payload) == 0 {
		ev.Payload = json.RawMessage("null")
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return wire.Event{}, fmt.Errorf("outbox: encode %s: %w", ev.ID, err)
	}
	key := seqKey(seq)
	if err := b.queue.Put(key, data); err != nil {
		return wire.Event{}, fmt.Errorf("outbox: put %s: %w", ev.ID, err)
	}
	if err := b.ids.Put([]byte(ev.ID), key); err != nil {
		return wire.Event{}, fmt.Errorf("outbox: index %s: %w", ev.ID, err)
	}
	return ev, nil
}

// Peek returns up to max queued events, oldest first, without removing them. max <= 0 means all.
func Peek(tx *bbolt.Tx, max int) ([]wire.Event, error) { return PeekAfter(tx, 0, max) }

// PeekAfter is Peek of the events whose seq is greater than after: a replayer that has sent events it has
// not acknowledged yet looks past them for the next batch.
func PeekAfter(tx *bbolt.Tx, after uint64, max int) ([]wire.Event, error) {
	b, err := open(tx)
	if err != nil {
		return nil, fmt.Errorf("outbox: peek: %w", err)
	}
	var out []wire.Event
	if after == math.MaxUint64 {
		return out, nil
	}
	c := b.queue.Cursor()
	for k, v := c.Seek(seqKey(after + 1)); k != nil && (max <= 0 || len(out) < max); k, v = c.Next() {
		var ev wire.Event
		if err := json.Unmarshal(v, &ev); err != nil {
			return nil, fmt.Errorf("outbox: decode seq %d: %w", binary.BigEndian.Uint64(k), err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// Ack removes the acknowledged events. Ids that are not queued are ignored: the backend acknowledges a
// repeated id again, so acks must be idempotent.
func Ack(tx *bbolt.Tx, ids []string) error {
	b, err := open(tx)
	if err != nil {
		return fmt.Errorf("outbox: ack: %w", err)
	}
	for _, id := range ids {
		key := b.ids.Get([]byte(id))
		if key == nil {
			continue
		}
		key = bytes.Clone(key) // Delete below may reuse the page the value points into
		if err := b.queue.Delete(key); err != nil {
			return fmt.Errorf("outbox: ack %s: %w", id, err)
		}
		if err := b.ids.Delete([]byte(id)); err != nil {
			return fmt.Errorf("outbox: ack %s: %w", id, err)
		}
	}
	return nil
}

// Reject moves a queued event to the dead-letter bucket with the backend's reason: it leaves the queue (so
// it no longer blocks the events behind it) but is never dropped. Rejecting a dead letter again only
// updates its reason; an id that is neither queued nor dead gives ErrUnknownEvent.
func Reject(tx *bbolt.Tx, id, reason string, at time.Time) error {
	b, err := open(tx)
	if err != nil {
		return fmt.Errorf("outbox: reject: %w", err)
	}
	var dl DeadLetter
	if key := b.ids.Get([]byte(id)); key != nil {
		key = bytes.Clone(key)
		if err := json.Unmarshal(b.queue.Get(key), &dl.Event); err != nil {
			return fmt.Errorf("outbox: reject %s: decode: %w", id, err)
		}
		if err := b.queue.Delete(key); err != nil {
			return fmt.Errorf("outbox: reject %s: %w", id, err)
		}
		if err := b.ids.Delete([]byte(id)); err != nil {
			return fmt.Errorf("outbox: reject %s: %w", id, err)
		}
	} else if v := b.dead.Get([]byte(id)); v != nil {
		if err := json.Unmarshal(v, &dl); err != nil {
			return fmt.Errorf("outbox: reject %s: decode dead letter: %w", id, err)
		}
	} else {
		return fmt.Errorf("outbox: reject %s: %w", id, ErrUnknownEvent)
	}
	dl.Reason, dl.Rejected = reason, at
	data, err := json.Marshal(dl)
	if err != nil {
		return fmt.Errorf("outbox: reject %s: encode: %w", id, err)
	}
	if err := b.dead.Put([]byte(id), data); err != nil {
		return fmt.Errorf("outbox: reject %s: %w", id, err)
	}
	return nil
}

// DeadLetters returns the rejected events, oldest rejection first.
func DeadLetters(tx *bbolt.Tx) ([]DeadLetter, error) {
	b, err := open(tx)
	if err != nil {
		return nil, fmt.Errorf("outbox: dead letters: %w", err)
	}
	var out []DeadLetter
	err = b.dead.ForEach(func(k, v []byte) error {
		var dl DeadLetter
		if err := json.Unmarshal(v, &dl); err != nil {
			return fmt.Errorf("outbox: decode dead letter %s: %w", k, err)
		}
		out = append(out, dl)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortDead(out)
	return out, nil
}

// Retry moves a dead letter back to the end of the queue. It gets a new sequence number, so the queue stays
// in seq order and the backend sees every seq exactly once; the id (the idempotency key) is unchanged.
func Retry(tx *bbolt.Tx, id string) (wire.Event, error) {
	b, err := open(tx)
	if err != nil {
		return wire.Event{}, fmt.Errorf("outbox: retry: %w", err)
	}
	v := b.dead.Get([]byte(id))
	if v == nil {
		return wire.Event{}, fmt.Errorf("outbox: retry %s: %w", id, ErrUnknownEvent)
	}
	var dl DeadLetter
	if err := json.Unmarshal(v, &dl); err != nil {
		return wire.Event{}, fmt.Errorf("outbox: retry %s: decode: %w", id, err)
	}
	if err := b.dead.Delete([]byte(id)); err != nil {
		return wire.Event{}, fmt.Errorf("outbox: retry %s: %w", id, err)
	}
	return enqueue(b, dl.Event)
}

// ReadStats counts the queue and the dead letters and finds the oldest unsent event.
func ReadStats(tx *bbolt.Tx) (Stats, error) {
	b, err := open(tx)
	if err != nil {
		return Stats{}, fmt.Errorf("outbox: stats: %w", err)
	}
	st := Stats{Unsent: b.ids.Stats().KeyN, DeadLetters: b.dead.Stats().KeyN}
	if _, v := b.queue.Cursor().First(); v != nil {
		var ev struct {
			At time.Time `json:"at"`
		}
		if err := json.Unmarshal(v, &ev); err != nil {
			return Stats{}, fmt.Errorf("outbox: stats: decode oldest: %w", err)
		}
		st.Oldest = ev.At
	}
	return st, nil
}

func sortDead(dl []DeadLetter) {
	slices.SortFunc(dl, func(a, b DeadLetter) int {
		if c := a.Rejected.Compare(b.Rejected); c != 0 {
			return c
		}
		return strings.Compare(a.Event.ID, b.Event.ID)
	})
}
