package hub

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// DumpSink receives everything a hub database holds, to load it into another storage (kassahub
// copy-to-postgres). Feed items keep their sequence numbers and the database its epoch, so the terminals'
// feed cursors and tokens stay good after the move.
type DumpSink interface {
	Epoch(epoch string) error
	Terminal(t DumpTerminal) error
	// Event receives the sales and refunds of each store in the order the hub received them, then the
	// other events.
	Event(e DumpEvent) error
	Rejected(r DumpRejected) error
	FeedItem(it DumpFeedItem) error
	// FeedScope gives a feed's last sequence, after its items.
	FeedScope(feed, store string, seq uint64) error
	Barcode(store, barcode, product string) error
	Balance(customer string, base, delta int64) error
	Ledger(e LedgerEntry) error
	Pickup(p DumpPickup) error
}

// DumpTerminal is a terminal with the hash of its token and its sequence state.
type DumpTerminal struct {
	TerminalInfo
	TokenSHA256 string // hex
}

// DumpEvent is a stored event with its seq.
type DumpEvent struct {
	StoredEvent
	Seq uint64
}

// DumpRejected is a refused event the hub remembers.
type DumpRejected struct {
	ID, Store, Terminal string
	Seq                 uint64
	Reason              string
	Received            time.Time
}

// DumpFeedItem is a feed item at its sequence; a deleted one has no Data.
type DumpFeedItem struct {
	Feed, Store, ID string
	Seq             uint64
	Deleted         bool
	Data            json.RawMessage
}

// DumpPickup is what the hub keeps of a pickup order beside its feed item.
type DumpPickup struct {
	ID, Store, Number, PhoneHash string
	Handover                     *DumpHandover // the first hand-over; nil while the order waits
	Conflicts                    []DumpHandover
}

// DumpHandover is one hand-over of a pickup order.
type DumpHandover struct {
	Event    string    `json:"event"`
	Terminal string    `json:"terminal"`
	At       time.Time `json:"at"`
}

// Dump hands the whole database to sink in one read transaction.
func (s *Storage) Dump(ctx context.Context, sink DumpSink) error {
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if err := sink.Epoch(s.epoch); err != nil {
			return err
		}
		steps := []func(*bolt.Tx, DumpSink) error{dumpTerminals, dumpEvents, dumpRejected, dumpFeeds, dumpBarcodes,
			dumpCustomers, dumpPickups}
		for _, step := range steps {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := step(tx, sink); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dump hub storage: %w", err)
	}
	return nil
}

func dumpTerminals(tx *bolt.Tx, sink DumpSink) error {
	return forEach(tx, bucketTerminals, func(k, v []byte) error {
		rec, info, err := readTerminal(tx, k, v)
		if err != nil {
			return err
		}
		return sink.Terminal(DumpTerminal{TerminalInfo: info, TokenSHA256: rec.TokenHash})
	})
}

func dumpEvents(tx *bolt.Tx, sink DumpSink) error {
	evb := tx.Bucket(bucketEvents)
	if evb == nil {
		return nil
	}
	emit := func(id, data []byte) error {
		var rec eventRecord
		if err := json.Unmarshal(data, &rec); err != nil {
			return fmt.Errorf("decode event %q: %w", id, err)
		}
		return sink.Event(DumpEvent{StoredEvent: StoredEvent{ID: string(id), Type: rec.Type, Store: rec.Store,
			Terminal: rec.Terminal, At: rec.At, Received: rec.Received, Payload: rec.Payload}, Seq: rec.Seq})
	}
	if idx := tx.Bucket(bucketSales); idx != nil {
		err := idx.ForEachBucket(func(store []byte) error {
			return idx.Bucket(store).ForEach(func(_, id []byte) error {
				data := evb.Get(id)
				if data == nil {
					return fmt.Errorf("sale event %q is indexed but missing", id)
				}
				return emit(id, data)
			})
		})
		if err != nil {
			return err
		}
	}
	return evb.ForEach(func(id, data []byte) error {
		var head eventHead
		if err := json.Unmarshal(data, &head); err != nil {
			return fmt.Errorf("decode event %q: %w", id, err)
		}
		if head.Type == wire.TypeSale || head.Type == wire.TypeRefund {
			return nil // sent above, in arrival order
		}
		return emit(id, data)
	})
}

func dumpRejected(tx *bolt.Tx, sink DumpSink) error {
	return forEach(tx, bucketRejected, func(k, v []byte) error {
		var rec rejectedRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode rejected %q: %w", k, err)
		}
		return sink.Rejected(DumpRejected{ID: string(k), Store: rec.Store, Terminal: rec.Terminal, Seq: rec.Seq,
			Reason: rec.Reason, Received: rec.Received})
	})
}

func dumpFeeds(tx *bolt.Tx, sink DumpSink) error {
	feeds := tx.Bucket(bucketFeeds)
	if feeds == nil {
		return nil
	}
	return feeds.ForEachBucket(func(key []byte) error {
		feed, store, ok := bytes.Cut(key, []byte{0})
		if !ok {
			return fmt.Errorf("feed scope %q", key)
		}
		root := feeds.Bucket(key)
		if items := root.Bucket(subItems); items != nil {
			err := items.ForEach(func(id, v []byte) error {
				if len(v) < 9 {
					return fmt.Errorf("feed %s item %q: short record", feed, id)
				}
				it := DumpFeedItem{Feed: string(feed), Store: string(store), ID: string(id),
					Seq: binary.BigEndian.Uint64(v[:8]), Deleted: v[8]&flagDeleted != 0}
				if !it.Deleted {
					it.Data = json.RawMessage(bytes.Clone(v[9:]))
				}
				return sink.FeedItem(it)
			})
			if err != nil {
				return err
			}
		}
		return sink.FeedScope(string(feed), string(store), root.Sequence())
	})
}

func dumpBarcodes(tx *bolt.Tx, sink DumpSink) error {
	root := tx.Bucket(bucketBarcodes)
	if root == nil {
		return nil
	}
	return root.ForEachBucket(func(store []byte) error {
		return root.Bucket(store).ForEach(func(code, id []byte) error {
			return sink.Barcode(string(store), string(code), string(id))
		})
	})
}

func dumpCustomers(tx *bolt.Tx, sink DumpSink) error {
	err := forEach(tx, bucketCustomers, func(k, v []byte) error {
		var b customerBalance
		if err := json.Unmarshal(v, &b); err != nil {
			return fmt.Errorf("decode balance of %q: %w", k, err)
		}
		return sink.Balance(string(k), b.Base, b.Delta)
	})
	if err != nil {
		return err
	}
	root := tx.Bucket(bucketLedger)
	if root == nil {
		return nil
	}
	return root.ForEachBucket(func(name []byte) error {
		return root.Bucket(name).ForEach(func(_, v []byte) error {
			var e LedgerEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode ledger entry of %q: %w", name, err)
			}
			return sink.Ledger(e)
		})
	})
}

func dumpPickups(tx *bolt.Tx, sink DumpSink) error {
	return forEach(tx, bucketPickups, func(k, v []byte) error {
		var rec pickupRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode pickup order %q: %w", k, err)
		}
		p := DumpPickup{ID: string(k), Store: rec.Store, Number: rec.Number, PhoneHash: rec.PhoneHash}
		conv := func(h handover) DumpHandover { return DumpHandover(h) }
		if rec.Handover != nil {
			h := conv(*rec.Handover)
			p.Handover = &h
		}
		for _, c := range rec.Conflicts {
			p.Conflicts = append(p.Conflicts, conv(c))
		}
		return sink.Pickup(p)
	})
}

func forEach(tx *bolt.Tx, name []byte, fn func(k, v []byte) error) error {
	b := tx.Bucket(name)
	if b == nil {
		return nil
	}
	return b.ForEach(fn)
}
