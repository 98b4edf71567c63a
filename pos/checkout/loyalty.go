package checkout

import (
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/loyalty"
)

// Loyalty is the loyalty programme as the till uses it; *loyalty.Service implements it.
type Loyalty interface {
	// Identify recognises the customer from a scanned card or app code, or a dictated phone number.
	Identify(text string) (loyalty.Customer, error)
	Rules() loyalty.Rules
	// Offline reports whether the hub is out of reach, so the offline limit applies.
	Offline() bool
}

// allPoints asks for as many points as the rules allow, however the receipt changes.
const allPoints = pos.Money(1 << 62)

// loyaltyState is the loyalty customer of the receipt being built and the points spent on it. The points
// are part of the cart's receipt discount, on top of the cashier's own receipt discount: written tells the
// till's last write apart from a discount the cashier typed since.
type loyaltyState struct {
	customer loyalty.Customer
	want     pos.Money  // points asked for (allPoints: as many as allowed); 0 none
	offline  bool       // the hub was out of reach when they were asked for: the offline limit applies
	applied  pos.Money  // points inside the receipt discount now
	written  pos.Money  // the receipt discount as the till last set it
	offers   offerState // the customer's personal offers in the lines' discounts (offers.go)
}

// LoyaltyQuote is the loyalty side of the receipt as it stands, for the till's panel.
type LoyaltyQuote struct {
	Customer  loyalty.Customer
	Redeemed  pos.Money       // points in the receipt discount now
	CanRedeem pos.Money       // the most points the rules allow on this receipt now
	Earn      pos.Money       // what the receipt as it stands earns
	Rate      loyalty.Percent // the customer's earn rate
	Offline   bool            // the hub is out of reach: the offline limit applies
	Rules     loyalty.Rules
	Offers    []AppliedOffer // personal offers applied to the receipt now
	Waiting   []string       // texts of personal offers that run but give nothing yet
}

// IsLoyaltyCode reports whether scanned text is a loyalty card or the app's code, which recognise the
// customer instead of adding a product.
func (t *Till) IsLoyaltyCode(text string) bool {
	code, err := t.cfg.Classifier.Classify(text)
	return err == nil && (code.Kind == barcode.KindLoyaltyCard || code.Kind == barcode.KindLoyaltyQR)
}

// IdentifyCustomer recognises the loyalty customer of the receipt being built by a scanned card or app code
// or a dictated phone number. Another customer replaces the one before and the points spent for them.
// Recognising a customer is reported to the omnichannel analytics once per receipt.
func (t *Till) IdentifyCustomer(text string) (loyalty.Customer, error) {
	if t.cfg.Loyalty == nil {
		return loyalty.Customer{}, loyalty.ErrOff
	}
	c, err := t.cfg.Loyalty.Identify(text)
	if err != nil {
		return loyalty.Customer{}, err
	}
	if c.ID == t.loy.customer.ID {
		t.loy.customer = c // fresher balance; the points asked for stay
		t.syncPoints()
		return c, nil
	}
	t.dropPoints()
	t.loy = loyaltyState{customer: c}
	t.syncPoints() // the customer's personal offers, at once
	if t.cfg.Channel != nil {
		// Analytics never hold up a sale: a lost event costs the report a count.
		_ = t.cfg.Channel.RecordChannelEvent(pos.ChannelEvent{Kind: pos.ChannelLoyaltyKnown, At: t.cfg.Now(), Via: string(c.Via)})
	}
	return c, nil
}

// Customer is the loyalty customer of the receipt being built, if any.
func (t *Till) Customer() (loyalty.Customer, bool) { return t.loy.customer, t.loy.customer.Known() }

// ForgetCustomer removes the loyalty customer from the receipt, and the points spent with them.
func (t *Till) ForgetCustomer() {
	t.dropPoints()
	t.loy = loyaltyState{}
}

// RedeemPoints spends the customer's points on the receipt as a discount, before fiscalisation so the
// receipt shows what is paid: amount, or with 0 as many as the rules allow (that follows the receipt as
// lines are added or voided). It returns the points applied. The cap is the customer's balance as last
// pulled minus what this terminal spent since, a share of the receipt and, while the hub is out of reach,
// the offline limit; asking for more is refused.
func (t *Till) RedeemPoints(amount pos.Money) (pos.Money, error) {
	switch {
	case t.cfg.Loyalty == nil:
		return 0, loyalty.ErrOff
	case !t.loy.customer.Known():
		return 0, loyalty.ErrNoCustomer
	case t.cart.Empty():
		return 0, pos.ErrEmptyCart
	case amount < 0:
		return 0, fmt.Errorf("%w: %s points", pos.ErrBadDiscount, amount)
	}
	offline := t.cfg.Loyalty.Offline()
	most := t.maxPoints(offline)
	switch {
	case most <= 0:
		return 0, t.nothingToRedeem(offline)
	case amount > most:
		return 0, fmt.Errorf("%w: %s points asked, at most %s", loyalty.ErrTooManyPoints, amount, most)
	case amount == 0:
		amount = allPoints
	}
	t.loy.want, t.loy.offline = amount, offline
	t.syncPoints()
	return t.loy.applied, nil
}

func (t *Till) nothingToRedeem(offline bool) error {
	c := t.loy.customer
	switch {
	case c.Available() <= 0:
		return fmt.Errorf("%w: balance %s, %s spent here not yet counted", loyalty.ErrNothingToRedeem, c.Balance, c.Unsettled)
	case offline && t.cfg.Loyalty.Rules().OfflineLimit == 0:
		return fmt.Errorf("%w: %w", loyalty.ErrNothingToRedeem, loyalty.ErrOfflineRedemption)
	}
	return fmt.Errorf("%w: the receipt is too small", loyalty.ErrNothingToRedeem)
}

// CancelRedemption gives the points back: the receipt is paid in full.
func (t *Till) CancelRedemption() {
	t.loy.want = 0
	t.syncPoints()
}

// Loyalty returns the loyalty side of the receipt as it stands; ok is false without a customer.
func (t *Till) Loyalty() (q LoyaltyQuote, ok bool) {
	if !t.loy.customer.Known() || t.cfg.Loyalty == nil {
		return LoyaltyQuote{}, false
	}
	t.syncPoints()
	offline := t.cfg.Loyalty.Offline()
	rules := t.cfg.Loyalty.Rules()
	c := t.loy.customer
	total := t.cart.Totals().Total
	return LoyaltyQuote{Customer: c, Redeemed: t.loy.applied, CanRedeem: t.maxPoints(offline),
		Earn: t.earnedPoints(total), Rate: rules.EarnRate(c.Tier), Offline: offline, Rules: rules,
		Offers: appliedOffers(t.loy.offers.result), Waiting: waitingOffers(t.loy.offers.result)}, true
}

// UseCustomerPhone sends the electronic receipt (tag 1008) to the phone the customer dictated to be
// recognised, when they ask for it; a customer recognised by card or app code has none at the till.
func (t *Till) UseCustomerPhone() error {
	if t.loy.customer.Phone == "" {
		return fmt.Errorf("%w: the customer was not recognised by phone", pos.ErrBadBuyerContact)
	}
	return t.SetBuyer(t.loy.customer.Phone)
}

// ownDiscount is the cashier's part of the receipt discount: all of it, unless the till's last write is
// still there with its points inside.
func (t *Till) ownDiscount() pos.Money {
	rd := t.cart.ReceiptDiscount()
	if t.loy.applied > 0 && rd == t.loy.written {
		return rd - t.loy.applied
	}
	return rd
}

// maxPoints is the most points the rules allow on the receipt as it stands, after the cashier's discounts.
func (t *Till) maxPoints(offline bool) pos.Money {
	if t.cfg.Loyalty == nil || !t.loy.customer.Known() {
		return 0
	}
	due := t.cart.Totals().Total + t.cart.ReceiptDiscount() - t.ownDiscount()
	return t.cfg.Loyalty.Rules().MaxRedeem(t.loy.customer.Available(), due, offline)
}

// syncPoints fits the points to the receipt as it stands (lines added or voided, the cashier's own receipt
// discount changed) and writes them into the cart's receipt discount. It runs before every payment and
// every time the till's screen is drawn, after the personal offers are fitted (offers.go). The offline
// state is the one of when the points were asked for, so the sum the customer was told does not change
// under them.
func (t *Till) syncPoints() {
	t.syncOffers()
	if t.loy.want == 0 && t.loy.applied == 0 {
		return
	}
	own := t.ownDiscount()
	pts := pos.Money(0)
	if t.loy.want > 0 {
		pts = min(t.loy.want, t.maxPoints(t.loy.offline))
	}
	if err := t.cart.SetReceiptDiscount(own + pts); err != nil {
		// The rules keep a kopeck to pay; a failure means the cashier's own discount no longer fits the
		// receipt (lines voided), which is the cashier's to fix: the points step aside.
		pts = 0
		t.setOwnDiscount(own)
	}
	t.loy.applied, t.loy.written = pts, own+pts
}

// dropPoints takes the points out of the receipt discount and the personal offers out of the lines,
// keeping the cashier's own discounts.
func (t *Till) dropPoints() {
	t.dropOffers()
	if t.loy.applied > 0 {
		t.setOwnDiscount(t.ownDiscount())
	}
	t.loy.want, t.loy.applied, t.loy.written = 0, 0, 0
}

// setOwnDiscount leaves the cashier's own receipt discount alone in the cart, or none when it no longer
// fits the receipt: points must never stay in a discount without their customer.
func (t *Till) setOwnDiscount(own pos.Money) {
	if t.cart.SetReceiptDiscount(own) != nil {
		_ = t.cart.SetReceiptDiscount(0)
	}
}

// refundLoyalty is the loyalty side of a refund paying back total of the sale orig (nil: a return without
// the receipt moves no points): the points the goods returned earned go back out of the customer's balance
// (Redeemed) and the points spent on them come back in (Earned), in proportion to the money returned.
// Counted over all the sale's refunds, a full return moves exactly what the sale moved, and partial ones
// never more.
func (t *Till) refundLoyalty(orig *pos.Sale, total pos.Money) (pos.SaleLoyalty, error) {
	if orig == nil || orig.Loyalty.Customer == "" || orig.Total <= 0 {
		return pos.SaleLoyalty{}, nil
	}
	earlier, err := t.refunds().RefundsOf(orig.ID)
	if err != nil {
		return pos.SaleLoyalty{}, fmt.Errorf("read the refunds of sale %s: %w", orig.ID, err)
	}
	var before pos.Money
	for _, r := range earlier {
		before += r.Total
	}
	// The points' share of the money returned so far, after this refund less before it.
	share := func(points pos.Money) pos.Money {
		upto := func(m pos.Money) int64 { return int64(points) * int64(min(m, orig.Total)) / int64(orig.Total) }
		return pos.Money(upto(before+total) - upto(before))
	}
	return pos.SaleLoyalty{Customer: orig.Loyalty.Customer, Redeemed: share(orig.Loyalty.Earned),
		Earned: share(orig.Loyalty.Redeemed)}, nil
}

// saleLoyalty is the loyalty side of a sale paying total: the points in its discount, those it earns.
func (t *Till) saleLoyalty(total pos.Money) pos.SaleLoyalty {
	c := t.loy.customer
	if !c.Known() || t.cfg.Loyalty == nil {
		return pos.SaleLoyalty{}
	}
	return pos.SaleLoyalty{Customer: c.ID, Redeemed: t.loy.applied, Earned: t.earnedPoints(total)}
}
