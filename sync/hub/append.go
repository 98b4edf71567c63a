package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

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

// rejectedRecord remembers a refused event: its id then counts as known when the terminal sends it again
// after a fix, so its old seq is not mistaken for a restored terminal. A refused event leaves a hole in the
// terminal's stored sequence, reported as a gap by the next stored event: the hub does not have it.
type rejectedRecord struct {
	Store    string    `json:"store"`
	Terminal string    `json:"terminal"`
	Seq      uint64    `json:"seq"`
	Reason   string    `json:"reason"`
	Received time.Time `json:"received"`
}

// Append stores the events of one batch from term in one transaction. An id already stored for the same
// terminal is a Duplicate (the caller acknowledges it again); an id stored for another terminal, a loyalty
// event of an unknown customer and a hand-over of an unknown order are Rejected. Sales and refunds are
// indexed per store; loyalty events move the customer's balance and pickup hand-overs the order's status,
// each a change of its feed written in the same transaction.
func (s *Storage) Append(ctx context.Context, term Terminal, batch []Incoming, received time.Time) (AppendResult, error) {
	var res AppendResult
	key := terminalKey(term.Store, term.Name)
	err := s.update(ctx, func(tx *bolt.Tx) error {
		res = AppendResult{Events: make([]EventResult, len(batch))}
		st, err := loadTermState(tx, key)
		if err != nil {
			return err
		}
		evb, rej := tx.Bucket(bucketEvents), tx.Bucket(bucketRejected)
		reject := func(i int, reason string) error {
			res.Events[i] = EventResult{Status: Rejected, Reason: reason}
			st.Rejected++
			id := batch[i].ID
			if id == "" || len(id) > maxIDLen || evb.Get([]byte(id)) != nil {
				return nil
			}
			data, err := json.Marshal(rejectedRecord{Store: term.Store, Terminal: term.Name, Seq: batch[i].Seq,
				Reason: reason, Received: received})
			if err != nil {
				return err
			}
			return rej.Put([]byte(id), data)
		}
		stored := 0
		for i, in := range batch {
			id := []byte(in.ID)
			if in.Reason != "" {
				if err := reject(i, in.Reason); err != nil {
					return err
				}
				continue
			}
			if old := evb.Get(id); old != nil {
				var rec eventRecord
				if err := json.Unmarshal(old, &rec); err != nil {
					return fmt.Errorf("decode stored event %q: %w", in.ID, err)
				}
				if rec.Store != term.Store || rec.Terminal != term.Name {
					res.Events[i] = EventResult{Status: Rejected, Reason: "id already used by another terminal"}
					st.Rejected++
				} else {
					res.Events[i] = EventResult{Status: Duplicate}
				}
				continue
			}
			reason, warn, err := applyEvent(tx, term, in.Event, received)
			if err != nil {
				return err
			}
			if reason != "" {
				if err := reject(i, reason); err != nil {
					return err
				}
				continue
			}
			known := rej.Get(id) != nil
			noteSeq(&st, &res, in.Seq, known)
			if warn != nil {
				res.Warnings = append(res.Warnings, *warn)
			}
			if err := putEvent(tx, term, in.Event, received); err != nil {
				return err
			}
			if known {
				if err := rej.Delete(id); err != nil {
					return err
				}
			}
			res.Events[i] = EventResult{Status: Stored}
			stored++
		}
		st.Events += uint64(stored)
		st.LastSeen = received
		if n := len(res.Gaps); n > 0 {
			st.Gaps += uint64(n)
			st.LastGap = &res.Gaps[n-1]
		}
		data, err := json.Marshal(st)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketTermState).Put(key, data); err != nil {
			return fmt.Errorf("put terminal state: %w", err)
		}
		meta := tx.Bucket(bucketMeta)
		if err := addCounter(meta, keySeqGaps, uint64(len(res.Gaps))); err != nil {
			return err
		}
		return addCounter(meta, keyEventCount, uint64(stored))
	})
	if err != nil {
		return AppendResult{}, fmt.Errorf("append %d events from %s/%s: %w", len(batch), term.Store, term.Name, err)
	}
	return res, nil
}

// noteSeq advances the terminal's highest seq and reports a discontinuity: a jump forward, or a new id
// with a seq at or below the highest (known: the id was refused before and is being sent again).
func noteSeq(st *termState, res *AppendResult, seq uint64, known bool) {
	if seq == 0 {
		return
	}
	if seq > st.LastSeq+1 || seq <= st.LastSeq && !known {
		res.Gaps = append(res.Gaps, wire.SeqGap{Last: st.LastSeq, Received: seq})
	}
	st.LastSeq = max(st.LastSeq, seq)
}

func putEvent(tx *bolt.Tx, term Terminal, ev wire.Event, received time.Time) error {
	// The payload is spliced in as it came: it is valid JSON (it was decoded), and letting json.Marshal
	// compact it would scan every byte of it once more.
	rec := eventRecord{Store: term.Store, Terminal: term.Name, Type: ev.Type, Seq: ev.Seq, At: ev.At, Received: received}
	head, err := json.Marshal(rec)
	if err != nil || !bytes.HasSuffix(head, []byte(`"payload":null}`)) {
		return fmt.Errorf("encode event %q: %v", ev.ID, err)
	}
	data := make([]byte, 0, len(head)+len(ev.Payload))
	data = append(append(append(data, head[:len(head)-5]...), ev.Payload...), '}')
	if err := tx.Bucket(bucketEvents).Put([]byte(ev.ID), data); err != nil {
		return fmt.Errorf("put event %q: %w", ev.ID, err)
	}
	if err := indexTimeline(tx, term.Store, ev.ID, ev.Type, indexTime(ev.At, received)); err != nil {
		return err
	}
	if ev.Type == wire.TypeSale || ev.Type == wire.TypeRefund {
		return indexSale(tx, term.Store, ev.ID)
	}
	return nil
}

// applyEvent carries out what a new event means beyond being stored. A non-empty reason refuses it.
func applyEvent(tx *bolt.Tx, term Terminal, ev wire.Event, received time.Time) (reason string, warn *Warning, err error) {
	switch ev.Type {
	case wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption:
		return applyLoyalty(tx, term, ev, received)
	case wire.TypePickupHandover:
		return applyHandover(tx, term, ev, received)
	}
	return "", nil, nil
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
	if err := b.Put(u64(n), []byte(id)); err != nil {
		return fmt.Errorf("sales index of %q: %w", store, err)
	}
	return nil
}
