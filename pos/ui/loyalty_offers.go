package ui

import (
	"strings"

	"github.com/kassa-pos/kassa/pos/checkout"
)

// offerTexts are the personal offers for the loyalty panel: those applied to the receipt with what they
// take off («применено: −10 % на молоко −10,99 ₽»), then those that wait for the receipt to reach them,
// then the old feed's free texts, which the till shows but does not apply.
func (s *TillScreen) offerTexts(q checkout.LoyaltyQuote) []string {
	var out []string
	if len(q.Offers) > 0 {
		applied := make([]string, len(q.Offers))
		for i, a := range q.Offers {
			applied[i] = a.Text
			if a.Discount > 0 {
				applied[i] = s.l.T("loyalty.applied.sum", a.Text, a.Discount.String())
			}
		}
		out = append(out, s.l.T("loyalty.applied", strings.Join(applied, "; ")))
	}
	if len(q.Waiting) > 0 {
		out = append(out, s.l.T("loyalty.waiting", strings.Join(q.Waiting, "; ")))
	}
	if len(q.Customer.Offers) > 0 {
		out = append(out, s.l.T("loyalty.offers", strings.Join(q.Customer.Offers, "; ")))
	}
	return out
}

// offersMessage tells the cashier which offers a recognised customer's receipt got, for the message line.
func (s *TillScreen) offersMessage(q checkout.LoyaltyQuote) string {
	if len(q.Offers) == 0 {
		return ""
	}
	names := make([]string, len(q.Offers))
	for i, a := range q.Offers {
		names[i] = a.Text
	}
	return s.l.T("loyalty.applied", strings.Join(names, "; "))
}
