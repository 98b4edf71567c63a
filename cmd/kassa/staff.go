package main

import (
	"errors"

	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/pos/ui"
)

// withStaff gives a face its login: the staff service over the terminal's store (the demo seeds its three
// users), the demo's PIN hint, and the register told each cashier's name and INN (tags 1021/1203).
func (s session) withStaff(st *ui.Staff, hint *string, onCashier *func(staff.User)) error {
	svc, err := openStaff(s.term.Store, s.term.Hub != nil) // only the demo embeds its hub
	if err != nil {
		return err
	}
	*st = svc
	if s.term.Hub != nil {
		*hint = demoHint
	}
	reg := s.term.Register
	*onCashier = func(u staff.User) {
		if reg != nil && reg.Fiscal != nil {
			reg.Fiscal.SetCashier(u.Name, u.INN)
		}
		s.log.Info("cashier signed in", "user", u.ID, "name", u.Name, "role", u.Role.String())
	}
	return nil
}

// kioskManagers backs the kiosk's way out with staff PINs (senior cashier, administrator) when the
// terminal has users (the demo always has); nil leaves the configured manager_pin_hash in charge.
func (s session) kioskManagers() *staff.Service {
	svc, err := openStaff(s.term.Store, s.term.Hub != nil)
	if err != nil {
		if !errors.Is(err, staff.ErrNoUsers) {
			s.log.Warn("kiosk: staff PINs unavailable, using manager_pin_hash", "err", err)
		}
		return nil
	}
	if s.term.Hub != nil {
		s.log.Warn("kiosk: demo manager PINs 2222 (senior) and 0000 (admin); Ctrl+Alt+K or five taps on the top-right corner")
	}
	return svc
}
