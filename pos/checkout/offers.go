package checkout

import (
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/offers"
)

// offerState is what the recognised customer's personal offers put into the cart's line discounts: per
// cart line, the offer's part and the line discount as the till last wrote it, so a discount the cashier
// typed on the line since is told apart and the offer comes on top of it.
//
// The order of discounts on a receipt (see package offers for the arithmetic):
//  1. a line's own discount: the cashier's, or a kiosk basket's offer price;
//  2. personal offers, per line, on what 1 left;
//  3. the cashier's receipt discount, spread over the lines;
//  4. points (Ctrl+F9), capped by the rules' share of what 1–3 left.
//
// So the points a customer may spend follow the offers, and the points earned are counted on what the
// customer pays at the end, times the multiplier of a points offer.
type offerState struct {
	applied []pos.Money // per cart line: the offer discount inside the line's discount
	written []pos.Money // per cart line: the line discount as the till last set it
	result  offers.Result
}

// AppliedOffer is a personal offer that changes the receipt, for the till's panel and tape.
type AppliedOffer struct {
	ID, Text string
	Discount pos.Money // 0 for a points offer
	Lines    []int     // the cart lines it applies to
	Points   bool      // a points multiplier, not a discount
}

// ownLineDiscount is the cashier's (or the basket's) part of line i's discount current.
func (t *Till) ownLineDiscount(i int, current pos.Money) pos.Money {
	s := t.loy.offers
	if i < len(s.applied) && s.applied[i] > 0 && current == s.written[i] {
		return current - s.applied[i]
	}
	return current
}

// syncOffers fits the customer's personal offers to the receipt as it stands and writes them into the
// lines' discounts. It runs with syncPoints (loyalty.go), first: the points follow the offers.
func (t *Till) syncOffers() {
	c := t.loy.customer
	if len(c.Personal) == 0 && len(t.loy.offers.applied) == 0 {
		return
	}
	lines, _ := t.cart.Snapshot()
	in := make([]offers.Line, len(lines))
	own := make([]pos.Money, len(lines))
	for i, l := range lines {
		own[i] = t.ownLineDiscount(i, l.Discount)
		in[i] = offers.Line{ProductID: l.ProductID, Qty: l.Qty, Net: l.Price.Times(l.Qty) - own[i], Cancelled: l.Cancelled}
	}
	var r offers.Result
	if c.Known() && t.cfg.Loyalty != nil {
		r = offers.Apply(c.Personal, in, t.cfg.Now())
	} else {
		r = offers.Apply(nil, in, t.cfg.Now())
	}
	st := offerState{applied: make([]pos.Money, len(lines)), written: make([]pos.Money, len(lines)), result: r}
	for i, l := range lines {
		if l.Cancelled {
			continue
		}
		d := r.Discounts[i]
		if own[i]+d != l.Discount && t.cart.SetLineDiscount(i, own[i]+d) != nil {
			// Only a discount larger than the line fails, which the offers never give: keep the line as is.
			d = 0
			own[i] = l.Discount
		}
		st.applied[i], st.written[i] = d, own[i]+d
	}
	t.loy.offers = st
}

// dropOffers takes the offers out of the lines' discounts, keeping the cashier's own.
func (t *Till) dropOffers() {
	for i := range t.loy.offers.applied {
		t.releaseOffer(i)
	}
	t.loy.offers = offerState{}
}

// releaseOffer takes the offer out of line i's discount before the line changes (its quantity): the next
// sync works it out again for the new line.
func (t *Till) releaseOffer(i int) {
	s := &t.loy.offers
	if i < 0 || i >= len(s.applied) || s.applied[i] == 0 {
		return
	}
	lines, _ := t.cart.Snapshot()
	if i < len(lines) && !lines[i].Cancelled && lines[i].Discount == s.written[i] {
		_ = t.cart.SetLineDiscount(i, s.written[i]-s.applied[i]) // smaller than before: always fits
	}
	s.applied[i], s.written[i] = 0, 0
}

// AppliedOffers lists the personal offers that change the receipt as it stands, in the customer's order.
func (t *Till) AppliedOffers() []AppliedOffer {
	t.syncPoints()
	return appliedOffers(t.loy.offers.result)
}

func appliedOffers(r offers.Result) []AppliedOffer {
	out := make([]AppliedOffer, 0, len(r.Applied))
	for _, a := range r.Applied {
		out = append(out, AppliedOffer{ID: a.Offer.ID, Text: a.Offer.Text, Discount: a.Discount,
			Lines: append([]int(nil), a.Lines...), Points: a.Offer.Kind == offers.Points})
	}
	return out
}

// waitingOffers are the texts of the offers that run but give nothing yet.
func waitingOffers(r offers.Result) []string {
	var out []string
	for _, o := range r.Waiting {
		out = append(out, o.Text)
	}
	return out
}

// earnedPoints is what the receipt earns a customer of rate: the rate of every line's sum after all
// discounts, times the line's points multiplier, rounded down once.
func (t *Till) earnedPoints(total pos.Money) pos.Money {
	rules := t.cfg.Loyalty.Rules()
	rate := rules.EarnRate(t.loy.customer.Tier)
	r := t.loy.offers.result
	if len(r.Multipliers) == 0 {
		return rate.Of(total)
	}
	lines := t.cart.Lines()
	sums := make([]pos.Money, len(lines))
	for i, l := range lines {
		if !l.Cancelled {
			sums[i] = l.Sum
		}
	}
	return rate.Of(r.Weighted(sums))
}

// offerTexts writes into lines (the cart's, as the sale is paid) the text of the personal offer whose
// discount each line carries, which the receipt prints under the position. A points offer changes no
// price and prints nothing there.
func (t *Till) offerTexts(lines []pos.Line) []pos.Line {
	if !t.loy.customer.Known() || t.cfg.Loyalty == nil {
		return lines
	}
	s := t.loy.offers
	for _, a := range s.result.Applied {
		if a.Offer.Kind == offers.Points {
			continue
		}
		for _, i := range a.Lines {
			if i < len(lines) && i < len(s.applied) && s.applied[i] > 0 {
				lines[i].Offer = a.Offer.Text
			}
		}
	}
	return lines
}

// saleOffers are the personal offers the sale being paid applied, for its record and the backend.
func (t *Till) saleOffers() []pos.SaleOffer {
	if !t.loy.customer.Known() || t.cfg.Loyalty == nil {
		return nil
	}
	var out []pos.SaleOffer
	for _, a := range t.loy.offers.result.Applied {
		out = append(out, pos.SaleOffer{ID: a.Offer.ID, Discount: a.Discount})
	}
	return out
}
