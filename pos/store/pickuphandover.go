package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The pickup desk's hand-over ledger: order id -> JSON pos.PickupHandover. A record is written before the
// register settles the order and finished, with the hand-over's outbox event, once its receipts are
// fiscalised: the order is then collected at this terminal whatever the pulled feed still says. The bucket
// is made by the first hand-over, so a terminal that never hands over has none and needs no migration.
var bktPickupHandovers = []byte("pickup_handovers")

// pickupEventSpace names the deterministic ids of hand-over events (UUIDv5 of order and sale): finishing a
// hand-over twice can only ever queue the same event id, which the hub stores once.
var pickupEventSpace = uuid.MustParse("5b0f7a52-3c8e-4d8b-9a59-7c1c1e0d4b21")

// PickupHandoverEventID is the outbox event id of the hand-over of order settled by sale.
func PickupHandoverEventID(order, sale string) string {
	return uuid.NewSHA1(pickupEventSpace, []byte(order+"\x00"+sale)).String()
}

// BeginPickupHandover records the plan of a hand-over before its receipts are fiscalised. If the order
// already has a record (handed over, or a hand-over left unfinished) that one is returned with created
// false and nothing is written: an order is handed over once at a terminal.
func (s *Store) BeginPickupHandover(h pos.PickupHandover) (cur pos.PickupHandover, created bool, err error) {
	if h.Order == "" || h.Sale == "" || h.Done {
		return h, false, fmt.Errorf("store: begin pickup hand-over: %w: order and sale are required, not done", ErrInvalid)
	}
	err = s.update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bktPickupHandovers)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(h.Order)); v != nil {
			return json.Unmarshal(v, &cur)
		}
		cur, created = h, true
		return putHandover(b, h)
	})
	if err != nil {
		return pos.PickupHandover{}, false, fmt.Errorf("store: begin pickup hand-over %s: %w", h.Order, err)
	}
	return cur, created, nil
}

// ReplacePickupHandover rewrites an unfinished hand-over's plan (a receipt the register refused gets a new
// id before it is tried again). A finished one is ErrSaleState.
func (s *Store) ReplacePickupHandover(h pos.PickupHandover) error {
	err := s.changeHandover(h.Order, func(b *bbolt.Bucket, cur pos.PickupHandover) error {
		if cur.Done || h.Done {
			return fmt.Errorf("%w: hand-over finished", ErrSaleState)
		}
		return putHandover(b, h)
	})
	if err != nil {
		return fmt.Errorf("store: replace pickup hand-over %s: %w", h.Order, err)
	}
	return nil
}

// DropPickupHandover forgets an unfinished hand-over none of whose receipts was fiscalised: the order is
// ready again. A finished one is ErrSaleState.
func (s *Store) DropPickupHandover(order string) error {
	err := s.changeHandover(order, func(b *bbolt.Bucket, cur pos.PickupHandover) error {
		if cur.Done {
			return fmt.Errorf("%w: hand-over finished", ErrSaleState)
		}
		return b.Delete([]byte(order))
	})
	if err != nil {
		return fmt.Errorf("store: drop pickup hand-over %s: %w", order, err)
	}
	return nil
}

// FinishPickupHandover marks a hand-over done and queues its "pickup_handover" event in one transaction.
// Finishing a finished one returns it and queues nothing.
func (s *Store) FinishPickupHandover(order string, at time.Time) (pos.PickupHandover, error) {
	var out pos.PickupHandover
	err := s.changeHandover(order, func(b *bbolt.Bucket, cur pos.PickupHandover) error {
		out = cur
		if cur.Done {
			return nil
		}
		payload, err := json.Marshal(wire.PickupHandover{Order: cur.Order, Sale: cur.Sale, Refund: cur.Refund})
		if err != nil {
			return err
		}
		out.Done, out.DoneAt = true, at
		if err := putHandover(b, out); err != nil {
			return err
		}
		_, err = outbox.Append(b.Tx(), wire.Event{ID: PickupHandoverEventID(cur.Order, cur.Sale),
			Type: wire.TypePickupHandover, Terminal: s.terminal, At: at, Payload: payload})
		return err
	})
	if err != nil {
		return pos.PickupHandover{}, fmt.Errorf("store: finish pickup hand-over %s: %w", order, err)
	}
	return out, nil
}

// PickupHandover returns this terminal's record of an order's hand-over; ok is false when it has none.
func (s *Store) PickupHandover(order string) (h pos.PickupHandover, ok bool, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktPickupHandovers)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(order))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &h)
	})
	if err != nil {
		return pos.PickupHandover{}, false, fmt.Errorf("store: pickup hand-over %s: %w", order, err)
	}
	return h, ok, nil
}

// PickupHandovers lists this terminal's hand-over records in order id order.
func (s *Store) PickupHandovers() ([]pos.PickupHandover, error) {
	var out []pos.PickupHandover
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktPickupHandovers)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var h pos.PickupHandover
			if err := json.Unmarshal(v, &h); err != nil {
				return fmt.Errorf("%w: pickup hand-over %s: %w", ErrCorrupt, k, err)
			}
			out = append(out, h)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: pickup hand-overs: %w", err)
	}
	return out, nil
}

// LookupSale returns a sale of the journal; found is false, without an error, when the journal has none.
func (s *Store) LookupSale(id string) (sale pos.Sale, found bool, err error) {
	sale, err = s.Sale(id)
	switch {
	case errors.Is(err, ErrNotFound):
		return pos.Sale{}, false, nil
	case err != nil:
		return pos.Sale{}, false, err
	}
	return sale, true, nil
}

func (s *Store) changeHandover(order string, change func(b *bbolt.Bucket, cur pos.PickupHandover) error) error {
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktPickupHandovers)
		var v []byte
		if b != nil {
			v = b.Get([]byte(order))
		}
		if v == nil {
			return ErrNotFound
		}
		var cur pos.PickupHandover
		if err := json.Unmarshal(v, &cur); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		return change(b, cur)
	})
}

func putHandover(b *bbolt.Bucket, h pos.PickupHandover) error {
	v, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return b.Put([]byte(h.Order), v)
}

// FindPickupOrderByID returns a pulled pickup order; found is false, without an error, when there is none.
func (s *Store) FindPickupOrderByID(id string) (o wire.PickupOrder, found bool, err error) {
	return found2(s.PickupOrderByID(id))
}

// FindPickupOrderByNumber returns the pulled pickup order with the number the customer gave; found is
// false, without an error, when there is none.
func (s *Store) FindPickupOrderByNumber(number string) (o wire.PickupOrder, found bool, err error) {
	return found2(s.PickupOrderByNumber(number))
}

func found2(o wire.PickupOrder, err error) (wire.PickupOrder, bool, error) {
	switch {
	case errors.Is(err, ErrNotFound):
		return wire.PickupOrder{}, false, nil
	case err != nil:
		return wire.PickupOrder{}, false, err
	}
	return o, true, nil
}
