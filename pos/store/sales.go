package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// DefaultRecentLimit is used when RecentSales is given a limit <= 0.
const DefaultRecentLimit = 50

// BeginSale writes a paid sale to the journal as pending, committed with fsync before the ККТ is touched
// (step 2 of DESIGN.md's durability order). Its status must be pending and its id new. A refund
// (Kind pos.KindRefund) of a journalled sale must follow the original's lines (see pos.RefundedLines) and
// may not return more than was sold, counting earlier refunds: else an error wrapping pos.ErrRefundExceeds.
func (s *Store) BeginSale(sale pos.Sale) error {
	if sale.ID == "" {
		return fmt.Errorf("store: begin sale: %w: empty id", ErrInvalid)
	}
	if sale.Status != pos.SalePending {
		return fmt.Errorf("store: begin sale %s: %w: status %q, want pending", sale.ID, ErrSaleState, sale.Status)
	}
	if sale.ID[0] == internalKey {
		return fmt.Errorf("store: begin sale: %w: id starts with byte 0x%x", ErrInvalid, internalKey)
	}
	sale.Buyer = s.sealBuyer(sale.Buyer) // never in clear on disk (buyer.go)
	data := encodeSale(sale)
	err := s.update(func(tx *bbolt.Tx) error {
		j, err := openJournal(tx)
		if err != nil {
			return err
		}
		sales, order := j.sales, j.order
		id := []byte(sale.ID)
		if sales.Get(id) != nil {
			return ErrSaleExists
		}
		if err := s.beginRefund(tx, sales, sale); err != nil {
			return err
		}
		seq, err := order.NextSequence()
		if err != nil {
			return err
		}
		if err := order.Put(binary.BigEndian.AppendUint64(nil, seq), id); err != nil {
			return err
		}
		if err := sales.Put(pendingKey(sale.ID), nil); err != nil {
			return err
		}
		return sales.Put(id, data)
	})
	if err != nil {
		return fmt.Errorf("store: begin sale %s: %w", sale.ID, err)
	}
	return nil
}

// CompleteSale records the ККТ's answer: in one fsync'd transaction the sale becomes fiscalised with its
// fiscal attributes, it is counted in its shift's totals, it is indexed by ФН serial and ФД number (see
// SaleByReceipt), and its outbox event (id = sale id, the idempotency key; type "refund" for a refund) is
// appended, followed by its loyalty redemption and accrual events (ids from LoyaltyEventID). Completing a
// fiscalised sale again returns it unchanged and appends nothing, so recovery may safely repeat it.
func (s *Store) CompleteSale(id string, f pos.FiscalResult) (pos.Sale, error) {
	if sale, err := s.Sale(id); err != nil {
		return pos.Sale{}, fmt.Errorf("store: complete sale: %w", err)
	} else if sale.Status == pos.SaleFiscalised {
		return sale, nil // no write transaction, no fsync
	}
	out, err := s.settle(id, pos.SaleFiscalised, func(tx *bbolt.Tx, sales *bbolt.Bucket, sale *pos.Sale) error {
		fiscal := f
		sale.Fiscal = &fiscal
		if err := addToShift(sales, *sale); err != nil {
			return err
		}
		if err := indexReceipt(sales, *sale); err != nil {
			return err
		}
		payload, err := json.Marshal(s.wireSale(*sale))
		if err != nil {
			return err
		}
		at := f.At
		if at.IsZero() {
			at = s.now()
		}
		ev := wire.Event{ID: sale.ID, Type: eventType(*sale), Terminal: s.terminalOf(sale.Terminal), At: at, Payload: payload}
		if _, err = outbox.Append(tx, ev); err != nil {
			return err
		}
		return s.queueLoyalty(tx, *sale, at) // its points, in the same transaction (loyalty.go)
	})
	if err != nil {
		return pos.Sale{}, fmt.Errorf("store: complete sale %s: %w", id, err)
	}
	s.reveal(&out)
	return out, nil
}

// settle moves a pending sale to its final status in one transaction: apply adds what goes with it, the
// sale record is rewritten and its pending mark removed. A sale already in that status is returned
// unchanged (settling is idempotent, recovery may repeat it); any other status is ErrSaleState.
func (s *Store) settle(id string, to pos.SaleStatus, apply func(tx *bbolt.Tx, sales *bbolt.Bucket, sale *pos.Sale) error) (pos.Sale, error) {
	var out pos.Sale
	err := s.update(func(tx *bbolt.Tx) error {
		sales, err := bucket(tx, bktSales)
		if err != nil {
			return err
		}
		sale, err := getSale(sales, id)
		if err != nil {
			return err
		}
		switch sale.Status {
		case to:
			out = sale
			return nil
		case pos.SalePending:
		default:
			return fmt.Errorf("%w: status %q", ErrSaleState, sale.Status)
		}
		sale.Status = to
		if err := apply(tx, sales, &sale); err != nil {
			return err
		}
		if err := putSale(sales, sale); err != nil {
			return err
		}
		out = sale
		return sales.Delete(pendingKey(id))
	})
	return out, err
}

// CancelSale marks a pending sale cancelled (it never reached the ККТ, or its receipt was cancelled
// there) with a note saying why. Cancelling a cancelled sale is a no-op; a fiscalised sale cannot be
// cancelled (that is a refund) and gives ErrSaleState.
func (s *Store) CancelSale(id, note string) error {
	_, err := s.settle(id, pos.SaleCancelled, func(_ *bbolt.Tx, _ *bbolt.Bucket, sale *pos.Sale) error {
		sale.Note = note
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: cancel sale %s: %w", id, err)
	}
	return nil
}

// Sale returns a sale of the journal, or an error wrapping ErrNotFound.
func (s *Store) Sale(id string) (pos.Sale, error) {
	var sale pos.Sale
	err := s.view(func(tx *bbolt.Tx) error {
		sales, err := bucket(tx, bktSales)
		if err != nil {
			return err
		}
		sale, err = getSale(sales, id)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		if a, ok, aerr := s.archivedSale(id); aerr == nil && ok { // archive.go
			return a, nil
		}
	}
	if err != nil {
		return pos.Sale{}, fmt.Errorf("store: sale %s: %w", id, err)
	}
	s.reveal(&sale)
	return sale, nil
}

// PendingSales returns the sales written but neither fiscalised nor cancelled, oldest first: what crash
// recovery resolves against the ККТ before the till opens.
func (s *Store) PendingSales() ([]pos.Sale, error) {
	var out []pos.Sale
	err := s.view(func(tx *bbolt.Tx) error {
		sales, err := bucket(tx, bktSales)
		if err != nil {
			return err
		}
		prefix := pendingKey("")
		c := sales.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			sale, err := getSale(sales, string(k[len(prefix):]))
			if err != nil {
				return err
			}
			s.reveal(&sale)
			out = append(out, sale)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: pending sales: %w", err)
	}
	slices.SortFunc(out, func(a, b pos.Sale) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// RecentSales returns up to limit sales of any status, newest first (in journal order).
func (s *Store) RecentSales(limit int) ([]pos.Sale, error) {
	if limit <= 0 {
		limit = DefaultRecentLimit
	}
	var out []pos.Sale
	err := s.view(func(tx *bbolt.Tx) error {
		j, err := openJournal(tx)
		if err != nil {
			return err
		}
		return j.newestFirst(func(sale pos.Sale) (bool, error) {
			s.reveal(&sale)
			out = append(out, sale)
			return len(out) < limit, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: recent sales: %w", err)
	}
	return out, nil
}
