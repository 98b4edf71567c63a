package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// SaveDeferred puts a cart aside (отложенный чек). Saving an id again replaces it.
func (s *Store) SaveDeferred(d pos.DeferredReceipt) error {
	if d.ID == "" {
		return fmt.Errorf("store: save deferred: %w: empty id", ErrInvalid)
	}
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("store: save deferred %s: %w", d.ID, err)
	}
	err = s.update(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktDeferred)
		if err != nil {
			return err
		}
		return b.Put([]byte(d.ID), data)
	})
	if err != nil {
		return fmt.Errorf("store: save deferred %s: %w", d.ID, err)
	}
	return nil
}

// DeferredReceipts lists the carts put aside, oldest first. A till holds a handful, so they are sorted in
// memory rather than indexed by time.
func (s *Store) DeferredReceipts() ([]pos.DeferredReceipt, error) {
	var out []pos.DeferredReceipt
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktDeferred)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var d pos.DeferredReceipt
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("%w: deferred %s: %w", ErrCorrupt, k, err)
			}
			out = append(out, d)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: deferred receipts: %w", err)
	}
	slices.SortFunc(out, func(a, b pos.DeferredReceipt) int {
		if c := a.SavedAt.Compare(b.SavedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// TakeDeferred removes a deferred receipt and returns it; an unknown id gives pos.ErrNoDeferred.
func (s *Store) TakeDeferred(id string) (pos.DeferredReceipt, error) {
	var d pos.DeferredReceipt
	err := s.update(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktDeferred)
		if err != nil {
			return err
		}
		v := b.Get([]byte(id))
		if v == nil {
			return pos.ErrNoDeferred
		}
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		return b.Delete([]byte(id))
	})
	if err != nil {
		return pos.DeferredReceipt{}, fmt.Errorf("store: take deferred %s: %w", id, err)
	}
	return d, nil
}
