package terminal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

// docTimeout bounds the status read that learns a cash document's number: the money has moved by then,
// so a slow answer only leaves the number out.
const docTimeout = 3 * time.Second

// cashRegister is the register's side of a cash operation (*fiscal.Register).
type cashRegister interface {
	CashIn(ctx context.Context, amount pos.Money) error
	CashOut(ctx context.Context, amount pos.Money) error
}

// CashBook journals the drawer's внесения and изъятия in the durability order of a sale: the operation
// is written pending (fsync) before the register is asked, and completed with its outbox event in one
// transaction after. A definite refusal by the register cancels it; a lost answer leaves it pending, so
// the shift summary says to compare it with the register's X report instead of counting it.
type CashBook struct {
	Store    *store.Store
	Register cashRegister
	// DocNumber reads the register's current document number after the operation; nil: unknown (0).
	DocNumber func(ctx context.Context) (uint32, error)
	// LastFD reads the ФН's last fiscal document number; nil: unknown, and recovery cannot complete an
	// operation whose answer was lost.
	LastFD  func(ctx context.Context) (uint32, error)
	StoreID string
	Shift   func() (pos.Shift, bool) // the open shift
	Notify  func()                   // wakes the replayer; may be nil
	Now     func() time.Time
}

// CashBook returns the terminal's cash book on its register and store.
func (t *Terminal) CashBook() *CashBook {
	b := &CashBook{Store: t.Store, Register: t.Register.Fiscal, StoreID: t.StoreID, Shift: t.Till.Shift,
		Notify: t.Replayer.Notify, Now: time.Now}
	if reg := t.Register.Fiscal; reg != nil {
		b.LastFD = func(ctx context.Context) (uint32, error) {
			st, err := reg.State(ctx)
			return st.LastFD, err
		}
	}
	if drv := t.Register.Driver; drv != nil {
		b.DocNumber = func(ctx context.Context) (uint32, error) {
			st, err := drv.FullStatus(ctx)
			return uint32(st.DocNumber), err
		}
	}
	return b
}

// CashIn registers money put into the drawer, by nobody in particular (use RecordCash to name the cashier).
func (b *CashBook) CashIn(ctx context.Context, amount pos.Money) error {
	return b.RecordCash(ctx, false, amount, "")
}

// CashOut registers money taken from the drawer.
func (b *CashBook) CashOut(ctx context.Context, amount pos.Money) error {
	return b.RecordCash(ctx, true, amount, "")
}

// RecordCash journals one operation and registers it; cashier names who did it (the shift's cashier when
// empty).
func (b *CashBook) RecordCash(ctx context.Context, out bool, amount pos.Money, cashier string) error {
	if amount <= 0 {
		return pos.ErrBadAmount
	}
	sh, open := b.Shift()
	if !open {
		return pos.ErrShiftClosed
	}
	if cashier == "" {
		cashier = sh.Cashier
	}
	op := store.CashOp{ID: uuid.Must(uuid.NewV7()).String(), Store: b.StoreID, Shift: sh.Number, Kind: store.CashIn,
		Amount: amount, Cashier: cashier, At: b.Now(), Status: pos.SalePending}
	do := b.Register.CashIn
	if out {
		op.Kind, do = store.CashOut, b.Register.CashOut
	}
	op.DocBefore, op.FDBefore = b.docCounter(ctx), b.lastFD(ctx)
	if err := b.Store.BeginCashOp(op); err != nil {
		return err
	}
	if err := do(ctx, amount); err != nil {
		if refused(err) {
			if cerr := b.Store.CancelCashOp(op.Shift, op.ID, err.Error()); cerr != nil {
				return errors.Join(err, cerr)
			}
		}
		return err
	}
	var doc uint32
	if n := b.docCounter(ctx); n != nil {
		doc = *n
	}
	if _, err := b.Store.CompleteCashOp(op.Shift, op.ID, doc); err != nil {
		return fmt.Errorf("cash operation registered but not journalled: %w", err)
	}
	if b.Notify != nil {
		b.Notify()
	}
	return nil
}

// refused tells a failure after which the register provably did not register the money: it answered with
// an error code, or the port was down so nothing was sent.
func refused(err error) bool {
	var re *pos.RegisterError
	return errors.As(err, &re) || errors.Is(err, serialport.ErrOffline)
}

// docCounter reads the register's document counter, nil when it cannot be read (no DocNumber, an error
// or a slow answer).
func (b *CashBook) docCounter(ctx context.Context) *uint32 {
	if b.DocNumber == nil {
		return nil
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), docTimeout)
	defer cancel()
	n, err := b.DocNumber(dctx)
	if err != nil {
		return nil
	}
	return &n
}

// lastFD reads the ФН's last fiscal document number, nil when it cannot be read.
func (b *CashBook) lastFD(ctx context.Context) *uint32 {
	if b.LastFD == nil {
		return nil
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), docTimeout)
	defer cancel()
	n, err := b.LastFD(dctx)
	if err != nil {
		return nil
	}
	return &n
}
