package cart

import (
	"sort"

	"github.com/kassa-pos/kassa/pos"
)

// Lines returns copies of every line with Discount and Sum filled in: the line's own discount plus its
// share of the receipt discount. Shares are proportional to the lines' sums after their own discounts;
// the kopecks lost to rounding go to the largest lines, so Σ Sum always equals the receipt total.
func (c *Cart) Lines() []pos.Line {
	out := make([]pos.Line, len(c.lines))
	type share struct {
		i   int
		net pos.Money
		rem int64
	}
	var shares []share
	var base pos.Money
	for i, e := range c.lines {
		l := e.line
		l.Discount = e.lineDiscount
		l.Sum = l.Price.Times(l.Qty) - e.lineDiscount
		out[i] = l
		if !l.Cancelled {
			shares = append(shares, share{i: i, net: l.Sum})
			base += l.Sum
		}
	}
	if c.receiptDiscount == 0 || base <= 0 {
		return out
	}
	given := pos.Money(0)
	for k := range shares {
		s := &shares[k]
		num := int64(c.receiptDiscount) * int64(s.net)
		part := pos.Money(num / int64(base))
		s.rem = num % int64(base)
		out[s.i].Discount += part
		out[s.i].Sum -= part
		given += part
	}
	// Largest remainders first; ties to the bigger line, then the earlier one, so the result is stable.
	sort.SliceStable(shares, func(a, b int) bool {
		if shares[a].rem != shares[b].rem {
			return shares[a].rem > shares[b].rem
		}
		return shares[a].net > shares[b].net
	})
	for k := 0; given < c.receiptDiscount; k = (k + 1) % len(shares) {
		i := shares[k].i
		if out[i].Sum > 0 {
			out[i].Discount++
			out[i].Sum--
			given++
		}
	}
	return out
}

// Totals computes what the customer pays and the VAT within it, per rate. VAT is computed on each rate's
// total, the way the fiscal register reports it.
func (c *Cart) Totals() Totals {
	var t Totals
	byRate := map[pos.VATRate]pos.Money{}
	for _, l := range c.Lines() {
		if l.Cancelled {
			continue
		}
		t.Lines++
		t.Gross += l.Price.Times(l.Qty)
		t.Discount += l.Discount
		t.Total += l.Sum
		byRate[l.VAT] += l.Sum
	}
	for _, r := range pos.VATRates {
		if base, ok := byRate[r]; ok {
			t.VAT = append(t.VAT, pos.VATAmount{Rate: r, Base: base, Tax: r.TaxOf(base)})
		}
	}
	return t
}
