// Package offers applies a loyalty customer's personal offers to the receipt being built at the till: a
// share or a fixed sum off the lines they target (one article, a group of articles by id prefix, or the
// whole receipt), or more points on them, while they run and once the receipt reaches their minimum.
//
// The rules, in kopecks and thousandths only:
//   - An offer's base is a line's sum after the line's own discount (the cashier's, or a kiosk basket's
//     price): offers come after those, and before the cashier's receipt discount and the points redeemed,
//     which the till spreads over what the offers left.
//   - Percent: the base times the rate in hundredths of a per cent, rounded down to the kopeck, per line.
//   - Fixed: the sum per unit times the quantity in thousandths (a weighed line pays per kilogram),
//     rounded down to the kopeck, per line.
//   - Never below zero: a discount leaves every line at least one kopeck (a ККТ position of zero is
//     refused, and the receipt needs a payment); a line of one kopeck gets none.
//   - Offers do not stack: each line gets the largest discount of the offers that target it (a tie goes
//     to the offer listed first), and the largest points multiplier.
//   - The minimum is the receipt's sum before any offer (after the lines' own discounts), cancelled lines
//     left out; validity is From inclusive to Until exclusive.
package offers

import (
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// Kind is what an offer gives.
type Kind string

// Offer kinds; the values are the customers feed's.
const (
	Percent Kind = "percent" // Value: hundredths of a per cent off (1000 = 10 %)
	Fixed   Kind = "fixed"   // Value: kopecks off per unit (per kilogram of weighed goods)
	Points  Kind = "points"  // Value: points earned in hundredths of the usual (200 = twice as many)
)

// NormalPoints is the multiplier of a line no points offer targets.
const NormalPoints = 100

// Offer is one personal offer of a customer.
type Offer struct {
	ID       string
	Text     string // as the CRM wrote it: "−10 % на молоко"
	Kind     Kind
	Value    int64
	Product  string // one article id; "" with Group "" targets the whole receipt
	Group    string // an article id prefix
	MinTotal pos.Money
	From     time.Time // zero: open
	Until    time.Time // exclusive; zero: open
}

// ValidAt reports whether the offer runs at t.
func (o Offer) ValidAt(t time.Time) bool {
	return (o.From.IsZero() || !t.Before(o.From)) && (o.Until.IsZero() || t.Before(o.Until))
}

// Targets reports whether the offer concerns a line of the article product.
func (o Offer) Targets(product string) bool {
	switch {
	case o.Product != "":
		return product == o.Product
	case o.Group != "":
		return len(product) >= len(o.Group) && product[:len(o.Group)] == o.Group
	}
	return true
}

// Discount is what the offer takes off a line of qty whose base is net, under the package's rules.
func (o Offer) Discount(qty pos.Qty, net pos.Money) pos.Money {
	if net <= 1 || qty <= 0 {
		return 0
	}
	var d pos.Money
	switch o.Kind {
	case Percent:
		if o.Value <= 0 || o.Value > 10000 {
			return 0
		}
		// net is at most ~10^12 kopecks and the rate at most 10^4: the product stays far below 2^63.
		d = pos.Money(int64(net) * o.Value / 10000)
	case Fixed:
		if o.Value <= 0 {
			return 0
		}
		d = pos.Money(o.Value * int64(qty) / int64(pos.QtyOne))
	default:
		return 0
	}
	return min(d, net-1)
}

// Line is a receipt line as the offers see it. Cancelled lines are passed with Cancelled set, so the
// result's indexes are the cart's.
type Line struct {
	ProductID string
	Qty       pos.Qty
	Net       pos.Money // price × qty less the line's own discount
	Cancelled bool
}

// Applied is an offer that changes the receipt now.
type Applied struct {
	Offer    Offer
	Discount pos.Money // Σ over its lines; 0 for a points offer
	Lines    []int     // the lines it won
}

// Result is what the offers do to a receipt.
type Result struct {
	Discounts   []pos.Money // per line: the offer discount
	Multipliers []int64     // per line: the points multiplier in hundredths (NormalPoints without an offer)
	Applied     []Applied   // offers that won a line, in the customer's order
	// Waiting are the offers that run now but give nothing yet: the receipt is under their minimum, or
	// holds nothing they target.
	Waiting []Offer
}

// Total is the discount of every offer together.
func (r Result) Total() pos.Money {
	var t pos.Money
	for _, d := range r.Discounts {
		t += d
	}
	return t
}

// Apply works out the offers for the lines at now.
func Apply(list []Offer, lines []Line, now time.Time) Result {
	r := Result{Discounts: make([]pos.Money, len(lines)), Multipliers: make([]int64, len(lines))}
	var total pos.Money
	for i, l := range lines {
		r.Multipliers[i] = NormalPoints
		if !l.Cancelled {
			total += max(l.Net, 0)
		}
	}
	winner := make([]int, len(lines)) // per line: index+1 in list of the discount's offer, of the multiplier's
	booster := make([]int, len(lines))
	for k, o := range list {
		if !o.ValidAt(now) {
			continue
		}
		for i, l := range lines {
			if l.Cancelled || !o.Targets(l.ProductID) || total < o.MinTotal {
				continue
			}
			switch o.Kind {
			case Points:
				if o.Value > r.Multipliers[i] {
					r.Multipliers[i], booster[i] = o.Value, k+1
				}
			default:
				if d := o.Discount(l.Qty, l.Net); d > r.Discounts[i] {
					r.Discounts[i], winner[i] = d, k+1
				}
			}
		}
	}
	for k, o := range list {
		a := Applied{Offer: o}
		for i := range lines {
			if winner[i] == k+1 {
				a.Discount += r.Discounts[i]
				a.Lines = append(a.Lines, i)
			} else if booster[i] == k+1 {
				a.Lines = append(a.Lines, i)
			}
		}
		switch {
		case len(a.Lines) > 0:
			r.Applied = append(r.Applied, a)
		case o.ValidAt(now):
			r.Waiting = append(r.Waiting, o)
		}
	}
	return r
}

// Weighted is the sum points are earned on: each line's sum (after every discount) times its multiplier,
// in kopecks, rounded down once at the end. sums are indexed like the Result's lines; a missing multiplier
// counts as normal.
func (r Result) Weighted(sums []pos.Money) pos.Money {
	var w int64
	for i, s := range sums {
		m := int64(NormalPoints)
		if i < len(r.Multipliers) {
			m = r.Multipliers[i]
		}
		w += int64(max(s, 0)) * m
	}
	return pos.Money(w / NormalPoints)
}
