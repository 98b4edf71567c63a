package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/kiosk"
)

// attractView is the idle loop: what the stand is for, where the scanner is, a turning tip, and a tap
// anywhere to type a code instead.
func (s *KioskScreen) attractView() fyne.CanvasObject {
	lines := []fyne.CanvasObject{layout.NewSpacer()}
	if s.d.Shop != "" {
		lines = append(lines, container.NewCenter(s.big(s.d.Shop, 28, kioskWhite)))
	}
	head, tail, ok := strings.Cut(s.l.T("kiosk.attract"), " — ")
	if ok {
		head += " —"
	}
	for _, l := range []string{head, tail} {
		if l != "" {
			lines = append(lines, container.NewCenter(s.big(l, 56, kioskWhite)))
		}
	}
	gap := canvas.NewRectangle(kioskBlue)
	gap.SetMinSize(fyne.NewSize(1, 48))
	slide := s.big(s.l.T([]string{"kiosk.slide.1", "kiosk.slide.2", "kiosk.slide.3"}[s.slide]), 30, kioskWarnBanner)
	lines = append(lines, gap,
		container.NewCenter(s.big(s.l.T("kiosk.attract.scan"), 36, kioskWhite)),
		container.NewCenter(slide),
		layout.NewSpacer(),
		container.NewCenter(s.big(s.l.T("kiosk.attract.touch"), 24, kioskWhite)),
		container.NewPadded(container.NewBorder(nil, nil, nil,
			s.button("lang", s.l.T("kiosk.lang"), widget.MediumImportance, s.toggleLang))))
	return container.NewStack(canvas.NewRectangle(kioskBlue), container.NewVBox(lines...))
}

func (s *KioskScreen) perUnit(p pos.Product) string {
	if p.Weighed() {
		return s.l.T("kiosk.per.kg")
	}
	return s.l.T("kiosk.per.pcs")
}

func qtyUnit(q pos.Qty, u pos.Unit) string { return q.String() + " " + u.Short() }

// shortName cuts a product name to n runes for a button.
func shortName(name string, n int) string {
	r := []rune(name)
	if len(r) <= n {
		return name
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func (s *KioskScreen) showRelated(p pos.Product) {
	c, err := s.k.Show(p)
	if err != nil {
		s.fail(err)
		return
	}
	s.showCard(c)
}

func (s *KioskScreen) continueProduct() {
	s.prev = kioskCard
	s.onlineURL, s.onlineBasket = s.k.ProductURL(s.card), false
	s.show(kioskOnline)
}

func (s *KioskScreen) callStaff() {
	if s.d.Staff != nil {
		s.d.Staff()
	}
	s.notice = s.l.T("kiosk.staff.called")
	if s.view == kioskCard {
		s.render()
		return
	}
	s.message = [2]string{s.l.T("kiosk.staff.called"), ""}
	s.show(kioskMessage)
}

// onlineView is "continue on your phone": a QR code of the product's or the basket's page.
func (s *KioskScreen) onlineView() fyne.CanvasObject {
	hint := "kiosk.online.product"
	if s.onlineBasket {
		hint = "kiosk.online.basket"
	}
	url := label(s.onlineURL, theme.SizeNameCaptionText, false)
	url.Alignment = fyne.TextAlignCenter
	return container.NewVScroll(container.NewVBox(
		centered(s.l.T("kiosk.online.title"), theme.SizeNameHeadingText, true),
		s.showQR(s.onlineURL, 420),
		centered(s.l.T(hint), theme.SizeNameText, true), url))
}

// messageView says kindly that a scan found nothing and offers the way on.
func (s *KioskScreen) messageView() fyne.CanvasObject {
	title := label(s.message[0], theme.SizeNameHeadingText, true)
	title.Alignment = fyne.TextAlignCenter
	hint := label(s.message[1], theme.SizeNameText, false)
	hint.Alignment = fyne.TextAlignCenter
	actions := container.NewGridWithColumns(2,
		s.button("type", s.l.T("kiosk.type"), widget.HighImportance, s.openCode),
		s.button("staff", s.l.T("kiosk.staff"), widget.MediumImportance, s.callStaff))
	return container.NewBorder(nil, container.NewPadded(actions), nil, nil,
		container.NewVBox(layout.NewSpacer(), title, hint, layout.NewSpacer()))
}

// keypadView is the on-screen keypad: a code to look up, or the manager's PIN (masked).
func (s *KioskScreen) keypadView(pin bool) fyne.CanvasObject {
	title, ok, shown := "kiosk.code.title", "kiosk.code.find", s.code
	if pin {
		title, ok, shown = "kiosk.pin.title", "kiosk.pin.ok", strings.Repeat("●", len([]rune(s.code)))
	}
	keys := make([]fyne.CanvasObject, 0, 12)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "ok"} {
		text := k
		if k == "ok" {
			text = s.l.T(ok)
		}
		imp := widget.MediumImportance
		if k == "ok" {
			imp = widget.HighImportance
		}
		keys = append(keys, s.button("key."+k, text, imp, func() { s.keypad(k, pin) }))
	}
	frame := canvas.NewRectangle(kioskStoreBox)
	frame.SetMinSize(fyne.NewSize(540*s.theme.scale, 1))
	grid := container.NewStack(frame, container.NewGridWithColumns(3, keys...))
	display := panel(kioskStoreBox, container.NewCenter(s.big(shown+" ", 48, kioskInk)))
	note := label(s.keypadNote, theme.SizeNameText, true)
	note.Importance = widget.DangerImportance
	note.Alignment = fyne.TextAlignCenter
	return container.NewCenter(container.NewVBox(
		centered(s.l.T(title), theme.SizeNameSubHeadingText, true),
		display, note, grid,
		s.button("cancel", s.l.T("kiosk.cancel"), widget.LowImportance, s.back)))
}

// keyboardKeypad lets a keyboard (a manager's, or a scanner) type into the keypad's view: digits, Enter
// and Backspace; it reports whether it took the key.
func (s *KioskScreen) keyboardKeypad(key fyne.KeyName, r rune) bool {
	if s.view != kioskCode && s.view != kioskPIN {
		return false
	}
	pin := s.view == kioskPIN
	switch {
	case r >= '0' && r <= '9':
		s.touch()
		s.keypad(string(r), pin)
	case key == fyne.KeyReturn || key == fyne.KeyEnter:
		s.touch()
		s.keypad("ok", pin)
	case key == fyne.KeyBackspace:
		s.touch()
		s.keypad("⌫", pin)
	case key == fyne.KeyEscape:
		s.touch()
		s.back()
	default:
		return false
	}
	return true
}

// keypad handles one key of the on-screen keypad.
func (s *KioskScreen) keypad(k string, pin bool) {
	limit := kioskMaxCode
	if pin {
		limit = 12
	}
	switch k {
	case "⌫":
		if r := []rune(s.code); len(r) > 0 {
			s.code = string(r[:len(r)-1])
		}
	case "ok":
		code := s.code
		s.code = ""
		if pin {
			s.checkPIN(code)
			return
		}
		if code != "" {
			s.Scan(code)
			return
		}
	default:
		if len(s.code) < limit {
			s.code += k
		}
	}
	s.keypadNote = ""
	s.render()
}

func (s *KioskScreen) checkPIN(pin string) {
	if s.d.Managers != nil {
		s.checkManagerPIN(pin) // kiosk_staff.go
		return
	}
	if s.d.PIN == nil {
		s.keypadNote = s.l.T("kiosk.pin.locked", "—")
		s.render()
		return
	}
	err := s.d.PIN.Check(pin)
	var r *kiosk.PINRefusal
	switch {
	case err == nil:
		s.keypadNote = ""
		s.show(kioskManager)
		return
	case !errors.As(err, &r):
		s.keypadNote = err.Error()
	case errors.Is(err, kiosk.ErrPINLocked):
		s.keypadNote = s.l.T("kiosk.pin.locked", r.Until.In(time.Local).Format("15:04:05"))
	default:
		s.keypadNote = s.l.T("kiosk.pin.wrong", r.Left)
	}
	s.render()
}

// managerView is behind the PIN: close the kiosk, pull prices now, or hand the stand back.
func (s *KioskScreen) managerView() fyne.CanvasObject {
	items := []fyne.CanvasObject{centered(s.l.T("kiosk.manager"), theme.SizeNameHeadingText, true),
		s.button("exit", s.l.T("kiosk.manager.exit"), widget.DangerImportance, func() {
			if s.d.Exit != nil {
				s.d.Exit()
			}
		})}
	if s.d.SyncNow != nil {
		items = append(items, s.button("sync", s.l.T("kiosk.manager.sync"), widget.MediumImportance, func() {
			s.d.SyncNow()
			s.keypadNote = s.l.T("kiosk.manager.synced")
			s.render()
		}))
	}
	if s.keypadNote != "" {
		items = append(items, label(s.keypadNote, theme.SizeNameText, false))
	}
	items = append(items, s.button("resume", s.l.T("kiosk.manager.back"), widget.HighImportance, s.back))
	return container.NewCenter(container.NewVBox(items...))
}
