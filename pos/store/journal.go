package store

import (
	"encoding/binary"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// Layout of the sales bucket (schema 2). Besides the records, it holds the journal's small bookkeeping
// under keys that start with internalKey, a byte no sale id may start with, so they sort after every
// sale:
//
//	sale id                                -> encodeSale record
//	internalKey 'p' sale id                -> (empty): a pending sale, what recovery must resolve
//	internalKey 'r' FN serial 0 BE FD no.  -> sale id: the receipt index (refunds.go)
//	internalKey 't' ^big-endian shift no.  -> shiftTotals (newest shift first)
//
// A commit pays for every distinct page it dirties. With UUIDv7 sale ids the sale being completed is the
// newest, so its record, its pending mark and the current shift's totals (right after the pending marks,
// as totals are ordered newest first) usually share one leaf: completing a sale rewrites that leaf, not
// three pages in three buckets as schema 1 did.
const internalKey = 0xff

func pendingKey(id string) []byte { return append([]byte{internalKey, 'p'}, id...) }

func totalsKey(shift int) []byte {
	return binary.BigEndian.AppendUint64([]byte{internalKey, 't'}, ^uint64(shift))
}

// ShiftTotals returns the number of fiscalised sales of a shift and what they brought in: cash is the
// cash kept in the drawer (cash tendered minus change), card the card payments. Refunds are not counted as
// sales; the money they paid back is taken off cash and card.
func (s *Store) ShiftTotals(shift int) (count int, cash, card pos.Money, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktSales)
		if err != nil {
			return err
		}
		t, err := decodeTotals(b.Get(totalsKey(shift)))
		count, cash, card = int(t.count), pos.Money(t.cash), pos.Money(t.card)
		return err
	})
	if err != nil {
		return 0, 0, 0, fmt.Errorf("store: shift %d totals: %w", shift, err)
	}
	return count, cash, card, nil
}

type shiftTotals struct{ count, cash, card int64 }

func decodeTotals(v []byte) (shiftTotals, error) {
	var t shiftTotals
	for _, f := range []*int64{&t.count, &t.cash, &t.card} {
		if len(v) == 0 {
			return t, nil // a shift without sales, or fields added later
		}
		x, n := binary.Varint(v)
		if n <= 0 {
			return t, fmt.Errorf("%w: shift totals record", ErrCorrupt)
		}
		*f, v = x, v[n:]
	}
	return t, nil
}

func (t shiftTotals) encode() []byte {
	v := binary.AppendVarint(nil, t.count)
	v = binary.AppendVarint(v, t.cash)
	return binary.AppendVarint(v, t.card)
}

func addToShift(sales *bbolt.Bucket, sale pos.Sale) error {
	key := totalsKey(sale.Shift)
	t, err := decodeTotals(sales.Get(key))
	if err != nil {
		return err
	}
	sign := int64(1)
	if sale.Kind == pos.KindRefund {
		sign = -1
	} else {
		t.count++
	}
	t.cash += sign * int64(sale.Paid(pos.PayCash)-sale.Change)
	t.card += sign * int64(sale.Paid(pos.PayCard))
	return sales.Put(key, t.encode())
}

func shiftKey(n int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

func getSale(sales *bbolt.Bucket, id string) (pos.Sale, error) {
	var v []byte
	if id != "" && id[0] != internalKey {
		v = sales.Get([]byte(id))
	}
	if v == nil {
		return pos.Sale{}, fmt.Errorf("sale %s: %w", id, ErrNotFound)
	}
	sale, err := decodeSale(v)
	if err != nil {
		return pos.Sale{}, fmt.Errorf("sale %s: %w", id, err)
	}
	return sale, nil
}

func putSale(sales *bbolt.Bucket, sale pos.Sale) error {
	return sales.Put([]byte(sale.ID), encodeSale(sale))
}
