package ui

import "github.com/kassa-pos/kassa/pos/staff"

// startGate gives the desk its login when it has Staff (screen_gate.go); recovery is reported after the
// first login.
func (s *PickupScreen) startGate() bool {
	return s.gated.startGate(s.w, s.l, s.d.Staff, s.d.LoginHint, &s.modal, s, s.signedIn,
		func() { s.reportRecovery(s.d.Recovery, s.d.RecoverErr) })
}

// signedIn takes the new operator: the header, the hand-over slips, the receipts' cashier and the screen.
func (s *PickupScreen) signedIn(u staff.User) {
	s.desk.SetStaff(u.Name)
	if s.d.Till != nil {
		s.d.Till.SetCashier(u.Name)
	}
	if s.d.OnCashier != nil {
		s.d.OnCashier(u)
	}
	s.staffLabel.SetText(s.l.T("pk.staff", u.Name))
	s.w.SetContent(s.root)
}

// The Z report's action for the desk's service menu.
var (
	actCloseShift = staff.ActCloseShift
	noContext     = staff.Context{}
)
