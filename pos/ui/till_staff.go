package ui

import (
	"github.com/kassa-pos/kassa/pos/staff"
)

// startGate gives the till its login when it has Staff: «Вход кассира» first, the cart after. Start-up
// recovery is reported once the first cashier is in.
func (s *TillScreen) startGate() bool {
	s.gate = newGate(s.w, s.l, s.d.Staff, s.d.LoginHint, &s.modal, s.focusInput, s.signedIn)
	if s.gate == nil {
		return false
	}
	s.root = s.w.Content()
	s.gate.showLogin()
	return true
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
	s.focusInput()
	s.info(s.l.T("login.hello", u.Name, roleTitle(s.l, u.Role)))
	if !s.recoveryShown {
		s.recoveryShown = true
		s.reportRecovery(s.d.Recovery, s.d.RecoverErr)
	}
}

// lockTill is «Смена кассира» (F12, Ctrl+L).
func (s *TillScreen) lockTill() {
	s.closeModal()
	if err := s.gate.lock(); err != nil {
		s.showError(err, nil)
	}
}

// Cashier is the logged-in user (the zero User on a till without Staff or while locked at start).
func (s *TillScreen) Cashier() staff.User {
	if s.gate == nil {
		return staff.User{}
	}
	return s.gate.user
}

// Locked reports whether the login screen is up.
func (s *TillScreen) Locked() bool { return s.gate.Locked() }

// LoginPad is the login's PIN field while the login screen is up (tests type into it), else nil.
func (s *TillScreen) LoginPad() *PosEntry {
	if s.gate == nil || s.gate.pad == nil {
		return nil
	}
	return s.gate.pad.entry
}
