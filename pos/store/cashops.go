package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The cash book: внесения and изъятия at the drawer, keyed by shift (8 bytes big-endian) + operation id,
// so a shift's operations are one prefix scan. The bucket is made by the first operation: a terminal that
// never had one needs no migration.
var bktCashOps = []byte("cash_ops")

// Cash operation kinds (CashOp.Kind), the same words as the wire's.
const (
	CashIn  = wire.CashIn
	CashOut = wire.CashOut
)

// CashOp is one cash operation. Like a sale it is written pending before the register is asked, and
// settled after: fiscalised (done, with its event queued) or cancelled (the register refused it).
type CashOp struct {
	ID      string         `json:"id"` // UUIDv7; also the outbox event's id
	Store   string         `json:"store,omitempty"`
	Shift   int            `json:"shift"`
	Kind    string         `json:"kind"` // CashIn or CashOut
	Amount  pos.Money      `json:"amount"`
	Cashier string         `json:"cashier"`
	At      time.Time      `json:"at"`
	Status  pos.SaleStatus `json:"status"`
	KKTDoc  uint32         `json:"kkt_doc,omitempty"` // the register's document number, 0 if unknown
	// DocBefore is the register's document counter read just before it was asked (nil: not read), so
	// recovery can tell from the counter whether the register registered the operation.
	DocBefore *uint32 `json:"doc_before,omitempty"`
	// FDBefore is the ФН's last fiscal document number read then (nil: not read): a cash document is not
	// fiscal, so a receipt or report after the operation shows here.
	FDBefore *uint32 `json:"fd_before,omitempty"`
	Note     string  `json:"note,omitempty"` // why it was cancelled
}

func cashKey(shift int, id string) []byte { return append(shiftKey(shift), id...) }

// BeginCashOp writes a cash operation as pending, committed with fsync before the register is asked.
func (s *Store) BeginCashOp(op CashOp) error {
	switch {
	case op.ID == "" || op.Shift <= 0:
		return fmt.Errorf("store: begin cash operation: %w: id and shift are required", ErrInvalid)
	case op.Kind != CashIn && op.Kind != CashOut:
		return fmt.Errorf("store: begin cash operation %s: %w: kind %q", op.ID, ErrInvalid, op.Kind)
	case op.Amount <= 0:
		return fmt.Errorf("store: begin cash operation %s: %w", op.ID, pos.ErrBadAmount)
	case op.Status != pos.SalePending:
		return fmt.Errorf("store: begin cash operation %s: %w: status %q, want pending", op.ID, ErrSaleState, op.Status)
	}
	err := s.update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bktCashOps)
		if err != nil {
			return err
		}
		k := cashKey(op.Shift, op.ID)
		if b.Get(k) != nil {
			return ErrSaleExists
		}
		return putCashOp(b, op)
	})
	if err != nil {
		return fmt.Errorf("store: begin cash operation %s: %w", op.ID, err)
	}
	return nil
}

// CompleteCashOp records that the register registered the operation: in one transaction it becomes
// fiscalised with the register's document number and its "cash" event is queued. Completing it again
// returns it unchanged and queues nothing, so recovery may repeat it.
func (s *Store) CompleteCashOp(shift int, id string, kktDoc uint32) (CashOp, error) {
	op, err := s.settleCashOp(shift, id, func(tx *bbolt.Tx, op *CashOp) (bool, error) {
		if op.Status == pos.SaleFiscalised {
			return false, nil
		}
		if op.Status != pos.SalePending {
			return false, fmt.Errorf("%w: cash operation is %s", ErrSaleState, op.Status)
		}
		op.Status, op.KKTDoc = pos.SaleFiscalised, kktDoc
		payload, err := json.Marshal(wire.Cash{ID: op.ID, Store: op.Store, Terminal: s.terminal, Shift: op.Shift,
			Kind: op.Kind, Amount: int64(op.Amount), Cashier: op.Cashier, At: op.At, KKTDoc: kktDoc})
		if err != nil {
			return false, err
		}
		_, err = outbox.Append(tx, wire.Event{ID: op.ID, Type: wire.TypeCash, Terminal: s.terminal, At: op.At,
			Payload: payload})
		return true, err
	})
	if err != nil {
		return CashOp{}, fmt.Errorf("store: complete cash operation %s: %w", id, err)
	}
	return op, nil
}

// CancelCashOp records that the register refused the operation (no money moved for it). A fiscalised
// one is ErrSaleState.
func (s *Store) CancelCashOp(shift int, id, note string) error {
	_, err := s.settleCashOp(shift, id, func(_ *bbolt.Tx, op *CashOp) (bool, error) {
		switch op.Status {
		case pos.SaleCancelled:
			return false, nil
		case pos.SaleFiscalised:
			return false, fmt.Errorf("%w: cash operation is fiscalised", ErrSaleState)
		}
		op.Status, op.Note = pos.SaleCancelled, note
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("store: cancel cash operation %s: %w", id, err)
	}
	return nil
}

func (s *Store) settleCashOp(shift int, id string, apply func(tx *bbolt.Tx, op *CashOp) (bool, error)) (CashOp, error) {
	var op CashOp
	err := s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktCashOps)
		if b == nil {
			return ErrNotFound
		}
		v := b.Get(cashKey(shift, id))
		if v == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(v, &op); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		changed, err := apply(tx, &op)
		if err != nil || !changed {
			return err
		}
		return putCashOp(b, op)
	})
	return op, err
}

// CashOps lists a shift's cash operations in the order of their ids (UUIDv7: the order they were made).
func (s *Store) CashOps(shift int) ([]CashOp, error) {
	var ops []CashOp
	err := s.view(func(tx *bbolt.Tx) (err error) { ops, err = shiftCashOps(tx, shift); return err })
	if err != nil {
		return nil, fmt.Errorf("store: cash operations of shift %d: %w", shift, err)
	}
	return ops, nil
}

// PendingCashOps lists the operations whose outcome the register has not told (a crash between the two
// writes): the cashier compares them with the register's report before doing them again.
func (s *Store) PendingCashOps() ([]CashOp, error) {
	var out []CashOp
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktCashOps)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var op CashOp
			if err := json.Unmarshal(v, &op); err != nil {
				return fmt.Errorf("%w: %w", ErrCorrupt, err)
			}
			if op.Status == pos.SalePending {
				out = append(out, op)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: pending cash operations: %w", err)
	}
	return out, nil
}

func shiftCashOps(tx *bbolt.Tx, shift int) ([]CashOp, error) {
	b := tx.Bucket(bktCashOps)
	if b == nil {
		return nil, nil
	}
	var ops []CashOp
	prefix := shiftKey(shift)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var op CashOp
		if err := json.Unmarshal(v, &op); err != nil {
			return nil, fmt.Errorf("%w: cash operation %q: %w", ErrCorrupt, k, err)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

func putCashOp(b *bbolt.Bucket, op CashOp) error {
	v, err := json.Marshal(op)
	if err != nil {
		return err
	}
	return b.Put(cashKey(op.Shift, op.ID), v)
}
