package ui

import "github.com/kassa-pos/kassa/pos/staff"

// KioskManagers checks a staff PIN for leaving kiosk mode; *staff.Service implements it.
type KioskManagers interface {
	Authorise(pin string, a staff.Action, cashier staff.User, c staff.Context) (staff.User, error)
}

// checkManagerPIN opens the manager's menu for a senior cashier's or administrator's PIN, audited as
// leave_kiosk; a cashier's PIN, a wrong one and a lock are told in Russian on the keypad.
func (s *KioskScreen) checkManagerPIN(pin string) {
	_, err := s.d.Managers.Authorise(pin, staff.ActLeaveKiosk, staff.User{}, staff.Context{})
	if err == nil {
		s.keypadNote = ""
		s.show(kioskManager)
		return
	}
	m := explainStaff(s.l, err)
	s.keypadNote = m.Text + " " + m.Action
	s.render()
}
