package checkout

import (
	"context"
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/cart"
)

// Pay closes the receipt with the given tenders, in the durability order of DESIGN.md:
//  1. the sale is journalled as pending (fsync) before the register is touched, with the register's last
//     document number so recovery can tell whether it got the receipt;
//  2. the register fiscalises it;
//  3. its fiscal attributes and the outbox event are committed in one transaction.
//
// On a refusal the register provably did not fiscalise, the sale is cancelled in the journal and the cart
// stays as it was, so the cashier can fix the cause and pay again. When the answer is lost the sale stays
// pending, the cart stays, and ResolvePending must settle it before anything else is sold.
func (t *Till) Pay(ctx context.Context, payments []pos.Payment) (pos.Sale, error) {
	if t.pending != nil {
		return pos.Sale{}, pos.ErrSalePending
	}
	if err := t.canSell(); err != nil {
		return pos.Sale{}, err
	}
	if t.cart.Empty() {
		return pos.Sale{}, pos.ErrEmptyCart
	}
	t.syncPoints() // the points fitted to the receipt as it is paid (loyalty.go)
	totals := t.cart.Totals()
	change, err := cart.Settle(totals.Total, payments)
	if err != nil {
		return pos.Sale{}, err
	}
	st, err := t.readyRegister(ctx, "sale")
	if err != nil {
		return pos.Sale{}, err
	}
	sale := pos.Sale{
		ID:        t.cfg.NewID(),
		Terminal:  t.cfg.Terminal,
		Cashier:   t.cashierName(),
		Shift:     t.shift.Number,
		CreatedAt: t.cfg.Now(),
		Lines:     t.offerTexts(t.cart.Lines()), // offers.go
		Total:     totals.Total,
		VAT:       totals.VAT,
		Payments:  payments,
		Change:    change,
		Status:    pos.SalePending,
		FDBefore:  st.LastFD,
		Buyer:     t.buyer,
		Loyalty:   t.saleLoyalty(totals.Total),
		Offers:    t.saleOffers(), // offers.go
	}
	done, err := t.fiscalise(ctx, sale)
	if err != nil {
		return pos.Sale{}, err
	}
	t.clearReceipt()
	return done, nil
}

// readyRegister asks the register for its state before a sale or a refund (what names it in the error):
// an expired shift stops the receipt, and a receipt left open by someone else (a service tool, a crash
// before this journal existed) is cancelled first.
func (t *Till) readyRegister(ctx context.Context, what string) (pos.RegisterState, error) {
	st, err := t.cfg.Register.State(ctx)
	if err != nil {
		return pos.RegisterState{}, fmt.Errorf("ask the register before the %s: %w", what, err)
	}
	if st.ShiftExpired {
		return pos.RegisterState{}, pos.ErrShiftExpired
	}
	if st.ReceiptOpen {
		if err := t.cfg.Register.CancelReceipt(ctx); err != nil {
			return pos.RegisterState{}, fmt.Errorf("cancel a receipt left open in the register: %w", err)
		}
	}
	return st, nil
}

// fiscalise runs steps 1–3 of the durability order for a sale or a refund: journal it as pending (fsync)
// before the register is touched, fiscalise, commit the answer with its outbox event. A refusal the
// register proves cancels it in the journal; a lost answer leaves it pending and asks the register now.
func (t *Till) fiscalise(ctx context.Context, sale pos.Sale) (pos.Sale, error) {
	if err := t.cfg.Store.BeginSale(sale); err != nil {
		return pos.Sale{}, fmt.Errorf("journal the receipt: %w", err)
	}
	t.cfg.Step(StepPending)
	res, ferr := t.cfg.Register.Fiscalise(ctx, sale)
	if ferr == nil {
		done, err := t.complete(sale, res)
		if err != nil {
			t.pending = &sale
			return pos.Sale{}, err
		}
		return done, nil
	}
	if errors.Is(ferr, pos.ErrNotFiscalised) {
		if err := t.cfg.Store.CancelSale(sale.ID, "register refused: "+ferr.Error()); err != nil {
			t.pending = &sale
			return pos.Sale{}, fmt.Errorf("%w; then journal: %w", ferr, err)
		}
		return pos.Sale{}, ferr
	}
	// The outcome is unknown: ask the register now; if it cannot tell, the sale stays pending.
	t.pending = &sale
	done, err := t.ResolvePending(ctx)
	if err != nil {
		return pos.Sale{}, fmt.Errorf("%w: %w", ferr, err)
	}
	return done, nil
}

// complete commits the register's answer with the outbox event and wakes the replayer.
func (t *Till) complete(sale pos.Sale, res pos.FiscalResult) (pos.Sale, error) {
	res.Shift = sale.Shift
	done, err := t.cfg.Store.CompleteSale(sale.ID, res)
	if err != nil {
		return pos.Sale{}, fmt.Errorf("journal the fiscal answer: %w", err)
	}
	t.cfg.Step(StepFiscalised)
	t.recordBaskets(done)
	t.cfg.Notify()
	return done, nil
}

// ResolvePending settles the sale whose outcome was lost, by asking the register (see resolve). On
// success the cart of that sale is cleared if it was fiscalised (or re-fiscalised) and kept if the sale
// was cancelled.
func (t *Till) ResolvePending(ctx context.Context) (pos.Sale, error) {
	if t.pending == nil {
		return pos.Sale{}, nil
	}
	done, err := t.resolve(ctx, *t.pending)
	if err != nil {
		return pos.Sale{}, err
	}
	t.pending = nil
	if done.Status == pos.SaleFiscalised {
		t.clearReceipt()
		return done, nil
	}
	return done, fmt.Errorf("%w: %s", pos.ErrNotFiscalised, done.Note)
}

// CheckReady tells whether a sale could be fiscalised now: nothing pending, the shift open and under 24
// hours, the register answering with paper in it. The till asks before a card is charged, so a customer is
// never charged for a receipt the register would refuse.
func (t *Till) CheckReady(ctx context.Context) error {
	if t.pending != nil {
		return pos.ErrSalePending
	}
	if err := t.canSell(); err != nil {
		return err
	}
	if t.cart.Empty() {
		return pos.ErrEmptyCart
	}
	return t.registerCanPrint(ctx)
}

// registerCanPrint asks the register whether it would take a receipt now: shift open and under 24 hours,
// paper in. CheckReady and CheckRefundReady ask it before money moves on a card.
func (t *Till) registerCanPrint(ctx context.Context) error {
	st, err := t.cfg.Register.State(ctx)
	switch {
	case err != nil:
		return err
	case st.ShiftExpired:
		return pos.ErrShiftExpired
	case !st.ShiftOpen:
		return pos.ErrShiftClosed
	case st.PaperOut:
		return pos.ErrPaperOut
	}
	return nil
}

func (t *Till) canSell() error {
	if !t.shift.Open() {
		return pos.ErrShiftClosed
	}
	if t.ShiftExpired() {
		return pos.ErrShiftExpired
	}
	return nil
}
