package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// ImportStats counts what an import changed. Unchanged items keep their place in the feed, so importing
// the same file twice sends terminals nothing.
type ImportStats struct {
	Added, Changed, Unchanged, Deleted int
}

// importChunk bounds the items written per transaction: a million-product import then needs no gigabyte of
// dirty pages, and each item's change stays atomic.
const importChunk = 5000

type feedItem struct {
	ID   string
	Data []byte
}

// indexHooks keep a secondary index in step with a feed's items, in the same transaction.
type indexHooks struct {
	put func(tx *bolt.Tx, id string, old, data []byte) error
	del func(tx *bolt.Tx, id string, old []byte) error
}

// ImportCatalog writes a store's products into its catalog feed. With full, products missing from the list
// are deleted (a complete export); without it only the listed ones change (a delta).
func (s *Storage) ImportCatalog(ctx context.Context, store string, products []wire.Product, full bool) (ImportStats, error) {
	items := make([]feedItem, len(products))
	for i, p := range products {
		data, err := json.Marshal(p)
		if err != nil {
			return ImportStats{}, fmt.Errorf("encode product %q: %w", p.ID, err)
		}
		items[i] = feedItem{ID: p.ID, Data: data}
	}
	return s.importFeed(ctx, wire.FeedCatalog, store, items, full, barcodeHooks(store))
}

// ImportOffers writes a store's offers (online price and stock, keyed by product id) into its offers feed,
// like ImportCatalog.
func (s *Storage) ImportOffers(ctx context.Context, store string, offers []wire.Offer, full bool) (ImportStats, error) {
	items := make([]feedItem, len(offers))
	for i, o := range offers {
		data, err := json.Marshal(o)
		if err != nil {
			return ImportStats{}, fmt.Errorf("encode offer %q: %w", o.ProductID, err)
		}
		items[i] = feedItem{ID: o.ProductID, Data: data}
	}
	return s.importFeed(ctx, wire.FeedOffers, store, items, full, indexHooks{})
}

func (s *Storage) importFeed(ctx context.Context, feed, store string, items []feedItem, full bool, hooks indexHooks) (ImportStats, error) {
	var stats ImportStats
	if !validName(store) && feed != wire.FeedCustomers {
		return stats, fmt.Errorf("import %s: %w: %q", feed, ErrBadName, store)
	}
	keep := make(map[string]bool, len(items))
	for _, it := range items {
		if it.ID == "" || len(it.ID) > maxIDLen {
			return stats, fmt.Errorf("import %s: bad item id %.140q", feed, it.ID)
		}
		keep[it.ID] = true
	}
	for chunk := range slices.Chunk(items, importChunk) {
		err := s.update(ctx, func(tx *bolt.Tx) error {
			f, err := openScope(tx, feed, store, true)
			if err != nil {
				return err
			}
			for _, it := range chunk {
				old, changed, err := f.put(it.ID, it.Data)
				switch {
				case err != nil:
					return err
				case !changed:
					stats.Unchanged++
					continue
				case old == nil:
					stats.Added++
				default:
					stats.Changed++
				}
				if hooks.put != nil {
					if err := hooks.put(tx, it.ID, old, it.Data); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return stats, fmt.Errorf("import %s of %q: %w", feed, store, err)
		}
	}
	if !full {
		return stats, nil
	}
	var gone []string
	err := s.view(ctx, func(tx *bolt.Tx) error {
		f, err := openScope(tx, feed, store, false)
		if f == nil || err != nil {
			return err
		}
		return f.items.ForEach(func(k, v []byte) error {
			if len(v) >= 9 && v[8]&flagDeleted == 0 && !keep[string(k)] {
				gone = append(gone, string(k))
			}
			return nil
		})
	})
	if err != nil {
		return stats, fmt.Errorf("import %s of %q: %w", feed, store, err)
	}
	for chunk := range slices.Chunk(gone, importChunk) {
		err := s.update(ctx, func(tx *bolt.Tx) error {
			f, err := openScope(tx, feed, store, true)
			if err != nil {
				return err
			}
			for _, id := range chunk {
				old, err := f.delete(id)
				if err != nil {
					return err
				}
				if old == nil {
					continue
				}
				stats.Deleted++
				if hooks.del != nil {
					if err := hooks.del(tx, id, old); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return stats, fmt.Errorf("import %s of %q: delete: %w", feed, store, err)
		}
	}
	return stats, nil
}

// barcodeHooks index a store's products by barcode. A barcode moved to another product follows it; one
// left behind by a changed product is removed only while it still points to that product.
func barcodeHooks(store string) indexHooks {
	codes := func(data []byte) []string {
		var p wire.Product
		if data == nil || json.Unmarshal(data, &p) != nil {
			return nil
		}
		return p.Barcodes
	}
	index := func(tx *bolt.Tx) (*bolt.Bucket, error) {
		return tx.Bucket(bucketBarcodes).CreateBucketIfNotExists([]byte(store))
	}
	drop := func(b *bolt.Bucket, id string, old, keep []string) error {
		for _, bc := range old {
			if !slices.Contains(keep, bc) && string(b.Get([]byte(bc))) == id {
				if err := b.Delete([]byte(bc)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return indexHooks{
		put: func(tx *bolt.Tx, id string, old, data []byte) error {
			b, err := index(tx)
			if err != nil {
				return err
			}
			now := codes(data)
			if err := drop(b, id, codes(old), now); err != nil {
				return err
			}
			for _, bc := range now {
				if err := b.Put([]byte(bc), []byte(id)); err != nil {
					return err
				}
			}
			return nil
		},
		del: func(tx *bolt.Tx, id string, old []byte) error {
			b, err := index(tx)
			if err != nil {
				return err
			}
			return drop(b, id, codes(old), nil)
		},
	}
}

// FindProduct returns the store's product with barcode (or, failing that, id) code.
func (s *Storage) FindProduct(ctx context.Context, store, code string) (wire.Product, error) {
	var p wire.Product
	err := s.view(ctx, func(tx *bolt.Tx) error {
		f, err := openScope(tx, wire.FeedCatalog, store, false)
		if err != nil {
			return err
		}
		id := code
		if bb := tx.Bucket(bucketBarcodes); bb != nil {
			if idx := bb.Bucket([]byte(store)); idx != nil {
				if v := idx.Get([]byte(code)); v != nil {
					id = string(v)
				}
			}
		}
		data, ok := f.get(id)
		if !ok {
			return fmt.Errorf("product %q of store %q: %w", code, store, ErrNotFound)
		}
		return json.Unmarshal(data, &p)
	})
	return p, err
}

// DeleteProducts removes products (and their offers) from a store's feeds, for a delta that marks goods
// deleted. It returns how many products were live.
func (s *Storage) DeleteProducts(ctx context.Context, store string, ids []string) (int, error) {
	n := 0
	for chunk := range slices.Chunk(ids, importChunk) {
		err := s.update(ctx, func(tx *bolt.Tx) error {
			cat, err := openScope(tx, wire.FeedCatalog, store, true)
			if err != nil {
				return err
			}
			offers, err := openScope(tx, wire.FeedOffers, store, true)
			if err != nil {
				return err
			}
			del := barcodeHooks(store).del
			for _, id := range chunk {
				old, err := cat.delete(id)
				if err != nil {
					return err
				}
				if old != nil {
					n++
					if err := del(tx, id, old); err != nil {
						return err
					}
				}
				if _, err := offers.delete(id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("delete products of %q: %w", store, err)
		}
	}
	return n, nil
}
