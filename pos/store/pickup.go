package store

import (
	"encoding/json"
	"fmt"

	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// Pickup orders are the click&collect orders of this store, pulled ahead of time so the desk hands them
// over offline: found by id (from the pickup QR) or by the number the customer says.

func preparePickup(_ string, page wire.Page[wire.PickupOrder]) (func(tx *bbolt.Tx) error, error) {
	recs := make([][]byte, len(page.Items))
	for i, o := range page.Items {
		if o.ID == "" {
			return nil, fmt.Errorf("%w: pickup order %q without id", ErrInvalid, o.Number)
		}
		var err error
		if recs[i], err = json.Marshal(o); err != nil {
			return nil, fmt.Errorf("pickup order %s: %w", o.ID, err)
		}
	}
	return func(tx *bbolt.Tx) error {
		recsB, err := bucket(tx, bktPickup)
		if err != nil {
			return err
		}
		numbers, err := bucket(tx, bktPickupNumbers)
		if err != nil {
			return err
		}
		put := func(id string, o *wire.PickupOrder, rec []byte) error {
			key := []byte(id)
			var old wire.PickupOrder
			if v := recsB.Get(key); v != nil {
				if err := json.Unmarshal(v, &old); err != nil {
					return fmt.Errorf("%w: pickup order %s: %w", ErrCorrupt, id, err)
				}
			}
			var cur wire.PickupOrder
			if o != nil {
				cur = *o
			}
			oldN, curN := nonEmpty(old.Number), nonEmpty(cur.Number)
			if err := index(numbers, key, removed(oldN, curN), curN); err != nil {
				return err
			}
			if o == nil {
				return recsB.Delete(key)
			}
			return recsB.Put(key, rec)
		}
		for _, id := range page.Deleted {
			if err := put(id, nil, nil); err != nil {
				return err
			}
		}
		for i := range page.Items {
			if err := put(page.Items[i].ID, &page.Items[i], recs[i]); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// PickupOrderByID returns a pulled pickup order, or an error wrapping ErrNotFound.
func (s *Store) PickupOrderByID(id string) (wire.PickupOrder, error) {
	return s.pickupVia(nil, id, "id")
}

// PickupOrderByNumber returns the pickup order with the number the customer gave ("W-10234"), or an error
// wrapping ErrNotFound.
func (s *Store) PickupOrderByNumber(number string) (wire.PickupOrder, error) {
	return s.pickupVia(bktPickupNumbers, number, "number")
}

func (s *Store) pickupVia(ix []byte, key, what string) (wire.PickupOrder, error) {
	var o wire.PickupOrder
	found, err := s.lookup(ix, bktPickup, key, func(rec []byte) error { return json.Unmarshal(rec, &o) })
	if err != nil {
		return wire.PickupOrder{}, fmt.Errorf("store: pickup order by %s %q: %w", what, key, err)
	}
	if !found {
		return wire.PickupOrder{}, fmt.Errorf("store: pickup order by %s %q: %w", what, key, ErrNotFound)
	}
	return o, nil
}

// PickupOrders lists the pulled pickup orders with the status ("ready", "collected", "cancelled"; "" for
// all), in id order.
func (s *Store) PickupOrders(status string) ([]wire.PickupOrder, error) {
	var out []wire.PickupOrder
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktPickup)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var o wire.PickupOrder
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("%w: pickup order %s: %w", ErrCorrupt, k, err)
			}
			if status == "" || o.Status == status {
				out = append(out, o)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: pickup orders: %w", err)
	}
	return out, nil
}
