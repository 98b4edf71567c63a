package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/kassa-pos/kassa/pos/staff"
)

// loginScreen is what a screen with a login (the till, the pickup desk) lends its gate.
type loginScreen interface {
	focusInput()
	closeModal()
	info(text string)
	showError(err error, retry func())
}

// gated is a screen's login: the gate, the screen's own content kept while «Вход кассира» covers the
// window, and whether start-up recovery has been reported (it is, once, after the first login).
type gated struct {
	gate          *gate             // login and senior's PIN (staff.go); nil without Staff
	root          fyne.CanvasObject // the screen's content, put back after a login
	recoveryShown bool
	scr           loginScreen
}

// startGate puts up the login when the screen has Staff and reports whether it did. On each login take
// gives the screen the user (header, receipts' cashier) and its content back (g.root); the gate then
// greets the user and, after the first login only, calls report (start-up recovery).
func (g *gated) startGate(w fyne.Window, l Lang, st Staff, hint string, slot *dialog.Dialog, scr loginScreen,
	take func(staff.User), report func()) bool {
	g.scr = scr
	g.gate = newGate(w, l, st, hint, slot, scr.focusInput, func(u staff.User) {
		take(u)
		scr.focusInput()
		scr.info(l.T("login.hello", u.Name, roleTitle(l, u.Role)))
		if !g.recoveryShown {
			g.recoveryShown = true
			report()
		}
	})
	if g.gate == nil {
		return false
	}
	g.root = w.Content()
	g.gate.showLogin()
	return true
}

// lockScreen is «Смена кассира» (F12, Ctrl+L).
func (g *gated) lockScreen() {
	g.scr.closeModal()
	if err := g.gate.lock(); err != nil {
		g.scr.showError(err, nil)
	}
}

// Locked reports whether the login screen is up.
func (g *gated) Locked() bool { return g.gate.Locked() }

// LoginPad is the login's PIN field while the login screen is up (tests type into it), else nil.
func (g *gated) LoginPad() *PosEntry {
	if g.gate == nil || g.gate.pad == nil {
		return nil
	}
	return g.gate.pad.entry
}
