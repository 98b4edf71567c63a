package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// The archive keeps the live database bounded. A sale (or refund) that the hub has acknowledged, or that
// was cancelled, and that is older than the configured age moves to a bbolt file of its month (UTC) in the
// archive folder, "2026-08.db", with its receipt and refund index keys:
//
//	sales     sale id                          -> the journal record as it was (the buyer stays sealed)
//	receipts  FN serial 0x00 big-endian FD no. -> sale id
//	refunds   original id 0x00 refund id       -> (empty)
//
// Order of the move, so that a crash anywhere loses nothing: the records are written to the archive file
// and committed with fsync (and the folder synced when the file is new) before the live records are
// deleted in one transaction. A crash between the two leaves the sale in both; the next run writes the
// same bytes again and deletes it then, so archiving is idempotent. Readers look in the live journal first.
var (
	arcSales    = []byte("sales")
	arcReceipts = []byte("receipts")
	arcRefunds  = []byte("refunds")
)

// archiveCrashHook, set by a test only, runs between the archive's commit and the live delete.
var archiveCrashHook func()

// archiveBatch is how many sales one pass moves: one archive commit and one live commit each, short
// enough that a sale at the till never waits long behind the live one.
const archiveBatch = 500

// The outbox's id buckets (layout documented in sync/outbox): an event id present in either is not yet
// acknowledged by the hub.
var outboxIDBuckets = [][]byte{[]byte("outbox_ids"), []byte("outbox_dead")}

// ArchiveResult says what ArchiveJournal moved.
type ArchiveResult struct {
	Sales int      // sales and refunds moved out of the live journal
	Files []string // archive files written, by month
}

// ArchiveDir is the folder of the archive files.
func (s *Store) ArchiveDir() string { return s.archive }

// ArchiveJournal moves the settled sales created before cutoff to the archive (see above): fiscalised
// ones whose outbox events (the sale's and its loyalty events) the hub acknowledged, and cancelled ones.
// Pending sales and sales with events still queued or dead-lettered stay. It works in batches and stops
// between them when ctx is done.
func (s *Store) ArchiveJournal(ctx context.Context, cutoff time.Time) (ArchiveResult, error) {
	var res ArchiveResult
	var after []byte // the journal order key to continue after: skipped sales are not looked at twice
	for {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("store: archive: %w", err)
		}
		batch, next, err := s.archiveCandidates(after, cutoff)
		if err != nil {
			return res, fmt.Errorf("store: archive: %w", err)
		}
		if len(batch) > 0 {
			files, err := s.writeArchive(batch)
			if err != nil {
				return res, fmt.Errorf("store: archive: %w", err)
			}
			if archiveCrashHook != nil {
				archiveCrashHook()
			}
			if err := s.update(func(tx *bbolt.Tx) error { return deleteArchived(tx, batch) }); err != nil {
				return res, fmt.Errorf("store: archive: delete the archived sales: %w", err)
			}
			res.Sales += len(batch)
			for _, f := range files {
				if !slices.Contains(res.Files, f) {
					res.Files = append(res.Files, f)
				}
			}
		}
		if next == nil {
			return res, nil
		}
		after = next
	}
}

// archived is one sale on its way to the archive, with the keys that go with it.
type archived struct {
	id, record []byte
	month      string
	orderKey   []byte
	receipt    []byte // receipt index key pointing at this sale, nil if none
	refund     []byte // refunds index key of this refund, nil if it is none
}

// archiveCandidates collects up to archiveBatch sales to move, walking the journal oldest first after the
// order key after. next is where to go on, nil when the journal has nothing older than cutoff left.
func (s *Store) archiveCandidates(after []byte, cutoff time.Time) (batch []archived, next []byte, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		j, err := withRefunds(tx)
		if err != nil {
			return err
		}
		sales, refunds := j.sales, j.refunds
		c := j.order.Cursor()
		k, id := c.First()
		if after != nil {
			if k, id = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, id = c.Next()
			}
		}
		var last []byte
		for ; k != nil; k, id = c.Next() {
			if len(batch) == archiveBatch {
				next = last // Seek(last) lands after it once it is deleted, on it if it stayed
				return nil
			}
			last = bytes.Clone(k)
			v := sales.Get(id)
			if v == nil {
				continue // an order key left by an older version: nothing to move
			}
			sale, err := decodeSale(v)
			if err != nil {
				return fmt.Errorf("sale %s: %w", id, err)
			}
			if !sale.CreatedAt.Before(cutoff) {
				return nil // the journal is in time order: everything after is newer
			}
			if sale.Status == pos.SalePending || unacked(tx, sale.ID) {
				continue
			}
			a := archived{id: bytes.Clone(id), record: bytes.Clone(v), month: sale.CreatedAt.UTC().Format("2006-01"),
				orderKey: bytes.Clone(k)}
			if f := sale.Fiscal; f != nil {
				if rk := receiptKey(f.FNSerial, f.FDNumber); bytes.Equal(sales.Get(rk), id) {
					a.receipt = rk
				}
			}
			if sale.Kind == pos.KindRefund && sale.RefundOf != "" {
				if rk := refundKey(sale.RefundOf, sale.ID); refunds.Get(rk) != nil {
					a.refund = rk
				}
			}
			batch = append(batch, a)
		}
		return nil
	})
	return batch, next, err
}

// unacked reports whether the hub has not acknowledged the sale's event or one of its loyalty events.
func unacked(tx *bbolt.Tx, id string) bool {
	for _, name := range outboxIDBuckets {
		b := tx.Bucket(name)
		if b == nil {
			continue
		}
		if b.Get([]byte(id)) != nil {
			return true
		}
		prefix := []byte(id + ".") // LoyaltyEventID
		if k, _ := b.Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// writeArchive puts the batch into the month files, each committed with fsync before it returns.
func (s *Store) writeArchive(batch []archived) ([]string, error) {
	byMonth := map[string][]archived{}
	for _, a := range batch {
		byMonth[a.month] = append(byMonth[a.month], a)
	}
	months := make([]string, 0, len(byMonth))
	for m := range byMonth {
		months = append(months, m)
	}
	slices.Sort(months)
	s.archMu.Lock()
	defer s.archMu.Unlock()
	if err := os.MkdirAll(s.archive, 0o700); err != nil {
		return nil, classifyWrite(err)
	}
	var files []string
	for _, m := range months {
		path := filepath.Join(s.archive, m+".db")
		_, statErr := os.Stat(path)
		err := withArchiveFile(path, false, func(tx *bbolt.Tx) error {
			b := make(map[string]*bbolt.Bucket, 3)
			for _, name := range [][]byte{arcSales, arcReceipts, arcRefunds} {
				bk, err := tx.CreateBucketIfNotExists(name)
				if err != nil {
					return err
				}
				b[string(name)] = bk
			}
			for _, a := range byMonth[m] {
				if err := b["sales"].Put(a.id, a.record); err != nil {
					return err
				}
				if a.receipt != nil {
					if err := b["receipts"].Put(a.receipt[2:], a.id); err != nil {
						return err
					}
				}
				if a.refund != nil {
					if err := b["refunds"].Put(a.refund, nil); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return files, fmt.Errorf("archive %s: %w", path, classifyWrite(err))
		}
		if errors.Is(statErr, os.ErrNotExist) {
			if err := syncDir(s.archive); err != nil { // the new file's name must survive a power cut too
				return files, fmt.Errorf("archive %s: %w", path, classifyWrite(err))
			}
		}
		files = append(files, path)
	}
	return files, nil
}

// deleteArchived removes the archived sales from the live journal, in one transaction.
func deleteArchived(tx *bbolt.Tx, batch []archived) error {
	j, err := withRefunds(tx)
	if err != nil {
		return err
	}
	sales, order, refunds := j.sales, j.order, j.refunds
	for _, a := range batch {
		if a.receipt != nil && bytes.Equal(sales.Get(a.receipt), a.id) {
			if err := sales.Delete(a.receipt); err != nil {
				return err
			}
		}
		if a.refund != nil {
			if err := refunds.Delete(a.refund); err != nil {
				return err
			}
		}
		if err := order.Delete(a.orderKey); err != nil {
			return err
		}
		if err := sales.Delete(a.id); err != nil {
			return err
		}
	}
	return nil
}

// withArchiveFile opens one archive file (read-only, or creating it), runs fn in a transaction (a write
// one is committed with fsync) and closes the file. The caller holds archMu: the files are opened per use,
// so they are closed when the till is (backup, restore) and a failed archive disk does not keep the till
// from starting.
func withArchiveFile(path string, readOnly bool, fn func(tx *bbolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: DefaultLockTimeout, ReadOnly: readOnly})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	if readOnly {
		return db.View(fn)
	}
	return db.Update(fn)
}

// syncDir makes a new entry of the folder durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
