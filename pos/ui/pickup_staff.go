package ui

import "github.com/kassa-pos/kassa/pos/staff"

// startGate gives the desk its login when it has Staff (staff.go); recovery is reported after the first
// login.
func (s *PickupScreen) startGate() bool {
	s.gate = newGate(s.w, s.l, s.d.Staff, s.d.LoginHint, &s.modal, s.focusInput, s.signedIn)
	if s.gate == nil {
		return false
	}
	s.root = s.w.Content()
	s.gate.showLogin()
	return true
}

// signedIn takes the new operator: the header, the hand-over slips and the receipts' cashier.
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
	s.focusInput()
	s.info(s.l.T("login.hello", u.Name, roleTitle(s.l, u.Role)))
	if !s.recoveryShown {
		s.recoveryShown = true
		s.reportRecovery(s.d.Recovery, s.d.RecoverErr)
	}
}

// lockDesk is «Смена кассира» (F12, Ctrl+L).
func (s *PickupScreen) lockDesk() {
	s.closeModal()
	if err := s.gate.lock(); err != nil {
		s.showError(err, nil)
	}
}

// Locked reports whether the login screen is up.
func (s *PickupScreen) Locked() bool { return s.gate.Locked() }

// LoginPad is the login's PIN field while the login screen is up, else nil.
func (s *PickupScreen) LoginPad() *PosEntry {
	if s.gate == nil || s.gate.pad == nil {
		return nil
	}
	return s.gate.pad.entry
}

// The Z report's action for the desk's service menu.
var (
	actCloseShift = staff.ActCloseShift
	noContext     = staff.Context{}
)
