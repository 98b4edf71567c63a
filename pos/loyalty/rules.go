package loyalty

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kassa-pos/kassa/pos"
)

// Percent is a rate in hundredths of a per cent: 250 is 2,5 %, 10000 is all of it.
type Percent int64

// Whole is one hundred per cent.
const Whole Percent = 10000

// String writes the rate the Russian way: "2,5 %", "50 %".
func (p Percent) String() string {
	s := strconv.FormatInt(int64(p)/100, 10)
	if f := int64(p) % 100; f != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%02d", abs(f)), "0")
	}
	return s + " %"
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Of returns the rate's share of m, rounded down to the kopeck: points are never given beyond the rule.
func (p Percent) Of(m pos.Money) pos.Money {
	if m <= 0 || p <= 0 {
		return 0
	}
	// m is at most a few 10^11 kopecks and p at most 10^4: the product stays far below 2^63.
	return pos.Money(int64(m) * int64(p) / int64(Whole))
}

// ErrBadRules is wrapped by Rules.Validate's error.
var ErrBadRules = errors.New("bad loyalty rules")

// Rules are the programme's terms at the till.
type Rules struct {
	// Earn is the share of the paid sum credited as points, by tier (lower case); Earn[""] applies to
	// every tier not listed.
	Earn map[string]Percent
	// RedeemShare is the largest share of a receipt, after the cashier's own discounts, that points may pay.
	RedeemShare Percent
	// OfflineLimit is the most points one receipt may spend while the hub is out of reach: the balance
	// the till knows may be stale, and another till may be spending it too. 0 forbids redemption offline.
	OfflineLimit pos.Money
	// Step rounds a redemption down to a multiple of it: 100 spends whole rubles. 0 means kopecks.
	Step pos.Money
}

// DefaultRules are the demo programme's: 1 % earned (3 % silver, 5 % gold), up to half of a receipt paid
// with points in whole rubles, at most 500 ₽ of points per receipt while offline.
func DefaultRules() Rules {
	return Rules{
		Earn:         map[string]Percent{"": 100, "silver": 300, "gold": 500},
		RedeemShare:  5000,
		OfflineLimit: 50000,
		Step:         100,
	}
}

// Validate reports rules that cannot work; the error wraps ErrBadRules.
func (r Rules) Validate() error {
	for tier, p := range r.Earn {
		if p < 0 || p > Whole {
			return fmt.Errorf("%w: earn rate %d/10000 for tier %q is not 0–100 %%", ErrBadRules, p, tier)
		}
	}
	switch {
	case r.RedeemShare < 0 || r.RedeemShare > Whole:
		return fmt.Errorf("%w: redeem share %d/10000 is not 0–100 %%", ErrBadRules, r.RedeemShare)
	case r.OfflineLimit < 0:
		return fmt.Errorf("%w: negative offline limit %s", ErrBadRules, r.OfflineLimit)
	case r.Step < 0 || r.Step > 100000:
		return fmt.Errorf("%w: redemption step %s is not 0–1000 ₽", ErrBadRules, r.Step)
	}
	return nil
}

// EarnRate is the rate of a tier: its own, else the default one, else nothing.
func (r Rules) EarnRate(tier string) Percent {
	if p, ok := r.Earn[strings.ToLower(strings.TrimSpace(tier))]; ok {
		return p
	}
	return r.Earn[""]
}

// Earned is what a receipt paid with paid (after every discount, points included) credits to a customer of
// the tier, rounded down to the kopeck.
func (r Rules) Earned(tier string, paid pos.Money) pos.Money { return r.EarnRate(tier).Of(paid) }

// MaxRedeem is the most points a receipt of receipt (what the customer would pay without points) may take
// from a customer who can spend available: at most RedeemShare of it, always leaving a kopeck to pay (the
// register needs a payment), at most OfflineLimit while offline, rounded down to Step.
func (r Rules) MaxRedeem(available, receipt pos.Money, offline bool) pos.Money {
	if available <= 0 || receipt <= 1 {
		return 0
	}
	limit := min(r.RedeemShare.Of(receipt), receipt-1, available)
	if offline {
		limit = min(limit, r.OfflineLimit)
	}
	if r.Step > 1 {
		limit -= limit % r.Step
	}
	return max(limit, 0)
}
