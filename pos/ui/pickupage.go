package ui

import (
	"strings"

	"github.com/kassa-pos/kassa/pos/pickup"
)

// askAge is the pickup desk's age question before handing over an order with 18+ goods (F10). Yes hands
// over everything; no refuses the 18+ lines, as the customer's refusal (F8) would, and hands over the rest.
func (s *PickupScreen) askAge(v *pickup.Verification) {
	var names []string
	var limit uint8
	for _, l := range v.Lines {
		if l.AgeRestricted() && l.ToHand() > 0 {
			names = append(names, l.Name)
			limit = max(limit, l.AgeLimit)
		}
	}
	yes := func() {
		s.closeModal()
		v.ConfirmAge()
		s.handOver()
	}
	no := func() {
		s.closeModal()
		n, err := v.RefuseAgeRestricted(s.l.T("pk.age.reason"))
		s.redraw()
		if err != nil {
			s.fail(err)
			return
		}
		s.info(s.l.T("pk.age.refused", n))
		if a := v.Amounts(); a.Handed > 0 {
			s.handOver()
		}
	}
	s.showModal(s.l.T("age.title"), ageDialog(s.l, limit, s.l.T("pk.age.items", strings.Join(names, ", ")), "pk.age.no", yes, no),
		nil, yes, no)
}

// ageWarning is the open order's 18+ notice, "" without 18+ goods to hand over.
func (s *PickupScreen) ageWarning(v *pickup.Verification) string {
	if !v.AgeRestricted() {
		return ""
	}
	return s.l.T("pk.age.warn")
}
