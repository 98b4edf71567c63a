package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// Reading the archive (layout in archive.go): the journal's readers fall back to it when the live journal
// does not have a sale, so a receipt's QR, a sale id and a sale's refunds are found however old they are.

// ArchiveFiles lists the archive files, oldest month first.
func (s *Store) ArchiveFiles() ([]string, error) { return ListArchive(s.archive) }

// ListArchive lists the archive files of a folder, oldest month first; a missing folder has none.
func ListArchive(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: archive folder: %w", err)
	}
	var out []string
	for _, e := range entries {
		if name := e.Name(); e.Type().IsRegular() && strings.HasSuffix(name, ".db") && isMonth(strings.TrimSuffix(name, ".db")) {
			out = append(out, filepath.Join(dir, name))
		}
	}
	return out, nil
}

func isMonth(s string) bool {
	_, err := time.Parse("2006-01", s)
	return err == nil
}

// searchArchive runs fn on each archive file, newest month first, until fn reports it found what it
// looked for.
func (s *Store) searchArchive(fn func(tx *bbolt.Tx) (found bool, err error)) error {
	files, err := s.ArchiveFiles()
	if err != nil {
		return err
	}
	s.archMu.Lock()
	defer s.archMu.Unlock()
	for i := len(files) - 1; i >= 0; i-- {
		var found bool
		err := withArchiveFile(files[i], true, func(tx *bbolt.Tx) (err error) {
			found, err = fn(tx)
			return err
		})
		if err != nil {
			return fmt.Errorf("archive %s: %w", files[i], err)
		}
		if found {
			return nil
		}
	}
	return nil
}

// archivedSale finds a sale in the archive.
func (s *Store) archivedSale(id string) (pos.Sale, bool, error) {
	return s.archivedOne(func(tx *bbolt.Tx) ([]byte, error) {
		b := tx.Bucket(arcSales)
		if b == nil {
			return nil, nil
		}
		return b.Get([]byte(id)), nil
	})
}

// archivedByReceipt is SaleByReceipt in the archive.
func (s *Store) archivedByReceipt(fnSerial string, fd uint32) (pos.Sale, bool, error) {
	key := receiptKey(fnSerial, fd)[2:]
	return s.archivedOne(func(tx *bbolt.Tx) ([]byte, error) {
		r, b := tx.Bucket(arcReceipts), tx.Bucket(arcSales)
		if r == nil || b == nil {
			return nil, nil
		}
		id := r.Get(key)
		if id == nil {
			return nil, nil
		}
		v := b.Get(id)
		if v == nil {
			return nil, fmt.Errorf("%w: receipt %s/%d names sale %s, not archived", ErrCorrupt, fnSerial, fd, id)
		}
		return v, nil
	})
}

// archivedOne finds one sale in the archive, newest file first: record gives the sale's record in one
// file, nil when that file does not have it.
func (s *Store) archivedOne(record func(tx *bbolt.Tx) ([]byte, error)) (sale pos.Sale, ok bool, err error) {
	err = s.searchArchive(func(tx *bbolt.Tx) (bool, error) {
		v, err := record(tx)
		if v == nil || err != nil {
			return false, err
		}
		sale, err = decodeSale(v)
		ok = err == nil
		return true, err
	})
	if ok {
		s.reveal(&sale)
	}
	return sale, ok, err
}

// archivedRefunds returns the archived refunds of a sale (any status; the caller filters).
func (s *Store) archivedRefunds(saleID string) ([]pos.Sale, error) {
	var out []pos.Sale
	prefix := refundKey(saleID, "")
	err := s.searchArchive(func(tx *bbolt.Tx) (bool, error) {
		r, b := tx.Bucket(arcRefunds), tx.Bucket(arcSales)
		if r == nil || b == nil {
			return false, nil
		}
		c := r.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			v := b.Get(k[len(prefix):])
			if v == nil {
				continue
			}
			sale, err := decodeSale(v)
			if err != nil {
				return false, fmt.Errorf("refund %s: %w", k[len(prefix):], err)
			}
			out = append(out, sale)
		}
		return false, nil // refunds of one sale may span months
	})
	return out, err
}
