package checkout

import (
	"context"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// CheckRefundReady tells whether a return could be fiscalised now: nothing pending, the shift open and
// under 24 hours, the register answering with paper in it. The till asks before a bank terminal pays money
// back to a card, so the card is never credited for a return the register would refuse.
func (t *Till) CheckRefundReady(ctx context.Context) error {
	if t.pending != nil {
		return pos.ErrSalePending
	}
	if err := t.canSell(); err != nil {
		return err
	}
	return t.registerCanPrint(ctx)
}

// Refund fiscalises a return as a "возврат прихода" receipt, paying back with the given tenders, in the
// durability order of Pay: the refund is journalled as pending (the journal refuses to return more than
// was sold, counting every earlier refund), the register fiscalises it, and its fiscal attributes and its
// outbox event (type "refund") are committed in one transaction. A refusal cancels it in the journal; a
// lost answer leaves it pending for ResolvePending, and recovery matches it only to a refund receipt.
//
// The tenders must add up to the refund's total. The money goes back the way it came: of a known receipt,
// no tender may pay back more than the original was paid by it, less earlier refunds (ErrRefundTender);
// pos.PayPrepaid returns a click&collect prepayment to the order (the backend refunds it).
func (t *Till) Refund(ctx context.Context, r *Refund, payments []pos.Payment) (pos.Sale, error) {
	if err := t.canStartRefund(); err != nil {
		return pos.Sale{}, err
	}
	if err := t.canSell(); err != nil {
		return pos.Sale{}, err
	}
	sale, err := t.refundSale(r, payments)
	if err != nil {
		return pos.Sale{}, err
	}
	st, err := t.readyRegister(ctx, "refund")
	if err != nil {
		return pos.Sale{}, err
	}
	sale.FDBefore = st.LastFD
	return t.fiscalise(ctx, sale)
}

// refundSale checks a prepared return against the journal as it is now and makes the refund's record.
func (t *Till) refundSale(r *Refund, payments []pos.Payment) (pos.Sale, error) {
	sale := pos.Sale{
		ID: t.cfg.NewID(), Terminal: t.cfg.Terminal, Cashier: t.cashierName(), Shift: t.shift.Number,
		CreatedAt: t.cfg.Now(), Payments: payments, Status: pos.SalePending, Kind: pos.KindRefund,
	}
	var chosen []RefundLine
	limits := map[pos.PaymentMethod]pos.Money(nil)
	if r.Original != nil {
		// The journal's count now, not the one the return was prepared with.
		fresh, err := t.refundOf(*r.Original)
		if err != nil {
			return pos.Sale{}, err
		}
		if len(fresh.Lines) != len(r.Lines) {
			return pos.Sale{}, fmt.Errorf("%w: the return has %d lines, the receipt %d", pos.ErrRefundExceeds,
				len(r.Lines), len(fresh.Lines))
		}
		for i := range fresh.Lines {
			if err := fresh.SetQty(i, r.Lines[i].Qty); err != nil {
				return pos.Sale{}, err
			}
		}
		chosen, limits = fresh.Lines, fresh.PaidBack
		sale.RefundOf, sale.Buyer = r.Original.ID, r.Original.Buyer
	} else {
		chosen = r.Lines
	}
	some := false
	for _, l := range chosen {
		line := l.Line
		line.Qty, line.Sum, line.Cancelled, line.CancelledAt = l.Qty, l.Sum(), false, time.Time{}
		line.Discount = max(line.Price.Times(line.Qty)-line.Sum, 0)
		if l.Qty > 0 {
			some = true
		} else if r.Original == nil {
			continue // a return without the receipt lists only what goes back
		}
		sale.Lines = append(sale.Lines, line)
		sale.Total += line.Sum
	}
	if !some {
		return pos.Sale{}, pos.ErrNothingToRefund
	}
	sale.VAT = vatOf(sale.Lines)
	l, err := t.refundLoyalty(r.Original, sale.Total) // the points of the goods returned (loyalty.go)
	if err != nil {
		return pos.Sale{}, err
	}
	sale.Loyalty = l
	if err := settleRefund(sale.Total, payments, limits); err != nil {
		return pos.Sale{}, err
	}
	return sale, nil
}

// settleRefund checks the tenders of a refund: they pay back exactly its total, and with limits (a known
// receipt) none pays back more than it may.
func settleRefund(total pos.Money, payments []pos.Payment, limits map[pos.PaymentMethod]pos.Money) error {
	by := map[pos.PaymentMethod]pos.Money{}
	var sum pos.Money
	for _, p := range payments {
		if p.Amount <= 0 {
			return fmt.Errorf("%w: tender of %s", pos.ErrBadTender, p.Amount)
		}
		switch p.Method {
		case pos.PayCash, pos.PayCard, pos.PayPrepaid:
		default:
			return fmt.Errorf("%w: unknown tender %q", pos.ErrBadTender, p.Method)
		}
		by[p.Method] += p.Amount
		sum += p.Amount
	}
	switch {
	case sum < total:
		return fmt.Errorf("%w: paid back %s of %s", pos.ErrUnderpaid, sum, total)
	case sum > total:
		return fmt.Errorf("%w: tenders pay back %s, the refund is %s", pos.ErrRefundTender, sum, total)
	}
	for _, m := range []pos.PaymentMethod{pos.PayCash, pos.PayCard, pos.PayPrepaid} {
		if v := by[m]; v > 0 && (limits == nil && m == pos.PayPrepaid || limits != nil && v > limits[m]) {
			return fmt.Errorf("%w: %s back by %s, at most %s", pos.ErrRefundTender, v, m, max(limits[m], 0))
		}
	}
	return nil
}

// documentOf reports whether a document of the ФН archive is the receipt of a pending sale or refund: a
// receipt of the same kind and total. A sale is never completed by a refund receipt, nor the reverse.
func documentOf(doc pos.FiscalDocument, s pos.Sale) bool {
	if doc.Sum != s.Total {
		return false
	}
	if s.Kind == pos.KindRefund {
		return doc.RefundReceipt
	}
	return doc.SaleReceipt
}

// vatOf is the per-rate VAT breakdown of lines, computed on each rate's total as pos/cart does.
func vatOf(lines []pos.Line) []pos.VATAmount {
	byRate := map[pos.VATRate]pos.Money{}
	for _, l := range lines {
		if !l.Cancelled && l.Qty > 0 {
			byRate[l.VAT] += l.Sum
		}
	}
	var out []pos.VATAmount
	for _, r := range pos.VATRates {
		if base, ok := byRate[r]; ok {
			out = append(out, pos.VATAmount{Rate: r, Base: base, Tax: r.TaxOf(base)})
		}
	}
	return out
}
