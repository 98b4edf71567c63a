package ui

import (
	"github.com/kassa-pos/kassa/pos/staff"
)

// startGate gives the till its login when it has Staff (screen_gate.go): «Вход кассира» first, the cart
// after. Start-up recovery is reported once the first cashier is in.
func (s *TillScreen) startGate() bool {
	return s.gated.startGate(s.w, s.l, s.d.Staff, s.d.LoginHint, &s.modal, s, s.signedIn,
		func() { s.reportRecovery(s.d.Recovery, s.d.RecoverErr) })
}

// signedIn takes the new cashier: the header, the receipts' cashier (tags 1021/1203) and the screen.
func (s *TillScreen) signedIn(u staff.User) {
	s.d.Cashier = u.Name
	s.till.SetCashier(u.Name)
	if s.d.OnCashier != nil {
		s.d.OnCashier(u)
	}
	s.w.SetContent(s.root)
	s.refresh()
}

// Cashier is the logged-in user (the zero User on a till without Staff or while locked at start).
func (s *TillScreen) Cashier() staff.User {
	if s.gate == nil {
		return staff.User{}
	}
	return s.gate.user
}
