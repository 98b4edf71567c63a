package ui

import (
	"errors"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos/staff"
)

// Staff checks PINs and records what it allowed; *staff.Service implements it. A screen without one
// (nil) has no login and lets everyone do everything, as a till without users did before.
type Staff interface {
	Login(pin string) (staff.User, error)
	Lock(cashier staff.User) error
	Permit(cashier staff.User, a staff.Action, c staff.Context) (bool, error)
	Authorise(pin string, a staff.Action, cashier staff.User, c staff.Context) (staff.User, error)
	// Done records a follow-up entry once an allowed action has finished (staff.ActRefundDone …).
	Done(a staff.Action, cashier, by staff.User, c staff.Context) error
}

// gate is a screen's login and its privileged actions: «Вход кассира» over the whole window while no one
// is logged in, and «Нужен PIN старшего кассира» for one action of a cashier whose role is too low,
// without logging the cashier out. A nil gate (no Staff) allows everything.
type gate struct {
	w        fyne.Window
	l        Lang
	staff    Staff
	hint     string           // shown under the keypad (the demo's users)
	slot     *dialog.Dialog   // the screen's modal
	refocus  func()           // back to the screen's input
	signedIn func(staff.User) // the screen takes the cashier (and its content back)
	user     staff.User
	locked   bool
	granted  staff.Action // one action a senior's PIN has just allowed, spent by the next check
	// grantedBy is who allowed each action last (the senior whose PIN did, or the cashier's own role),
	// for the follow-up entry written when the action finishes; a login or lock forgets it.
	grantedBy map[staff.Action]staff.User
	pad       *pinPad
}

func newGate(w fyne.Window, l Lang, st Staff, hint string, slot *dialog.Dialog, refocus func(), signedIn func(staff.User)) *gate {
	if st == nil {
		return nil
	}
	return &gate{w: w, l: l, staff: st, hint: hint, slot: slot, refocus: refocus, signedIn: signedIn, locked: true}
}

// Locked reports whether the login screen is up.
func (g *gate) Locked() bool { return g != nil && g.locked }

// showLogin replaces the window's content with «Вход кассира»; the screen's own content comes back with
// signedIn.
func (g *gate) showLogin() {
	g.locked = true
	if *g.slot != nil {
		(*g.slot).Hide()
	}
	g.pad = newPinPad(g.l, g.login, nil, g.focusPad)
	title := canvas.NewText(g.l.T("login.title"), theme.Color(theme.ColorNameForeground))
	title.TextSize, title.TextStyle, title.Alignment = 32, fyne.TextStyle{Bold: true}, fyne.TextAlignCenter
	prompt := widget.NewLabelWithStyle(g.l.T("login.prompt"), fyne.TextAlignCenter, fyne.TextStyle{})
	box := container.NewVBox(title, prompt, g.pad.box)
	if g.hint != "" {
		hint := widget.NewLabelWithStyle(g.hint, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
		hint.Wrapping = fyne.TextWrapWord
		box.Add(hint)
	}
	wrap := container.NewGridWrap(fyne.NewSize(420, box.MinSize().Height+40), box)
	g.pad.relayout = func() { // a refusal's note makes the box taller
		wrap.Layout = layout.NewGridWrapLayout(fyne.NewSize(420, box.MinSize().Height+40))
		wrap.Refresh()
	}
	g.w.SetContent(container.NewCenter(wrap))
	g.focusPad()
}

func (g *gate) focusPad() {
	if g.pad != nil {
		g.w.Canvas().Focus(g.pad.entry)
	}
}

func (g *gate) login(pin string) {
	u, err := g.staff.Login(pin)
	if err != nil {
		g.pad.fail(explainStaff(g.l, err))
		return
	}
	g.user, g.locked, g.pad, g.grantedBy = u, false, nil, nil
	g.signedIn(u)
}

// lock is «Смена кассира» (F12, Ctrl+L): the till waits for the next login; the receipt stays as it is.
func (g *gate) lock() error {
	if g == nil || g.locked {
		return nil
	}
	if err := g.staff.Lock(g.user); err != nil {
		return err
	}
	g.showLogin()
	return nil
}

// allowed reports whether the logged-in cashier may do a now. When a senior's PIN is needed it asks for
// it and, once granted, runs again, which then passes: write `if !g.allowed(a, c, f) { return }` first in f.
func (g *gate) allowed(a staff.Action, c staff.Context, again func()) bool {
	if g == nil {
		return true
	}
	if g.granted == a {
		g.granted = ""
		return true
	}
	ok, err := g.staff.Permit(g.user, a, c)
	if err != nil {
		g.showError(err)
		return false
	}
	if ok {
		g.allowedBy(a, g.user)
		return true
	}
	g.askSenior(a, c, func() { g.granted = a; again() })
	return false
}

// guarded runs f once the cashier may do a (at once, or after a senior's PIN).
func (g *gate) guarded(a staff.Action, c staff.Context, f func()) {
	if g.allowed(a, c, func() { g.guarded(a, c, f) }) {
		f()
	}
}

func (g *gate) allowedBy(a staff.Action, by staff.User) {
	if g.grantedBy == nil {
		g.grantedBy = map[staff.Action]staff.User{}
	}
	g.grantedBy[a] = by
}

// done records the follow-up entry of an action that allowed (opened) finished: authorised by whoever
// allowed opened last, or by the logged-in cashier when nobody did in this login (a return resolved
// after a restart). No gate, nothing to record.
func (g *gate) done(opened, a staff.Action, c staff.Context) error {
	if g == nil {
		return nil
	}
	by, ok := g.grantedBy[opened]
	if !ok {
		by = g.user
	}
	return g.staff.Done(a, g.user, by, c)
}

// askSenior is «Нужен PIN старшего кассира»: the PIN of a senior cashier or administrator allows one action.
func (g *gate) askSenior(a staff.Action, c staff.Context, then func()) {
	close := func() {
		if *g.slot != nil {
			(*g.slot).Hide()
		}
	}
	var pad *pinPad
	pad = newPinPad(g.l, func(pin string) {
		by, err := g.staff.Authorise(pin, a, g.user, c)
		if err != nil {
			pad.fail(explainStaff(g.l, err))
			return
		}
		g.allowedBy(a, by)
		close()
		then()
	}, close, func() { g.w.Canvas().Focus(pad.entry) })
	what := widget.NewLabelWithStyle(g.l.T("senior.what", actionTitle(g.l, a)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(what)
	if c.Detail != "" {
		d := widget.NewLabel(c.Detail)
		d.Wrapping = fyne.TextWrapWord
		body.Add(d)
	}
	body.Add(widget.NewLabel(g.l.T("senior.prompt", g.user.Name)))
	body.Add(pad.box)
	body.Add(widget.NewButton(g.l.T("btn.cancel"), close))
	d := showDialog(g.w, g.slot, g.l.T("senior.title"), body, pad.entry, nil, nil, 460, g.refocus)
	pad.relayout = func() { d.Resize(fyne.NewSize(460, 0)) } // room for a refusal's note
}

func (g *gate) showError(err error) {
	m := explainStaff(g.l, err)
	dialog.ShowInformation(g.l.T("err.title"), m.Text+"\n"+m.Action, g.w)
}

// pinPad is a masked PIN field with an on-screen numpad: digits by keyboard or touch, Enter or OK submits,
// Esc cancels (when cancel is set).
type pinPad struct {
	entry *PosEntry
	note  *widget.Label
	box   *fyne.Container
	// relayout makes room for the note once it shows (set by whoever lays the pad out).
	relayout func()
}

func newPinPad(l Lang, submit func(pin string), cancel func(), refocus func()) *pinPad {
	p := &pinPad{entry: NewPosEntry(nil), note: widget.NewLabel("")}
	p.entry.Password = true
	// Any action item keeps Fyne from adding its "show password" eye: a PIN is never shown.
	p.entry.ActionItem = canvas.NewRectangle(color.Transparent)
	p.entry.SetPlaceHolder(l.T("login.pin"))
	p.note.Wrapping = fyne.TextWrapWord
	p.note.Importance = widget.DangerImportance
	p.note.Hide()
	ok := func() {
		pin := p.entry.Text
		p.entry.SetText("")
		submit(pin)
	}
	p.entry.Router = pinRouter{enter: ok, esc: cancel}
	key := func(label string, f func()) *widget.Button {
		return widget.NewButton(label, func() { f(); refocus() })
	}
	grid := container.NewGridWithColumns(3)
	for _, d := range "123456789" {
		grid.Add(key(string(d), func() { p.entry.SetText(p.entry.Text + string(d)) }))
	}
	grid.Add(key("⌫", func() {
		if r := []rune(p.entry.Text); len(r) > 0 {
			p.entry.SetText(string(r[:len(r)-1]))
		}
	}))
	grid.Add(key("0", func() { p.entry.SetText(p.entry.Text + "0") }))
	okButton := key(l.T("login.ok"), ok)
	okButton.Importance = widget.HighImportance
	grid.Add(okButton)
	p.box = container.NewVBox(p.entry, grid, p.note)
	return p
}

func (p *pinPad) fail(m Message) {
	p.note.SetText(m.Text + " " + m.Action)
	p.note.Show()
	if p.relayout != nil {
		p.relayout()
	}
}

// pinRouter takes Enter and Esc, and lets only digits into the PIN.
type pinRouter struct{ enter, esc func() }

func (r pinRouter) RouteKey(ev *fyne.KeyEvent) bool {
	switch {
	case isEnter(ev):
		r.enter()
	case ev.Name == fyne.KeyEscape && r.esc != nil:
		r.esc()
	case ev.Name == fyne.KeyEscape:
	default:
		return false
	}
	return true
}

func (r pinRouter) RouteShortcut(fyne.Shortcut) bool { return false }
func (r pinRouter) RouteRune(c rune, _ string) bool  { return c < '0' || c > '9' }

// actionTitle names an action for the senior's dialog.
func actionTitle(l Lang, a staff.Action) string {
	if _, ok := texts["act."+string(a)]; ok {
		return l.T("act." + string(a))
	}
	return string(a)
}

// roleTitle names a role.
func roleTitle(l Lang, r staff.Role) string { return l.T("role." + r.String()) }

// explainStaff says why a PIN was refused, with the seconds of a lock and the role an action needs.
func explainStaff(l Lang, err error) Message {
	if m, ok := explainStaffErr(l, err); ok {
		return m
	}
	return Explain(l, err)
}

func explainStaffErr(l Lang, err error) (Message, bool) {
	var locked *staff.LockedError
	var wrong *staff.WrongPINError
	switch {
	case errors.As(err, &locked):
		secs := int(math.Ceil(locked.Left.Seconds()))
		return Message{Text: l.T("pin.locked", secs), Action: l.T("pin.locked.action", locked.Until.In(time.Local).Format("15:04:05"))}, true
	case errors.As(err, &wrong):
		return Message{Text: l.T("pin.wrong"), Action: l.T("pin.left", wrong.Left)}, true
	case errors.Is(err, staff.ErrWrongPIN):
		return Message{Text: l.T("pin.wrong"), Action: ""}, true
	case errors.Is(err, staff.ErrNotAllowed):
		return Message{Text: l.T("pin.notallowed"), Action: l.T("pin.notallowed.action")}, true
	case errors.Is(err, staff.ErrNoUsers):
		return Message{Text: l.T("pin.nousers"), Action: l.T("pin.nousers.action")}, true
	}
	return Message{}, false
}

// isCtrlL is «Смена кассира»'s hotkey.
func isCtrlL(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyL && cs.Modifier == fyne.KeyModifierControl
}
