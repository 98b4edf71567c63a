// Package cart is the receipt being built at the till: lines added by scans, quantity changes, cancelled
// (сторно) lines that stay visible, line and receipt discounts, and totals with the per-rate VAT breakdown.
// All arithmetic is in kopecks and thousandths; the receipt discount is spread over the lines so that the
// line sums the ККТ receives add up exactly to the receipt total.
package cart

import (
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// MaxLines caps a receipt; a ККТ receipt holds a few hundred positions at most.
const MaxLines = 500

// Cart is not safe for concurrent use: the till owns it on its UI goroutine.
type Cart struct {
	lines           []entry
	receiptDiscount pos.Money
}

// entry is a line as the cashier built it; the receipt discount share is computed on demand.
type entry struct {
	line         pos.Line
	lineDiscount pos.Money
}

// New returns an empty cart.
func New() *Cart { return &Cart{} }

// Totals summarises the active lines.
type Totals struct {
	Lines    int       // active lines
	Gross    pos.Money // Σ price × qty
	Discount pos.Money // line and receipt discounts together
	Total    pos.Money // what the customer pays
	VAT      []pos.VATAmount
}

// Add puts qty of p on the receipt and returns the index of the line that holds it. Scanning the same piece
// product again right after it adds to that line, as cashiers expect; weighed goods always get a line of
// their own (each weighing is a separate label).
func (c *Cart) Add(p pos.Product, qty pos.Qty, barcode string) (int, error) {
	if qty <= 0 || qty > 99_999_000 {
		return -1, fmt.Errorf("%w: %s", pos.ErrBadQuantity, qty)
	}
	if !p.Weighed() && !qty.Whole() {
		return -1, fmt.Errorf("%w: %s is not a whole number of pieces", pos.ErrBadQuantity, qty)
	}
	if n := len(c.lines); n > 0 && !p.Weighed() {
		last := &c.lines[n-1]
		if !last.line.Cancelled && last.line.ProductID == p.ID && last.line.Price == p.Price && last.lineDiscount == 0 {
			last.line.Qty += qty
			return n - 1, nil
		}
	}
	if len(c.lines) >= MaxLines {
		return -1, fmt.Errorf("%w: receipt already has %d lines", pos.ErrBadQuantity, MaxLines)
	}
	c.lines = append(c.lines, entry{line: pos.Line{
		ProductID: p.ID, Name: p.Name, Barcode: barcode, Price: p.Price,
		Qty: qty, Unit: p.Unit, VAT: p.VAT,
	}})
	return len(c.lines) - 1, nil
}

func (c *Cart) active(i int) (*entry, error) {
	if i < 0 || i >= len(c.lines) {
		return nil, fmt.Errorf("%w: %d", pos.ErrLineNotFound, i+1)
	}
	e := &c.lines[i]
	if e.line.Cancelled {
		return nil, fmt.Errorf("%w: %d", pos.ErrLineCancelled, i+1)
	}
	return e, nil
}

// SetQty changes the quantity of line i.
func (c *Cart) SetQty(i int, q pos.Qty) error {
	e, err := c.active(i)
	if err != nil {
		return err
	}
	if q <= 0 || q > 99_999_000 || (e.line.Unit == pos.UnitPiece && !q.Whole()) {
		return fmt.Errorf("%w: %s", pos.ErrBadQuantity, q)
	}
	if e.lineDiscount > e.line.Price.Times(q) {
		return fmt.Errorf("%w: discount %s on %s", pos.ErrBadDiscount, e.lineDiscount, e.line.Price.Times(q))
	}
	e.line.Qty = q
	return nil
}

// Cancel marks line i as cancelled (сторно). It stays on the screen and in the journal, but not on the
// fiscal receipt.
func (c *Cart) Cancel(i int, at time.Time) error {
	e, err := c.active(i)
	if err != nil {
		return err
	}
	e.line.Cancelled = true
	e.line.CancelledAt = at
	return nil
}

// SetLineDiscount sets an absolute discount on line i (0 removes it).
func (c *Cart) SetLineDiscount(i int, d pos.Money) error {
	e, err := c.active(i)
	if err != nil {
		return err
	}
	if d < 0 || d > e.line.Price.Times(e.line.Qty) {
		return fmt.Errorf("%w: %s", pos.ErrBadDiscount, d)
	}
	e.lineDiscount = d
	return nil
}

// SetReceiptDiscount sets an absolute discount on the whole receipt (0 removes it). It must leave at
// least one kopeck to pay.
func (c *Cart) SetReceiptDiscount(d pos.Money) error {
	if d < 0 {
		return fmt.Errorf("%w: %s", pos.ErrBadDiscount, d)
	}
	var net pos.Money
	for _, e := range c.lines {
		if !e.line.Cancelled {
			net += e.line.Price.Times(e.line.Qty) - e.lineDiscount
		}
	}
	if d > 0 && d >= net {
		return fmt.Errorf("%w: %s of %s", pos.ErrBadDiscount, d, net)
	}
	c.receiptDiscount = d
	return nil
}

// ReceiptDiscount is the discount set on the whole receipt.
func (c *Cart) ReceiptDiscount() pos.Money { return c.receiptDiscount }

// Len is the number of lines, cancelled ones included.
func (c *Cart) Len() int { return len(c.lines) }

// Empty reports whether nothing would be paid for.
func (c *Cart) Empty() bool {
	for _, e := range c.lines {
		if !e.line.Cancelled {
			return false
		}
	}
	return true
}

// Clear empties the cart for the next customer.
func (c *Cart) Clear() {
	c.lines = nil
	c.receiptDiscount = 0
}
