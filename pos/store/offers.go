package store

import (
	"encoding/json"
	"fmt"

	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// Offers are the omnichannel view of products (online price, online-only discount, stock here, online and
// in nearby stores), keyed by product id, for the kiosk and basket QR codes. A deletion names a product id.

func prepareOffers(_ string, page wire.Page[wire.Offer]) (func(tx *bbolt.Tx) error, error) {
	recs := make([][]byte, len(page.Items))
	for i, o := range page.Items {
		if o.ProductID == "" {
			return nil, fmt.Errorf("%w: offer without product id", ErrInvalid)
		}
		var err error
		if recs[i], err = json.Marshal(o); err != nil {
			return nil, fmt.Errorf("offer %s: %w", o.ProductID, err)
		}
	}
	return func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktOffers)
		if err != nil {
			return err
		}
		for _, id := range page.Deleted {
			if err := b.Delete([]byte(id)); err != nil {
				return fmt.Errorf("offer %s: %w", id, err)
			}
		}
		for i, o := range page.Items {
			if err := b.Put([]byte(o.ProductID), recs[i]); err != nil {
				return fmt.Errorf("offer %s: %w", o.ProductID, err)
			}
		}
		return nil
	}, nil
}

// OfferByProduct returns the online offer of a product, or an error wrapping ErrNotFound.
func (s *Store) OfferByProduct(productID string) (wire.Offer, error) {
	var o wire.Offer
	found, err := s.lookup(nil, bktOffers, productID, func(rec []byte) error { return json.Unmarshal(rec, &o) })
	if err != nil {
		return wire.Offer{}, fmt.Errorf("store: offer of %q: %w", productID, err)
	}
	if !found {
		return wire.Offer{}, fmt.Errorf("store: offer of %q: %w", productID, ErrNotFound)
	}
	return o, nil
}

// OfferCount returns the number of pulled offers.
func (s *Store) OfferCount() (int, error) { return s.count(bktOffers) }
