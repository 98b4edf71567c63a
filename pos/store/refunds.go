package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// Indexes of returns. Both are written in the transaction that changes the sale they point to, so they
// never disagree with the journal:
//
//	sales bucket: internalKey 'r' FN serial 0x00 big-endian FD -> sale id  (CompleteSale: a sale by its QR)
//	refunds:      original sale id 0x00 refund id              -> (empty)  (BeginSale of a refund)
//
// The receipt index lives among the journal's bookkeeping keys (see journal.go): 'r' sorts between the
// pending marks and the shift totals, and the newest receipt's key is next to the current shift's totals,
// so completing a sale usually dirties no page more than before. A bucket of its own costs two more page
// writes per sale.
var bktRefunds = []byte("refunds")

func receiptKey(fn string, fd uint32) []byte {
	return binary.BigEndian.AppendUint32(append(append([]byte{internalKey, 'r'}, fn...), 0), fd)
}

func refundKey(orig, refund string) []byte { return append(append([]byte(orig), 0), refund...) }

// SaleByReceipt finds the journalled sale (or refund) that the register fiscalised as document fd of the
// ФН with the given serial: what a receipt's QR code names. ok is false when this journal has none.
func (s *Store) SaleByReceipt(fnSerial string, fd uint32) (sale pos.Sale, ok bool, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		sales, err := bucket(tx, bktSales)
		if err != nil {
			return err
		}
		id := sales.Get(receiptKey(fnSerial, fd))
		if id == nil {
			return nil
		}
		sale, err = getSale(sales, string(id))
		ok = err == nil
		return err
	})
	if err == nil && !ok { // an old receipt: its sale may have moved to the archive (archive.go)
		sale, ok, err = s.archivedByReceipt(fnSerial, fd)
	}
	if err == nil && ok {
		s.reveal(&sale)
	}
	if err != nil {
		return pos.Sale{}, false, fmt.Errorf("store: sale of receipt %s/%d: %w", fnSerial, fd, err)
	}
	return sale, ok, nil
}

// RefundsOf returns the refunds of a sale that are pending or fiscalised, oldest first; cancelled ones are
// left out. Use pos.RefundedLines to see what is left to return.
func (s *Store) RefundsOf(saleID string) ([]pos.Sale, error) {
	var out []pos.Sale
	err := s.view(func(tx *bbolt.Tx) (err error) { out, err = s.refundsOf(tx, saleID); return err })
	if err != nil {
		return nil, fmt.Errorf("store: refunds of %s: %w", saleID, err)
	}
	s.reveal(sliceRefs(out)...)
	return out, nil
}

func sliceRefs(sales []pos.Sale) []*pos.Sale {
	out := make([]*pos.Sale, len(sales))
	for i := range sales {
		out[i] = &sales[i]
	}
	return out
}

// refundsOf lists the live and the archived refunds of a sale that are not cancelled, oldest first.
func (s *Store) refundsOf(tx *bbolt.Tx, saleID string) ([]pos.Sale, error) {
	idx, err := bucket(tx, bktRefunds)
	if err != nil {
		return nil, err
	}
	sales, err := bucket(tx, bktSales)
	if err != nil {
		return nil, err
	}
	var out []pos.Sale
	prefix := refundKey(saleID, "")
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		r, err := getSale(sales, string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		if r.Status != pos.SaleCancelled {
			out = append(out, r)
		}
	}
	archived, err := s.archivedRefunds(saleID) // archive.go
	if err != nil {
		return nil, err
	}
	for _, r := range archived {
		if r.Status != pos.SaleCancelled {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b pos.Sale) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// beginRefund checks a refund of a journalled sale inside BeginSale's transaction and records it in the
// refunds index: the original must be a fiscalised sale, the refund must follow its lines, and no line may
// be returned beyond what was sold, counting the earlier refunds (pending ones too: they may be fiscalised).
// A refund without the original (RefundOf empty: без чека) has nothing to check against.
func (s *Store) beginRefund(tx *bbolt.Tx, sales *bbolt.Bucket, r pos.Sale) error {
	if r.Kind != pos.KindRefund || r.RefundOf == "" {
		return nil
	}
	orig, err := getSale(sales, r.RefundOf)
	if errors.Is(err, ErrNotFound) { // a sale older than the live journal keeps (archive.go)
		if a, ok, aerr := s.archivedSale(r.RefundOf); aerr != nil {
			return fmt.Errorf("refund of %s: %w", r.RefundOf, aerr)
		} else if ok {
			orig, err = a, nil
		}
	}
	if err != nil {
		return fmt.Errorf("refund of %s: %w", r.RefundOf, err)
	}
	if orig.Kind != pos.KindSale || orig.Status != pos.SaleFiscalised {
		return fmt.Errorf("%w: refund of %s %q sale %s", ErrSaleState, orig.Status, orig.Kind, orig.ID)
	}
	earlier, err := s.refundsOf(tx, orig.ID)
	if err != nil {
		return err
	}
	done, _, err := pos.RefundedLines(orig, append(earlier, r))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	for i, l := range orig.Lines {
		sold := l.Qty
		if l.Cancelled {
			sold = 0
		}
		if done[i] > sold {
			return fmt.Errorf("%w: line %d %q: %s returned of %s sold", pos.ErrRefundExceeds, i+1, l.Name, done[i], sold)
		}
	}
	idx, err := bucket(tx, bktRefunds)
	if err != nil {
		return err
	}
	return idx.Put(refundKey(orig.ID, r.ID), nil)
}

// indexReceipt records a fiscalised sale under its ФН serial and ФД number. A key already taken is
// overwritten: only a replaced or reset ФН repeats a number, and then the newest receipt is the one a
// customer holds.
func indexReceipt(sales *bbolt.Bucket, sale pos.Sale) error {
	if sale.Fiscal == nil {
		return nil
	}
	return sales.Put(receiptKey(sale.Fiscal.FNSerial, sale.Fiscal.FDNumber), []byte(sale.ID))
}

// eventType is the outbox event type of a fiscalised sale or refund.
func eventType(sale pos.Sale) string {
	if sale.Kind == pos.KindRefund {
		return wire.TypeRefund
	}
	return wire.TypeSale
}

// buildRefundIndexes runs at Open after the schema migrations: a journal written before returns existed
// lacks the indexes, and they are built from it in one transaction, so that receipts sold before the
// upgrade can be returned by their QR too. It is keyed on the buckets' presence rather than on a schema
// number because the indexes are derived data: rebuilding them from the journal is always right.
func (s *Store) buildRefundIndexes() error {
	var built bool
	if err := s.view(func(tx *bbolt.Tx) error {
		built = tx.Bucket(bktRefunds) != nil // both indexes are built in one transaction
		return nil
	}); err != nil || built {
		return err
	}
	if err := s.update(buildIndexes); err != nil {
		return fmt.Errorf("build the receipt and refund indexes: %w", err)
	}
	return nil
}

func buildIndexes(tx *bbolt.Tx) error {
	refunds, err := tx.CreateBucketIfNotExists(bktRefunds)
	if err != nil {
		return err
	}
	sales, err := bucket(tx, bktSales)
	if err != nil {
		return err
	}
	// The sales bucket may not be written while a cursor walks it: collect the receipt keys first.
	type entry struct{ key, id []byte }
	var receipts []entry
	err = sales.ForEach(func(k, v []byte) error {
		if len(k) == 0 || k[0] == internalKey {
			return nil
		}
		sale, err := decodeSale(v)
		if err != nil {
			return fmt.Errorf("sale %s: %w", k, err)
		}
		if f := sale.Fiscal; f != nil && sale.Status == pos.SaleFiscalised {
			receipts = append(receipts, entry{receiptKey(f.FNSerial, f.FDNumber), []byte(sale.ID)})
		}
		if sale.Kind == pos.KindRefund && sale.RefundOf != "" {
			return refunds.Put(refundKey(sale.RefundOf, sale.ID), nil)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range receipts {
		if err := sales.Put(e.key, e.id); err != nil {
			return err
		}
	}
	return nil
}
