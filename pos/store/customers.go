package store

import (
	"encoding/json"
	"fmt"

	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// Customers are loyalty customers as pulled from the hub (no phone or e-mail in clear, see wire.Customer),
// found at the till by loyalty card or by the keyed hash of a typed phone number.

func prepareCustomers(_ string, page wire.Page[wire.Customer]) (func(tx *bbolt.Tx) error, error) {
	recs := make([][]byte, len(page.Items))
	for i, c := range page.Items {
		if c.ID == "" {
			return nil, fmt.Errorf("%w: customer %q without id", ErrInvalid, c.Name)
		}
		var err error
		if recs[i], err = json.Marshal(c); err != nil {
			return nil, fmt.Errorf("customer %s: %w", c.ID, err)
		}
	}
	return func(tx *bbolt.Tx) error {
		b, err := openCustomers(tx)
		if err != nil {
			return err
		}
		for _, id := range page.Deleted {
			if err := b.put(id, nil, nil); err != nil {
				return err
			}
		}
		for i := range page.Items {
			if err := b.put(page.Items[i].ID, &page.Items[i], recs[i]); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

type customerBuckets struct{ recs, cards, phones *bbolt.Bucket }

func openCustomers(tx *bbolt.Tx) (customerBuckets, error) {
	var b customerBuckets
	var err error
	if b.recs, err = bucket(tx, bktCustomers); err != nil {
		return b, err
	}
	if b.cards, err = bucket(tx, bktCustomerCards); err != nil {
		return b, err
	}
	b.phones, err = bucket(tx, bktCustomerPhone)
	return b, err
}

// put replaces the customer with id by c (encoded as rec), or deletes it when c is nil, keeping the card
// and phone indexes in step.
func (b customerBuckets) put(id string, c *wire.Customer, rec []byte) error {
	key := []byte(id)
	var old wire.Customer
	if v := b.recs.Get(key); v != nil {
		if err := json.Unmarshal(v, &old); err != nil {
			return fmt.Errorf("%w: customer %s: %w", ErrCorrupt, id, err)
		}
	}
	var cur wire.Customer
	if c != nil {
		cur = *c
	}
	if err := index(b.cards, key, removed(old.Cards, cur.Cards), cur.Cards); err != nil {
		return err
	}
	oldPhone, curPhone := nonEmpty(old.PhoneHash), nonEmpty(cur.PhoneHash)
	if err := index(b.phones, key, removed(oldPhone, curPhone), curPhone); err != nil {
		return err
	}
	if c == nil {
		return b.recs.Delete(key)
	}
	return b.recs.Put(key, rec)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// CustomerByID returns a pulled customer, or an error wrapping ErrNotFound.
func (s *Store) CustomerByID(id string) (wire.Customer, error) {
	return s.customerVia(nil, id, "id")
}

// CustomerByCard returns the customer whose loyalty card was scanned, or an error wrapping ErrNotFound.
func (s *Store) CustomerByCard(card string) (wire.Customer, error) {
	return s.customerVia(bktCustomerCards, card, "card")
}

// CustomerByPhoneHash returns the customer with the phone hash (wire.Customer.PhoneHash of the typed
// number), or an error wrapping ErrNotFound.
func (s *Store) CustomerByPhoneHash(hash string) (wire.Customer, error) {
	return s.customerVia(bktCustomerPhone, hash, "phone")
}

func (s *Store) customerVia(ix []byte, key, what string) (wire.Customer, error) {
	var c wire.Customer
	found, err := s.lookup(ix, bktCustomers, key, func(rec []byte) error { return json.Unmarshal(rec, &c) })
	if err != nil {
		return wire.Customer{}, fmt.Errorf("store: customer by %s %q: %w", what, key, err)
	}
	if !found {
		return wire.Customer{}, fmt.Errorf("store: customer by %s %q: %w", what, key, ErrNotFound)
	}
	return c, nil
}

// CustomerCount returns the number of pulled customers.
func (s *Store) CustomerCount() (int, error) { return s.count(bktCustomers) }
