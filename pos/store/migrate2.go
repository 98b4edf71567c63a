package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// migrateJournalV2 moves the journal from schema 1 (JSON records; pending set and shift totals in buckets
// of their own) to the layout of journal.go: binary records, with the pending marks and the totals inside
// the sales bucket. It runs in one transaction with the version bump, like every migration.
func migrateJournalV2(tx *bbolt.Tx) error {
	sales, err := bucket(tx, bktSales)
	if err != nil {
		return err
	}
	// Rewrite the records in batches: a bucket must not be modified while a cursor walks it, so each batch
	// is read first, then written, then the cursor seeks past it.
	const batch = 1024
	type rec struct{ key, val []byte }
	var (
		todo []rec
		from []byte
	)
	for {
		todo = todo[:0]
		c := sales.Cursor()
		k, v := c.First()
		if from != nil {
			if k, v = c.Seek(from); k != nil && bytes.Equal(k, from) {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(todo) < batch; k, v = c.Next() {
			if len(k) == 0 || k[0] == internalKey {
				return fmt.Errorf("%w: schema 1 sale key %q", ErrCorrupt, k)
			}
			var sale pos.Sale
			if err := json.Unmarshal(v, &sale); err != nil {
				return fmt.Errorf("%w: schema 1 sale %s: %w", ErrCorrupt, k, err)
			}
			todo = append(todo, rec{bytes.Clone(k), encodeSale(sale)})
		}
		if len(todo) == 0 {
			break
		}
		for _, r := range todo {
			if err := sales.Put(r.key, r.val); err != nil {
				return err
			}
		}
		from = todo[len(todo)-1].key
	}
	if pending := tx.Bucket(bktPending); pending != nil {
		err := pending.ForEach(func(k, _ []byte) error { return sales.Put(pendingKey(string(k)), nil) })
		if err != nil {
			return err
		}
		if err := tx.DeleteBucket(bktPending); err != nil {
			return err
		}
	}
	if totals := tx.Bucket(bktShiftTotals); totals != nil {
		err := totals.ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("%w: schema 1 shift totals key %x", ErrCorrupt, k)
			}
			t, err := decodeTotals(v)
			if err != nil {
				return err
			}
			return sales.Put(totalsKey(int(binary.BigEndian.Uint64(k))), t.encode())
		})
		if err != nil {
			return err
		}
		if err := tx.DeleteBucket(bktShiftTotals); err != nil {
			return err
		}
	}
	return nil
}
