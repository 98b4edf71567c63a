package cart

import (
	"fmt"

	"github.com/kassa-pos/kassa/pos"
)

// Settle checks the tenders against the total and returns the change. Card payments may not exceed what
// is still due after the other card payments (a card is charged exactly); cash may exceed the remainder,
// the excess is change. Mixed payments are any combination of the two.
func Settle(total pos.Money, payments []pos.Payment) (change pos.Money, err error) {
	var cash, card pos.Money
	for _, p := range payments {
		if p.Amount <= 0 {
			return 0, fmt.Errorf("%w: tender of %s", pos.ErrBadTender, p.Amount)
		}
		switch p.Method {
		case pos.PayCash:
			cash += p.Amount
		case pos.PayCard:
			card += p.Amount
		default:
			return 0, fmt.Errorf("%w: unknown tender %q", pos.ErrBadTender, p.Method)
		}
	}
	if card > total {
		return 0, fmt.Errorf("%w: card %s, due %s", pos.ErrCardOverpay, card, total)
	}
	if cash+card < total {
		return 0, fmt.Errorf("%w: paid %s of %s", pos.ErrUnderpaid, cash+card, total)
	}
	return cash + card - total, nil
}

// Snapshot captures the cart for a deferred receipt.
func (c *Cart) Snapshot() (lines []pos.Line, receiptDiscount pos.Money) {
	lines = make([]pos.Line, len(c.lines))
	for i, e := range c.lines {
		lines[i] = e.line
		lines[i].Discount = e.lineDiscount
		lines[i].Sum = 0
	}
	return lines, c.receiptDiscount
}

// Restore replaces the cart's contents with a snapshot taken by Snapshot.
func (c *Cart) Restore(lines []pos.Line, receiptDiscount pos.Money) {
	c.lines = make([]entry, len(lines))
	for i, l := range lines {
		d := l.Discount
		l.Discount, l.Sum = 0, 0
		c.lines[i] = entry{line: l, lineDiscount: d}
	}
	c.receiptDiscount = receiptDiscount
}
