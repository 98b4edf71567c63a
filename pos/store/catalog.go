package store

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// DefaultSearchLimit is used when SearchProducts is given a limit <= 0.
const DefaultSearchLimit = 50

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

// productVia resolves key through index (nil: key is the id) and decodes the product.
func (s *Store) productVia(index []byte, key, what string) (pos.Product, error) {
	var p pos.Product
	found := false
	err := s.view(func(tx *bbolt.Tx) error {
		prods, err := bucket(tx, bktProducts)
		if err != nil {
			return err
		}
		id := []byte(key)
		if index != nil {
			ix, err := bucket(tx, index)
			if err != nil {
				return err
			}
			if id = ix.Get(id); id == nil {
				return nil
			}
		}
		rec := prods.Get(id)
		if rec == nil {
			return nil
		}
		found = true
		p, err = decodeProduct(rec)
		return err
	})
	if err != nil {
		return pos.Product{}, fmt.Errorf("store: product by %s %q: %w", what, key, err)
	}
	if !found {
		return pos.Product{}, fmt.Errorf("store: product by %s %q: %w", what, key, pos.ErrProductNotFound)
	}
	return p, nil
}

// ProductCount returns the number of articles.
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

// SearchProducts finds up to limit products for a query typed at the till: first an article whose id,
// barcode or PLU equals the query, then, in article order, those whose name contains every word of the
// query (case-insensitively, ё read as е) or whose article number starts with it.
//
// The name match is a scan of the products bucket that decodes only the name of each record: fine up to
// tens of thousands of articles; a million-article catalog needs a token index (a later schema migration).
func (s *Store) SearchProducts(query string, limit int) ([]pos.Product, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	words := strings.Fields(foldName(query))
	qkey := []byte(query) // an article number typed in part ("10002") lists the articles it starts
	var out []pos.Product
	err := s.view(func(tx *bbolt.Tx) error {
		prods, err := bucket(tx, bktProducts)
		if err != nil {
			return err
		}
		var exactID []byte
		for _, ix := range [][]byte{nil, bktBarcodes, bktPLU} {
			id := []byte(query)
			if ix != nil {
				if id = tx.Bucket(ix).Get(id); id == nil {
					continue
				}
			}
			if rec := prods.Get(id); rec != nil {
				p, err := decodeProduct(rec)
				if err != nil {
					return err
				}
				out, exactID = append(out, p), bytes.Clone(id)
				break
			}
		}
		c := prods.Cursor()
		for k, rec := c.First(); k != nil && len(out) < limit; k, rec = c.Next() {
			name, err := recordName(rec)
			if err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			byName := matchesAll(foldName(string(name)), words)
			if !(byName || bytes.HasPrefix(k, qkey)) || bytes.Equal(k, exactID) {
				continue
			}
			p, err := decodeProduct(rec)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", query, err)
	}
	return out, nil
}

var yoFolder = strings.NewReplacer("ё", "е")

// foldName lower-cases a name and reads ё as е, as cashiers type it.
func foldName(s string) string { return yoFolder.Replace(strings.ToLower(s)) }

func matchesAll(name string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(name, w) {
			return false
		}
	}
	return len(words) > 0
}
