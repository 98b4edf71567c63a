package checkout

import (
	"context"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// A click&collect order is settled at the pickup desk with receipts the till makes in its durability
// order, without its cart: the goods handed over and paid (SettlePickup), and the return of the prepayment
// for goods the customer refused (RefundPrepayment). The desk chooses the receipts' ids before them and
// records them with the order, so that a crash in between is finished, never repeated.

// SettlePickup fiscalises the settlement (приход, полный расчёт) of the goods of a pickup order handed
// over, under the id the desk reserved: lines at the order's prices (a marked line one piece with its
// code), paid by the offset of the prepayment (pos.PayPrepaid, at most the total) and the rest in cash
// (change given from cash only) or by card (no more than what is left). It follows Pay: journalled as
// pending before the register is touched, then fiscalised, then completed with its outbox event; a refusal
// cancels it in the journal, a lost answer leaves it pending for ResolvePending.
func (t *Till) SettlePickup(ctx context.Context, id string, lines []pos.Line, payments []pos.Payment) (pos.Sale, error) {
	sale, err := t.pickupSale(id, pos.KindSale, lines, payments)
	if err != nil {
		return pos.Sale{}, err
	}
	if sale.Change, err = settlePickup(sale.Total, payments); err != nil {
		return pos.Sale{}, err
	}
	return t.fiscalisePickup(ctx, sale)
}

// RefundPrepayment fiscalises the return (возврат прихода) of the prepayment of goods the customer refused
// at the pickup desk, under the id the desk reserved: the refused lines with the part of the prepayment
// that goes back (a line's Discount is the part of its price that was not prepaid), paid back with
// pos.PayOnline, which the register records as the return of a prepayment (1214 = 1 or 2) and the backend
// refunds to the customer's online payment. It follows the durability order of Refund.
func (t *Till) RefundPrepayment(ctx context.Context, id string, lines []pos.Line) (pos.Sale, error) {
	var total pos.Money
	for _, l := range lines {
		total += l.Sum
	}
	sale, err := t.pickupSale(id, pos.KindRefund, lines, []pos.Payment{{Method: pos.PayOnline, Amount: total}})
	if err != nil {
		return pos.Sale{}, err
	}
	for _, l := range sale.Lines {
		if l.Marking != "" {
			return pos.Sale{}, fmt.Errorf("%w: a prepayment's return carries no marking code (%s)", pos.ErrBadTender, l.Name)
		}
	}
	return t.fiscalisePickup(ctx, sale)
}

// pickupSale checks the till can take a receipt now and makes the pending record of one.
func (t *Till) pickupSale(id string, kind pos.SaleKind, lines []pos.Line, payments []pos.Payment) (pos.Sale, error) {
	if err := t.canStartRefund(); err != nil { // nothing pending, no receipt being built at the till
		return pos.Sale{}, err
	}
	if err := t.canSell(); err != nil {
		return pos.Sale{}, err
	}
	if id == "" {
		return pos.Sale{}, fmt.Errorf("pickup receipt: %w: no id", pos.ErrBadTender)
	}
	sale := pos.Sale{
		ID: id, Terminal: t.cfg.Terminal, Cashier: t.cashierName(), Shift: t.shift.Number,
		CreatedAt: t.cfg.Now(), Payments: payments, Status: pos.SalePending, Kind: kind,
	}
	marked := 0
	for i, l := range lines {
		switch {
		case l.Qty <= 0 || l.Price < 0 || l.Sum < 0 || l.Cancelled:
			return pos.Sale{}, fmt.Errorf("%w: line %d %q", pos.ErrBadQuantity, i+1, l.Name)
		case l.Sum+l.Discount != l.Price.Times(l.Qty):
			return pos.Sale{}, fmt.Errorf("%w: line %d %q: sum %s and discount %s for %s × %s", pos.ErrBadDiscount,
				i+1, l.Name, l.Sum, l.Discount, l.Price, l.Qty)
		case l.Marking != "" && l.Qty != pos.QtyOne:
			return pos.Sale{}, fmt.Errorf("%w: line %d %q", pos.ErrMarkedQuantity, i+1, l.Name)
		case l.Marking != "":
			marked++
		}
		l.CancelledAt = time.Time{}
		sale.Lines = append(sale.Lines, l)
		sale.Total += l.Sum
	}
	switch {
	case len(sale.Lines) == 0:
		return pos.Sale{}, pos.ErrEmptyCart
	case marked > MaxMarkedLines:
		return pos.Sale{}, fmt.Errorf("%w: %d codes", pos.ErrMarkingLimit, marked)
	}
	sale.VAT = vatOf(sale.Lines)
	return sale, nil
}

// settlePickup checks the tenders of a pickup settlement and returns the change: the prepayment's offset
// covers at most the total, a card at most what the offset leaves, and only cash may exceed what is due.
func settlePickup(total pos.Money, payments []pos.Payment) (pos.Money, error) {
	var cash, card, prepaid pos.Money
	for _, p := range payments {
		if p.Amount <= 0 {
			return 0, fmt.Errorf("%w: tender of %s", pos.ErrBadTender, p.Amount)
		}
		switch p.Method {
		case pos.PayCash:
			cash += p.Amount
		case pos.PayCard:
			card += p.Amount
		case pos.PayPrepaid:
			prepaid += p.Amount
		default:
			return 0, fmt.Errorf("%w: tender %q does not settle a pickup order", pos.ErrBadTender, p.Method)
		}
	}
	switch {
	case prepaid > total:
		return 0, fmt.Errorf("%w: prepayment offset %s exceeds the total %s", pos.ErrBadTender, prepaid, total)
	case card > total-prepaid:
		return 0, fmt.Errorf("%w: card %s, due %s", pos.ErrCardOverpay, card, total-prepaid)
	case cash+card+prepaid < total:
		return 0, fmt.Errorf("%w: paid %s of %s", pos.ErrUnderpaid, cash+card+prepaid, total)
	}
	return cash + card + prepaid - total, nil
}

// fiscalisePickup asks the register before the receipt, as Pay does, and runs the durability order.
func (t *Till) fiscalisePickup(ctx context.Context, sale pos.Sale) (pos.Sale, error) {
	st, err := t.readyRegister(ctx, "receipt")
	if err != nil {
		return pos.Sale{}, err
	}
	sale.FDBefore = st.LastFD
	return t.fiscalise(ctx, sale)
}
