package fiscal

import (
	"context"
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// Fiscalise prints and fiscalises a sale receipt: 0x8D, FF46 per active line, FF45 with the tenders.
// A refusal by the device before the receipt is closed cancels it (0x88) and reports ErrNotFiscalised; a
// lost answer reports ErrOutcomeUnknown and leaves the decision to the till's recovery, which asks the ФН.
func (r *Register) Fiscalise(ctx context.Context, s pos.Sale) (pos.FiscalResult, error) {
	items, err := r.items(s)
	if err != nil {
		return pos.FiscalResult{}, fmt.Errorf("%w: %w", pos.ErrNotFiscalised, err)
	}
	fn, err := r.serial(ctx)
	if err != nil {
		return pos.FiscalResult{}, r.abandon(ctx, err)
	}
	if err := r.drv.OpenReceipt(ctx, kkt.Sale); err != nil {
		return pos.FiscalResult{}, r.abandon(ctx, mapErr("open receipt", err))
	}
	for _, it := range items {
		if err := r.drv.AddItem(ctx, it); err != nil {
			return pos.FiscalResult{}, r.abandon(ctx, mapErr("add line", err))
		}
	}
	var c kkt.Close
	c.Payments[0] = int64(s.Paid(pos.PayCash))
	c.Payments[1] = int64(s.Paid(pos.PayCard))
	c.TaxSystem = r.cfg.TaxSystem
	closed, err := r.drv.CloseReceipt(ctx, c)
	if err != nil {
		return pos.FiscalResult{}, r.abandon(ctx, mapErr("close receipt", err))
	}
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

// abandon handles a failure inside a receipt. When the device refused a command, the receipt is still
// open and unfiscalised: cancel it so the sale can be paid again. When the link failed, nothing is known.
func (r *Register) abandon(ctx context.Context, err error) error {
	var re *pos.RegisterError
	if !errors.As(err, &re) {
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

func (r *Register) items(s pos.Sale) ([]kkt.Item, error) {
	lines := s.ActiveLines()
	if len(lines) == 0 {
		return nil, pos.ErrEmptyCart
	}
	out := make([]kkt.Item, 0, len(lines))
	for _, l := range lines {
		tax, err := r.TaxCode(l.VAT)
		if err != nil {
			return nil, err
		}
		for _, p := range positions(l) {
			out = append(out, kkt.Item{
				Op: kkt.OpIncome, Qty: int64(p.qty), Price: int64(p.price), Sum: int64(p.sum), Tax: tax,
				Dept: 1, PaymentMethod: 4, PaymentObject: 1, Name: l.Name,
			})
		}
	}
	return out, nil
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
