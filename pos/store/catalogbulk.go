package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// The first pull of a catalog into an empty store is a bulk load. Writing a million products page by page
// would insert their barcodes in random order into an ever larger index, and every page's commit would
// rewrite most of the index's pages: quadratic. Instead each page is appended, with its cursor, to a
// staging bucket (sequential writes, so an interrupted first pull still resumes where it stopped), and the
// page that ends the pull builds the products and their indexes from it in key order, in the same
// transaction: the catalog goes from empty to complete in one commit, never half there.
//
//	catalog_staging   big-endian seq -> 'p' encodeProduct | 'd' deleted article id
var bktCatalogStaging = []byte("catalog_staging")

const (
	stagedProduct = 'p'
	stagedDeleted = 'd'
)

// bulkFill is the fill of pages written in key order: they are not split again by the next insert.
const bulkFill = 0.95

// applyCatalogPage applies a catalog page: staged while a bulk load runs (or starts one when the pull starts
// from the beginning into an empty catalog), directly otherwise.
func applyCatalogPage(tx *bbolt.Tx, since string, page wire.Page[wire.Product], ps []pos.Product) error {
	c, err := openCatalog(tx)
	if err != nil {
		return err
	}
	staging := tx.Bucket(bktCatalogStaging)
	if staging == nil && since == "" {
		if k, _ := c.prods.Cursor().First(); k == nil {
			if staging, err = tx.CreateBucket(bktCatalogStaging); err != nil {
				return fmt.Errorf("start the catalog's bulk load: %w", err)
			}
		}
	}
	if staging == nil {
		for _, id := range page.Deleted {
			if err := c.remove(id); err != nil {
				return err
			}
		}
		for _, p := range ps {
			if err := c.upsert(p); err != nil {
				return err
			}
		}
		return nil
	}
	if err := stage(staging, page.Deleted, ps); err != nil {
		return err
	}
	if page.More {
		return nil
	}
	if err := buildCatalog(c, staging); err != nil {
		return fmt.Errorf("build the pulled catalog: %w", err)
	}
	return tx.DeleteBucket(bktCatalogStaging)
}

func stage(staging *bbolt.Bucket, deleted []string, ps []pos.Product) error {
	put := func(kind byte, v []byte) error {
		seq, err := staging.NextSequence()
		if err != nil {
			return err
		}
		return staging.Put(binary.BigEndian.AppendUint64(nil, seq), append([]byte{kind}, v...))
	}
	for _, id := range deleted { // deletions first, as a direct apply does
		if err := put(stagedDeleted, []byte(id)); err != nil {
			return fmt.Errorf("stage deletion of %s: %w", id, err)
		}
	}
	for _, p := range ps {
		if err := put(stagedProduct, encodeProduct(p)); err != nil {
			return fmt.Errorf("stage %s: %w", p.ID, err)
		}
	}
	return nil
}

// staged is an entry of the staging bucket. Its slices alias the bucket's memory, valid until the commit
// (bbolt copies what it still references before it remaps the file).
type staged struct {
	key sortKey
	id  []byte
	rec []byte // nil: deleted
	seq uint64
	// What buildCatalog does with it: put it (the goroutines index it), upsert it, or neither.
	put, upsert bool
}

// sortKey is the first 16 bytes of a key as two big-endian numbers: comparing them orders all EAN and
// article codes without touching their bytes, which are spread over the staging bucket's pages.
type sortKey [2]uint64

func keyOf(b []byte) sortKey {
	var buf [16]byte
	copy(buf[:], b)
	return sortKey{binary.BigEndian.Uint64(buf[:8]), binary.BigEndian.Uint64(buf[8:])}
}

func compareKeys(ka, kb sortKey, a, b []byte) int {
	if c := cmp.Compare(ka[0], kb[0]); c != 0 {
		return c
	}
	if c := cmp.Compare(ka[1], kb[1]); c != 0 {
		return c
	}
	if len(a) <= 16 && len(b) <= 16 {
		return cmp.Compare(len(a), len(b)) // "46" before "46\x00": the zero padding made them equal
	}
	return bytes.Compare(a, b)
}

// buildCatalog writes the staged products in article order, their barcodes and PLUs in code order and
// their name words in word order; the indexes are worked out on two other goroutines (bulkindex.go).
// An article that exists already (a catalog written while the load ran) is upserted the usual way. It
// keeps only slices into the staging bucket: a million articles are built in one transaction.
func buildCatalog(c catalogBuckets, staging *bbolt.Bucket) error {
	last := make([]staged, 0, staging.Sequence())
	cur := staging.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if len(k) != 8 || len(v) == 0 {
			return fmt.Errorf("%w: staged catalog entry %x", ErrCorrupt, k)
		}
		s := staged{seq: binary.BigEndian.Uint64(k)}
		switch v[0] {
		case stagedDeleted:
			s.id = v[1:]
		case stagedProduct:
			s.rec = v[1:]
			d := decoder{b: s.rec}
			d.header()
			if s.id = d.bytes("id"); d.err != nil {
				return d.err
			}
		default:
			return fmt.Errorf("%w: staged catalog entry of kind %q", ErrCorrupt, v[0])
		}
		s.key = keyOf(s.id)
		last = append(last, s)
	}
	// Within an article the staging order (seq) stays, so the last of each run is its final state. A hub
	// that sends the catalog in article order gives an already sorted slice, which pdqsort only checks.
	slices.SortFunc(last, func(a, b staged) int {
		if c := compareKeys(a.key, b.key, a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	c.prods.FillPercent = bulkFill
	// Mark what is written, before any Put: the last state of each article unless deleted, and not an
	// article the catalog has already (a catalog written while the load ran), which is upserted the usual
	// way. Into an empty products bucket the ids go once each, ascending: none can be there already.
	k, _ := c.prods.Cursor().First()
	existing := k != nil
	written := 0
	for i := range last {
		s := &last[i]
		switch {
		case i+1 < len(last) && bytes.Equal(last[i+1].id, s.id):
		case existing && c.prods.Get(s.id) != nil:
			s.upsert = true
		case s.rec != nil:
			s.put = true
			written++
		}
	}
	ix := startBulkIndexes(last, written)
	var finished, named bool
	defer func() { // the goroutines end on an error path too, before the transaction does
		if !finished {
			ix.finishCodes()
		}
		if !named {
			ix.finishNames()
		}
	}()
	for i := range last {
		s := &last[i]
		if s.upsert {
			if err := upsertStaged(c, s.id, s.rec); err != nil {
				return err
			}
		}
		if !s.put {
			continue
		}
		if err := c.prods.Put(s.id, s.rec); err != nil {
			return fmt.Errorf("%s: %w", s.id, err)
		}
	}
	finished = true
	codes, plus, err := ix.finishCodes()
	if err != nil {
		return err
	}
	if err := codes.put(c.codes); err != nil {
		return err
	}
	if err := plus.put(c.plus); err != nil {
		return err
	}
	named = true
	names := ix.finishNames()
	return names.write(c.names)
}

// recordCodes reads a product record up to its barcodes: the name, the PLU (nil without one), the barcode
// count and a decoder positioned on the first barcode.
func recordCodes(rec []byte) (plu, name []byte, barcodes uint64, d *decoder) {
	d = &decoder{b: rec}
	d.header()
	d.bytes("id")
	name = d.bytes("name")
	if plu = d.bytes("plu"); len(plu) == 0 {
		plu = nil
	}
	barcodes = d.uvarint("barcode count")
	if barcodes > uint64(len(d.b)) {
		d.fail("barcode count")
		barcodes = 0
	}
	return plu, name, barcodes, d
}

func upsertStaged(c catalogBuckets, id, rec []byte) error {
	if rec == nil {
		return c.remove(string(id))
	}
	p, err := decodeProduct(rec)
	if err != nil {
		return err
	}
	return c.upsert(p)
}

// CatalogLoading reports whether the first pull of the catalog has begun and not ended: the products
// pulled so far are staged, and the till sees them all at once when the last page arrives.
func (s *Store) CatalogLoading() (bool, error) {
	var loading bool
	err := s.view(func(tx *bbolt.Tx) error { loading = tx.Bucket(bktCatalogStaging) != nil; return nil })
	if err != nil {
		return false, fmt.Errorf("store: catalog loading: %w", err)
	}
	return loading, nil
}
