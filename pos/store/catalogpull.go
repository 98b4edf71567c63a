package store

import (
	"bytes"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// catalogBuckets are the product records and their barcode, PLU and name indexes.
type catalogBuckets struct{ prods, codes, plus, names *bbolt.Bucket }

func openCatalog(tx *bbolt.Tx) (catalogBuckets, error) {
	var c catalogBuckets
	var err error
	if c.prods, err = bucket(tx, bktProducts); err != nil {
		return c, err
	}
	if c.codes, err = bucket(tx, bktBarcodes); err != nil {
		return c, err
	}
	if c.plus, err = bucket(tx, bktPLU); err != nil {
		return c, err
	}
	c.names, err = bucket(tx, bktNameWords)
	return c, err
}

// upsert writes p, replacing the record with its id and moving the index entries: the barcodes and PLU
// the old record had and p has not are removed (if they still point to it).
func (c catalogBuckets) upsert(p pos.Product) error {
	id := []byte(p.ID)
	var oldCodes []string
	var oldName string
	if rec := c.prods.Get(id); rec != nil {
		old, err := decodeProduct(rec)
		if err != nil {
			return fmt.Errorf("%s: %w", p.ID, err)
		}
		oldCodes, oldName = old.Barcodes, old.Name
		if old.PLU != "" && old.PLU != p.PLU {
			if err := deleteIfOwned(c.plus, old.PLU, id); err != nil {
				return err
			}
		}
	}
	if err := c.prods.Put(id, encodeProduct(p)); err != nil {
		return fmt.Errorf("%s: %w", p.ID, err)
	}
	if err := reindexName(c.names, id, oldName, p.Name); err != nil {
		return err
	}
	if err := index(c.codes, id, removed(oldCodes, p.Barcodes), p.Barcodes); err != nil {
		return err
	}
	if p.PLU != "" {
		if err := c.plus.Put([]byte(p.PLU), id); err != nil {
			return fmt.Errorf("%s: plu %s: %w", p.ID, p.PLU, err)
		}
	}
	return nil
}

// remove deletes the product with id and the index entries that point to it; an unknown id is no error
// (a deletion may be pulled twice).
func (c catalogBuckets) remove(id string) error {
	key := []byte(id)
	rec := c.prods.Get(key)
	if rec == nil {
		return nil
	}
	old, err := decodeProduct(rec)
	if err != nil {
		return fmt.Errorf("%s: %w", id, err)
	}
	if err := index(c.codes, key, old.Barcodes, nil); err != nil {
		return err
	}
	if err := reindexName(c.names, key, old.Name, ""); err != nil {
		return err
	}
	if old.PLU != "" {
		if err := deleteIfOwned(c.plus, old.PLU, key); err != nil {
			return err
		}
	}
	return c.prods.Delete(key)
}

// removed returns the elements of old that are not in cur.
func removed(old, cur []string) []string {
	var out []string
	for _, o := range old {
		keep := false
		for _, c := range cur {
			if o == c {
				keep = true
				break
			}
		}
		if !keep {
			out = append(out, o)
		}
	}
	return out
}

// productFromWire converts a pulled product, refusing what the till could not sell correctly.
func productFromWire(w wire.Product) (pos.Product, error) {
	p := pos.Product{ID: w.ID, Name: w.Name, Barcodes: w.Barcodes, PLU: w.PLU, Price: pos.Money(w.Price),
		Marked: w.Marked, AgeLimit: w.AgeLimit}
	if w.ID == "" {
		return p, fmt.Errorf("%w: product %q without id", ErrInvalid, w.Name)
	}
	if w.Price < 0 {
		return p, fmt.Errorf("%w: product %s: negative price %d", ErrInvalid, w.ID, w.Price)
	}
	vat, err := pos.ParseVATRate(w.VAT)
	if err != nil {
		return p, fmt.Errorf("%w: product %s: %w", ErrInvalid, w.ID, err)
	}
	p.VAT = vat
	switch w.Unit {
	case "pcs", "":
		p.Unit = pos.UnitPiece
	case "kg":
		p.Unit = pos.UnitKg
	default:
		return p, fmt.Errorf("%w: product %s: unit %q is neither pcs nor kg", ErrInvalid, w.ID, w.Unit)
	}
	for _, bc := range w.Barcodes {
		if bc == "" {
			return p, fmt.Errorf("%w: product %s: empty barcode", ErrInvalid, w.ID)
		}
	}
	return p, nil
}

func prepareCatalog(since string, page wire.Page[wire.Product]) (func(tx *bbolt.Tx) error, error) {
	ps := make([]pos.Product, len(page.Items))
	for i, w := range page.Items {
		p, err := productFromWire(w)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	return func(tx *bbolt.Tx) error { return applyCatalogPage(tx, since, page, ps) }, nil
}

// ProductsAfter lists up to limit products in article order, starting after the article id after ("" from
// the first): a way to walk the catalog page by page.
func (s *Store) ProductsAfter(after string, limit int) ([]pos.Product, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	var out []pos.Product
	err := s.view(func(tx *bbolt.Tx) error {
		prods, err := bucket(tx, bktProducts)
		if err != nil {
			return err
		}
		c := prods.Cursor()
		k, rec := c.First()
		if after != "" {
			if k, rec = c.Seek([]byte(after)); k != nil && bytes.Equal(k, []byte(after)) {
				k, rec = c.Next()
			}
		}
		for ; k != nil && len(out) < limit; k, rec = c.Next() {
			p, err := decodeProduct(rec)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: products after %q: %w", after, err)
	}
	return out, nil
}
