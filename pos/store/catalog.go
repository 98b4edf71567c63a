package store

import (
	"bytes"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// PutProducts writes a batch of products in one transaction (a catalog page is applied atomically). A
// product that exists is replaced, and the barcode and PLU index entries it no longer has are removed.
// A barcode or PLU moved from one article to another belongs to the last writer; removing the old
// owner's entries later never touches an entry that points elsewhere.
func (s *Store) PutProducts(ps []pos.Product) error {
	for i, p := range ps {
		if p.ID == "" {
			return fmt.Errorf("store: put products: #%d %q: %w: empty id", i, p.Name, ErrInvalid)
		}
		for _, bc := range p.Barcodes {
			if bc == "" {
				return fmt.Errorf("store: put products: %s: %w: empty barcode", p.ID, ErrInvalid)
			}
		}
	}
	err := s.update(func(tx *bbolt.Tx) error {
		c, err := openCatalog(tx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := c.upsert(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: put products: %w", err)
	}
	return nil
}

func deleteIfOwned(index *bbolt.Bucket, key string, id []byte) error {
	if owner := index.Get([]byte(key)); owner != nil && bytes.Equal(owner, id) {
		return index.Delete([]byte(key))
	}
	return nil
}

// ProductByID returns the article with the id, or an error wrapping pos.ErrProductNotFound.
func (s *Store) ProductByID(id string) (pos.Product, error) {
	return s.productVia(nil, id, "id")
}

// ProductByBarcode looks a scanned code up in the barcode index (one Get for the id, one for the record).
func (s *Store) ProductByBarcode(code string) (pos.Product, error) {
	return s.productVia(bktBarcodes, code, "barcode")
}

// ProductByPLU returns the weighed article with the PLU of a weight label.
func (s *Store) ProductByPLU(plu string) (pos.Product, error) {
	return s.productVia(bktPLU, plu, "plu")
}

// productVia resolves key through index (nil: key is the id) and decodes the product. It is the scan
// path (budget: p99 <= 50 µs, <= 3x a bare bbolt Get), so it opens its read transaction itself instead of
// through a closure: fewer allocations, less garbage collection in the tail.
func (s *Store) productVia(index []byte, key, what string) (p pos.Product, err error) {
	found, err := s.lookupProduct(index, key, &p)
	if err != nil {
		return pos.Product{}, fmt.Errorf("store: product by %s %q: %w", what, key, err)
	}
	if !found {
		return pos.Product{}, fmt.Errorf("store: product by %s %q: %w", what, key, pos.ErrProductNotFound)
	}
	return p, nil
}

func (s *Store) lookupProduct(index []byte, key string, p *pos.Product) (found bool, err error) {
	defer recoverCorrupt(&err)
	tx, err := s.db.Begin(false)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	id := []byte(key)
	if index != nil {
		ix, err := bucket(tx, index)
		if err != nil {
			return false, err
		}
		if id = ix.Get(id); id == nil {
			return false, nil
		}
	}
	prods, err := bucket(tx, bktProducts)
	if err != nil {
		return false, err
	}
	rec := prods.Get(id)
	if rec == nil {
		return false, nil
	}
	*p, err = decodeProduct(rec)
	return err == nil, err
}

// ProductCount returns the number of articles. It walks every page of the catalog (a million articles:
// over 100 MB read and resident): to ask whether there is a catalog at all, use CatalogEmpty.
func (s *Store) ProductCount() (int, error) {
	var n int
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktProducts)
		if err != nil {
			return err
		}
		n = b.Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: product count: %w", err)
	}
	return n, nil
}

// CatalogEmpty reports whether the store has no article: one cursor step, whatever the catalog's size.
func (s *Store) CatalogEmpty() (bool, error) {
	empty := true
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktProducts)
		if err != nil {
			return err
		}
		k, _ := b.Cursor().First()
		empty = k == nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: catalog empty: %w", err)
	}
	return empty, nil
}
