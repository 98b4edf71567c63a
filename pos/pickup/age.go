package pickup

import (
	"fmt"

	"github.com/kassa-pos/kassa/pos"
)

// Age-restricted goods (18+) in an order: the staff checks the buyer's document before the hand-over.
// "Yes" (ConfirmAge) lets the 18+ lines go with the rest; "no" refuses them (RefuseAgeRestricted), as the
// customer's refusal at the desk would, and their prepayment goes back.

// AgeRestricted reports whether the hand-over as it stands gives out 18+ goods.
func (v *Verification) AgeRestricted() bool {
	for _, l := range v.Lines {
		if l.AgeRestricted() && l.ToHand() > 0 {
			return true
		}
	}
	return false
}

// AgeConfirmed reports whether the staff confirmed the buyer's age for this order.
func (v *Verification) AgeConfirmed() bool { return v.ageOK }

// ConfirmAge records that the staff checked the buyer's document and the buyer is of age.
func (v *Verification) ConfirmAge() { v.ageOK = true }

// RefuseAgeRestricted refuses every 18+ line whole, with the reason, and returns how many it refused.
func (v *Verification) RefuseAgeRestricted(reason string) (int, error) {
	n := 0
	for i, l := range v.Lines {
		if !l.AgeRestricted() || l.ToHand() == 0 {
			continue
		}
		if err := v.Refuse(i, l.Qty, reason); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// checkAge refuses a hand-over of 18+ goods whose buyer's age nobody confirmed.
func (v *Verification) checkAge() error {
	if v.AgeRestricted() && !v.ageOK {
		return fmt.Errorf("%w: order %s", pos.ErrAgeUnchecked, v.Order.Number)
	}
	return nil
}
