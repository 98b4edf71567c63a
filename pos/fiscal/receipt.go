package fiscal

import (
	"context"
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// Fiscalise prints and fiscalises a sale receipt, or a refund's (see refund.go): 0x8D, FF0C with the
// cashier (1021, 1203) and the buyer's contact for an electronic receipt (1008), FF46 per active line (a
// marked line between FF61 check, FF69 accept and FF67 bind of its code; a personal offer's text under
// it, 0x17), FF45 with the tenders.
// A refusal by the device before the receipt is closed cancels it (0x88) and reports ErrNotFiscalised (a
// marking code the ФН or Честный знак refuses: a *pos.MarkingError within); a lost answer reports
// ErrOutcomeUnknown and leaves the decision to the till's recovery, which asks the ФН. With AwaitPaper, a
// refusal for want of paper waits for the cashier to load a roll and sends the command again.
func (r *Register) Fiscalise(ctx context.Context, s pos.Sale) (pos.FiscalResult, error) {
	lines, err := r.receiptLines(s)
	if err != nil {
		return pos.FiscalResult{}, fmt.Errorf("%w: %w", pos.ErrNotFiscalised, err)
	}
	fn, err := r.serial(ctx)
	if err != nil {
		return pos.FiscalResult{}, r.abandon(ctx, err)
	}
	r.setCashier(s.Cashier)
	if err := r.paper(ctx, func() error { return r.drv.OpenReceipt(ctx, receiptKind(s.Kind)) }); err != nil {
		return pos.FiscalResult{}, r.abandon(ctx, mapErr("open receipt", err))
	}
	if tlvs := r.receiptTLVs(s); len(tlvs) > 0 {
		if err := r.paper(ctx, func() error { return r.drv.SendTLV(ctx, tlvs...) }); err != nil {
			return pos.FiscalResult{}, r.abandon(ctx, mapErr("send receipt attributes", err))
		}
	}
	for _, l := range lines {
		if err := r.addLine(ctx, s.Kind, l); err != nil {
			return pos.FiscalResult{}, r.abandon(ctx, err)
		}
	}
	var c kkt.Close
	c.Payments = payments(s)
	c.TaxSystem = r.cfg.TaxSystem
	var closed kkt.Closed
	err = r.paper(ctx, func() (err error) { closed, err = r.drv.CloseReceipt(ctx, c); return err })
	if err != nil {
		return pos.FiscalResult{}, r.abandon(ctx, mapErr("close receipt", err))
	}
	r.finishPrinting(ctx)
	at := closed.Time
	if at.IsZero() {
		// The short FF45 answer has no time; the ФН archive has the exact one the QR must carry.
		if d, err := r.drv.FindDocument(ctx, closed.FDNumber); err == nil {
			at = d.Time
		} else {
			at = r.cfg.Now().Truncate(60e9)
		}
	}
	return pos.FiscalResult{FDNumber: closed.FDNumber, FiscalSign: closed.FiscalSign, FNSerial: fn, At: at}, nil
}

// serial is the ФН's serial number the receipt's QR carries, read from the device unless State did.
func (r *Register) serial(ctx context.Context) (string, error) {
	r.mu.Lock()
	fn := r.fnSerial
	r.mu.Unlock()
	if fn != "" {
		return fn, nil
	}
	st, err := r.drv.FNStatus(ctx)
	if err != nil {
		return "", mapErr("read FN status", err)
	}
	r.setSerial(st.Serial)
	return st.Serial, nil
}

// abandon handles a failure inside a receipt. When the device refused a command (or a marking code), the
// receipt is still open and unfiscalised: cancel it so the sale can be paid again. When the link failed,
// nothing is known.
func (r *Register) abandon(ctx context.Context, err error) error {
	var re *pos.RegisterError
	var me *pos.MarkingError
	if !errors.As(err, &re) && !errors.As(err, &me) {
		return err
	}
	if cerr := r.drv.CancelReceipt(ctx); cerr != nil {
		var de *kkt.DeviceError
		if !errors.As(cerr, &de) {
			// The refusal is known but the cancel's fate is not: let recovery look at the device.
			return fmt.Errorf("%w: %w (cancel: %w)", pos.ErrOutcomeUnknown, err, cerr)
		}
	}
	return fmt.Errorf("%w: %w", pos.ErrNotFiscalised, err)
}

// receiptLine is an active line of a sale as the device gets it: its FF46 positions, and the marking code
// that goes with them.
type receiptLine struct {
	index int // in Sale.Lines
	line  pos.Line
	items []kkt.Item
}

// receiptLines checks a sale against the configuration before the device is touched and turns its active
// lines into positions.
func (r *Register) receiptLines(s pos.Sale) ([]receiptLine, error) {
	op, err := operation(s.Kind)
	if err != nil {
		return nil, err
	}
	prepayment, err := prepaymentReturn(s)
	if err != nil {
		return nil, err
	}
	var out []receiptLine
	for i, l := range s.Lines {
		if l.Cancelled || l.Qty <= 0 {
			continue
		}
		tax, err := r.TaxCode(l.VAT)
		if err != nil {
			return nil, err
		}
		object := byte(objectGoods)
		if l.Marking != "" {
			if l.Qty != pos.QtyOne {
				return nil, fmt.Errorf("%w: line %d carries a marking code for %s", pos.ErrMarkedQuantity, i+1, l.Qty)
			}
			object = objectMarked
		}
		method := byte(kkt.MethodFull)
		if prepayment {
			if method, err = prepaymentMethod(i, l); err != nil {
				return nil, err
			}
		}
		rl := receiptLine{index: i, line: l}
		for _, p := range positions(l) {
			rl.items = append(rl.items, kkt.Item{
				Op: op, Qty: int64(p.qty), Price: int64(p.price), Sum: int64(p.sum), Tax: tax,
				Dept: 1, PaymentMethod: method, PaymentObject: object, Name: l.Name,
			})
		}
		out = append(out, rl)
	}
	if len(out) == 0 {
		return nil, pos.ErrEmptyCart
	}
	return out, nil
}

// items are the FF46 positions of a sale, all lines together.
func (r *Register) items(s pos.Sale) ([]kkt.Item, error) {
	lines, err := r.receiptLines(s)
	var out []kkt.Item
	for _, l := range lines {
		out = append(out, l.items...)
	}
	return out, err
}

// addLine adds a line's positions; a marked line's code is checked and accepted before its position and
// bound to it after, in the order the ФН requires (FF61, FF69, FF46, FF67). A personal offer's text is
// printed under them.
func (r *Register) addLine(ctx context.Context, kind pos.SaleKind, l receiptLine) error {
	if l.line.Marking != "" {
		if err := r.checkMark(ctx, kind, l); err != nil {
			return err
		}
	}
	for _, it := range l.items {
		if err := r.paper(ctx, func() error { return r.drv.AddItem(ctx, it) }); err != nil {
			return mapErr("add line", err)
		}
	}
	if l.line.Marking != "" {
		err := r.paper(ctx, func() error { _, err := r.drv.BindMark(ctx, l.line.Marking); return err })
		if err != nil {
			return mapErr("bind marking code", err)
		}
	}
	if l.line.Offer != "" {
		return r.printOffer(ctx, l.line.Offer) // offertext.go
	}
	return nil
}

// receiptTLVs are the receipt's own attributes (FF0C): the cashier and the buyer's contact.
func (r *Register) receiptTLVs(s pos.Sale) []kkt.TLV {
	tlvs := r.cashierTLVs(s.Cashier)
	if s.Buyer != "" {
		tlvs = append(tlvs, kkt.BuyerContact(s.Buyer))
	}
	return tlvs
}

type position struct {
	qty        pos.Qty
	price, sum pos.Money
}

// positions turns a line into FF46 positions. The device accepts a sum only within a kopeck of
// price × quantity, and tag 1079 is the price after discounts, so a discounted line carries its
// discounted unit price; when the discounted sum does not divide evenly among the pieces, the line is
// split in two positions whose prices differ by the remainder, so every kopeck still adds up.
func positions(l pos.Line) []position {
	if l.Discount == 0 {
		return []position{{l.Qty, l.Price, l.Sum}}
	}
	if l.Unit == pos.UnitKg || l.Qty == pos.QtyOne {
		return weighed(l)
	}
	n := int64(l.Qty / pos.QtyOne)
	unit := int64(l.Sum) / n
	rest := int64(l.Sum) - unit*(n-1)
	if rest == unit {
		return []position{{l.Qty, pos.Money(unit), l.Sum}}
	}
	return []position{
		{pos.Pieces(n - 1), pos.Money(unit), pos.Money(unit * (n - 1))},
		{pos.QtyOne, pos.Money(rest), pos.Money(rest)},
	}
}

// weighed gives a discounted line sold by weight (or a single piece) one position when a price per unit
// reaches its sum within the device's kopeck. Above 2 kg a kopeck of price moves the sum by more than
// that, so the line becomes all but one gram at the price rounded down and one gram carrying the rest.
func weighed(l pos.Line) []position {
	q, s := int64(l.Qty), int64(l.Sum)
	floor := s * 1000 / q
	for _, p := range []int64{(s*1000 + q/2) / q, floor} {
		if d := pos.Money(p).Times(l.Qty) - l.Sum; d >= -1 && d <= 1 {
			return []position{{l.Qty, pos.Money(p), l.Sum}}
		}
	}
	first := pos.Money(floor).Times(l.Qty - 1)
	rest := l.Sum - first
	return []position{{l.Qty - 1, pos.Money(floor), first}, {1, rest * 1000, rest}}
}
