package store

import (
	"go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/pos"
)

// liveJournal is the live journal's buckets in one transaction: the sales (with their receipt and pending
// keys, journal.go), the journal order (big-endian sequence -> sale id) and, for the archive, the refunds
// index (built lazily, refunds.go, so it is opened only by withRefunds).
type liveJournal struct {
	sales, order, refunds *bbolt.Bucket
}

func openJournal(tx *bbolt.Tx) (j liveJournal, err error) {
	if j.sales, err = bucket(tx, bktSales); err != nil {
		return j, err
	}
	j.order, err = bucket(tx, bktSalesOrder)
	return j, err
}

// withRefunds opens the journal with its refunds index, which the archive moves along with the sales.
func withRefunds(tx *bbolt.Tx) (liveJournal, error) {
	j, err := openJournal(tx)
	if err != nil {
		return j, err
	}
	j.refunds, err = bucket(tx, bktRefunds)
	return j, err
}

// newestFirst calls fn with each sale in journal order, newest first, until fn says no more or fails.
func (j liveJournal) newestFirst(fn func(sale pos.Sale) (more bool, err error)) error {
	c := j.order.Cursor()
	for k, id := c.Last(); k != nil; k, id = c.Prev() {
		sale, err := getSale(j.sales, string(id))
		if err != nil {
			return err
		}
		if more, err := fn(sale); err != nil || !more {
			return err
		}
	}
	return nil
}
