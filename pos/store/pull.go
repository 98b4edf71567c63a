package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// Buckets of the pulled feeds (schema 3). Each feed's cursor is in bktPullCursors under the feed's name and
// is written in the same transaction as the page it ends.
var (
	bktPullCursors   = []byte("pull_cursors")    // feed name -> the hub's opaque cursor
	bktCustomers     = []byte("customers")       // customer id -> JSON wire.Customer
	bktCustomerCards = []byte("customer_cards")  // loyalty card barcode -> customer id
	bktCustomerPhone = []byte("customer_phones") // phone hash (hex HMAC) -> customer id
	bktOffers        = []byte("offers")          // product id -> JSON wire.Offer
	bktPickup        = []byte("pickup_orders")   // order id -> JSON wire.PickupOrder
	bktPickupNumbers = []byte("pickup_numbers")  // order number ("W-10234") -> order id
)

// createPullBuckets is schema 3: the buckets of the pulled feeds.
func createPullBuckets(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bktPullCursors, bktCustomers, bktCustomerCards, bktCustomerPhone, bktOffers,
		bktPickup, bktPickupNumbers} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// ErrCursorMoved means a page was fetched from a cursor that is no longer the feed's: another pull applied
// pages meanwhile. The page is not applied; pulling again from the stored cursor is always right.
var ErrCursorMoved = errors.New("pull cursor moved")

// Feed is one pulled feed of the store, as sync/client's puller uses it: the cursor to ask from, and Apply,
// which stores a page and its cursor in one transaction.
type Feed[T any] struct {
	s    *Store
	name string
	// prepare checks and converts a page outside the transaction and returns what applies it inside.
	prepare func(since string, page wire.Page[T]) (func(tx *bbolt.Tx) error, error)
	// begin, if set, runs when the cursor is asked for: a pull round of the feed starts.
	begin func()
}

// Name is the feed's name on the wire ("catalog", "customers" …).
func (f Feed[T]) Name() string { return f.name }

// Cursor returns the cursor after the last applied page; "" before the first.
func (f Feed[T]) Cursor(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("store: %s cursor: %w", f.name, err)
	}
	if f.begin != nil {
		f.begin()
	}
	var cur string
	err := f.s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktPullCursors)
		if err != nil {
			return err
		}
		cur = string(b.Get([]byte(f.name)))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("store: %s cursor: %w", f.name, err)
	}
	return cur, nil
}

// Apply stores a page fetched after since: its deletions, then its items, then page.Next as the new cursor
// (an empty Next keeps since), all in one transaction. A page with an invalid item is refused as a whole
// (ErrInvalid) and so is a page whose since is not the stored cursor (ErrCursorMoved).
func (f Feed[T]) Apply(ctx context.Context, since string, page wire.Page[T]) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: apply %s page: %w", f.name, err)
	}
	apply, err := f.prepare(since, page)
	if err != nil {
		return fmt.Errorf("store: apply %s page: %w", f.name, err)
	}
	next := page.Next
	if next == "" {
		next = since
	}
	err = f.s.update(func(tx *bbolt.Tx) error {
		cursors, err := bucket(tx, bktPullCursors)
		if err != nil {
			return err
		}
		if cur := cursors.Get([]byte(f.name)); !bytes.Equal(cur, []byte(since)) {
			return fmt.Errorf("%w: page after %q, stored cursor %q", ErrCursorMoved, since, cur)
		}
		if err := apply(tx); err != nil {
			return err
		}
		return cursors.Put([]byte(f.name), []byte(next))
	})
	if err != nil {
		return fmt.Errorf("store: apply %s page: %w", f.name, err)
	}
	return nil
}

// CatalogFeed is the "catalog" feed: products with their barcodes, PLU, price and VAT.
func (s *Store) CatalogFeed() Feed[wire.Product] {
	return Feed[wire.Product]{s: s, name: wire.FeedCatalog, prepare: prepareCatalog}
}

// CustomerFeed is the "customers" feed: loyalty customers, found by card or phone hash.
func (s *Store) CustomerFeed() Feed[wire.Customer] {
	return Feed[wire.Customer]{s: s, name: wire.FeedCustomers, prepare: s.prepareCustomerPage,
		begin: s.loyalty.roundStarted}
}

// OfferFeed is the "offers" feed: the online price and stock of products.
func (s *Store) OfferFeed() Feed[wire.Offer] {
	return Feed[wire.Offer]{s: s, name: wire.FeedOffers, prepare: prepareOffers}
}

// PickupFeed is the "pickup-orders" feed: click&collect orders for this store.
func (s *Store) PickupFeed() Feed[wire.PickupOrder] {
	return Feed[wire.PickupOrder]{s: s, name: wire.FeedPickupOrders, prepare: preparePickup}
}

// index maintains a secondary index (key -> owner id) when an owner's keys change: keys it no longer has
// are removed if they still point to it, and its new keys point to it (the last writer owns a key).
func index(ix *bbolt.Bucket, id []byte, old, cur []string) error {
	for _, k := range old {
		if err := deleteIfOwned(ix, k, id); err != nil {
			return fmt.Errorf("%s: unindex %q: %w", id, k, err)
		}
	}
	for _, k := range cur {
		if k == "" {
			continue
		}
		if err := ix.Put([]byte(k), id); err != nil {
			return fmt.Errorf("%s: index %q: %w", id, k, err)
		}
	}
	return nil
}

// lookup resolves key through an index bucket (nil: key is the id) to a record of the records bucket,
// calling decode on it inside the transaction. found is false when either step finds nothing.
func (s *Store) lookup(ixName, recName []byte, key string, decode func(rec []byte) error) (found bool, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		recs, err := bucket(tx, recName)
		if err != nil {
			return err
		}
		id := []byte(key)
		if ixName != nil {
			ix, err := bucket(tx, ixName)
			if err != nil {
				return err
			}
			if id = ix.Get(id); id == nil {
				return nil
			}
		}
		rec := recs.Get(id)
		if rec == nil {
			return nil
		}
		found = true
		return decode(rec)
	})
	return found, err
}

// count returns the number of keys of a bucket.
func (s *Store) count(name []byte) (int, error) {
	var n int
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		n = b.Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: count %s: %w", name, err)
	}
	return n, nil
}
