package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/pickup"
)

// RouteKey is the desk's keys (UI.md §5.3): Enter reads the scan field, F3 the list, F8 refuses the
// selected line, F9 prints the slip, F10 hands over, F12 service, Esc clears or cancels, ↑/↓ select.
func (s *PickupScreen) RouteKey(ev *fyne.KeyEvent) bool {
	if s.gate.Locked() { // the login screen is up: keys belong to its PIN field
		s.gate.focusPad()
		return true
	}
	if s.Busy() {
		return true // the register is printing: keys wait
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.submit()
	case fyne.KeyEscape:
		s.escape()
	case fyne.KeyF3:
		s.showList()
	case fyne.KeyF8, fyne.KeyDelete:
		s.openRefuse()
	case fyne.KeyF9:
		s.reprint()
	case fyne.KeyF10:
		s.handOver()
	case fyne.KeyF12:
		s.openService()
	case fyne.KeyUp:
		s.move(-1)
	case fyne.KeyDown:
		s.move(1)
	case fyne.KeyPageUp:
		s.move(-10)
	case fyne.KeyPageDown:
		s.move(10)
	default:
		return false
	}
	return true
}

// RouteShortcut takes Ctrl+], the GS of a DataMatrix typed by a keyboard-wedge scanner.
func (s *PickupScreen) RouteShortcut(sc fyne.Shortcut) bool {
	if isGSShortcut(sc) && !s.Busy() {
		s.input.TypedRune(barcode.GS)
		return true
	}
	if isCtrlL(sc) && !s.Busy() {
		s.lockScreen() // «Смена кассира»
		return true
	}
	return s.Busy()
}

// RouteRune lets every character through: codes and order numbers are typed as they are.
func (s *PickupScreen) RouteRune(rune, string) bool { return s.Busy() }

func (s *PickupScreen) move(delta int) {
	if s.v != nil {
		s.selLine = min(max(s.selLine+delta, 0), len(s.v.Lines)-1)
		s.lineTable.Refresh()
		s.lineTable.ScrollTo(widget.TableCellID{Row: s.selLine})
		return
	}
	if n := len(s.listing.Orders); n > 0 {
		s.selOrder = min(max(s.selOrder+delta, 0), n-1)
		s.listTable.Refresh()
		s.listTable.ScrollTo(widget.TableCellID{Row: s.selOrder})
	}
}

// submit reads the scan field: with an order open, an item to verify; else the customer's QR, or an order
// number with the phone's last four digits. Enter on an empty field opens the order selected in the list.
func (s *PickupScreen) submit() {
	text := strings.TrimSpace(s.input.Text)
	s.input.SetText("")
	switch {
	case text == "" && s.v == nil && s.selOrder >= 0 && s.selOrder < len(s.listing.Orders):
		s.askPhone(s.listing.Orders[s.selOrder].Number)
	case text == "":
	case s.v != nil && s.desk.IsQR(text):
		if _, scanned, _ := s.v.Counts(); scanned > 0 || s.v.Resume != nil {
			s.setMessage(s.l.T("pk.busy.order", s.v.Order.Number), errorBackground)
			return
		}
		s.find(text)
	case s.v != nil:
		s.scanItem(text)
	default:
		s.find(text)
	}
}

func (s *PickupScreen) find(text string) {
	v, err := s.desk.Find(text)
	if errors.Is(err, pickup.ErrNeedPhone) {
		s.askPhone(strings.Fields(text)[0])
		return
	}
	if err != nil {
		s.fail(err)
		return
	}
	s.open(v)
}

// open puts an order on the desk.
func (s *PickupScreen) open(v *pickup.Verification) {
	s.v, s.selLine = v, 0
	s.redraw()
	if v.Resume != nil {
		s.info(s.l.T("pk.order.resume", v.Order.Number))
		return
	}
	s.info(s.l.T("pk.opened", v.Order.Number))
}

func (s *PickupScreen) scanItem(text string) {
	i, err := s.v.Scan(text)
	if i >= 0 {
		s.selLine = i
		s.lineTable.ScrollTo(widget.TableCellID{Row: i})
	}
	s.redraw()
	if err != nil {
		s.fail(err)
		return
	}
	l := s.v.Lines[i]
	if s.v.Complete() {
		s.info(s.l.T("pk.complete"))
		return
	}
	s.info(s.l.T("pk.scanned", l.Name, l.Scanned.String(), l.ToHand().String()))
}

// askPhone asks for the last four digits of the customer's phone for an order typed or picked by number.
func (s *PickupScreen) askPhone(number string) {
	digits := NewPosEntry(nil)
	digits.SetPlaceHolder("0000")
	prompt := widget.NewLabel(s.l.T("pk.phone.ask", number))
	prompt.Wrapping = fyne.TextWrapWord
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Wrapping = fyne.TextWrapWord
	errLabel.Hide()
	ok := func() {
		v, err := s.desk.FindByNumber(number, digits.Text)
		if err != nil {
			digits.SetText("")
			m := explainPickup(s.l, err)
			errLabel.SetText(m.Text + " " + m.Action)
			errLabel.Show()
			if !errors.Is(err, pickup.ErrWrongPhone) {
				s.closeModal()
				s.fail(err)
			}
			return
		}
		s.closeModal()
		s.open(v)
	}
	digits.Router = enterEsc(ok, s.closeModal)
	body := container.NewVBox(prompt, digits, errLabel, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), ok), widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(s.l.T("pk.phone.title"), body, digits, nil, nil)
}

// openRefuse is F8: the customer does not take (some of) the selected line, with a reason.
func (s *PickupScreen) openRefuse() {
	if s.v == nil || s.selLine < 0 || s.selLine >= len(s.v.Lines) {
		s.info(s.l.T("pk.select.line"))
		return
	}
	i, l := s.selLine, s.v.Lines[s.selLine]
	qty := NewPosEntry(nil)
	qty.SetText(l.Qty.String())
	reason := NewPosEntry(nil)
	reason.SetPlaceHolder(s.l.T("pk.reason.1"))
	reason.SetText(l.Reason)
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Hide()
	ok := func() {
		q, err := pos.ParseQty(strings.TrimSpace(qty.Text))
		if err == nil {
			err = s.v.Refuse(i, q, reason.Text)
		}
		if err != nil {
			errLabel.SetText(explainPickup(s.l, err).Text)
			errLabel.Show()
			return
		}
		s.closeModal()
		s.redraw()
		if s.v.Complete() {
			s.info(s.l.T("pk.complete"))
		} else {
			s.clearMessage()
		}
	}
	qty.Router = keyFunc{key: func(ev *fyne.KeyEvent) bool {
		switch {
		case isEnter(ev):
			s.w.Canvas().Focus(reason)
		case ev.Name == fyne.KeyEscape:
			s.closeModal()
		default:
			return false
		}
		return true
	}}
	reason.Router = reasonKeys{keyFunc: enterEsc(ok, s.closeModal).(keyFunc), preset: func(k rune) {
		reason.SetText(s.l.T("pk.reason." + string(k)))
	}}
	presets := container.NewGridWithColumns(2)
	for _, k := range []string{"1", "2", "3", "4"} {
		presets.Add(widget.NewButton(k+"  "+s.l.T("pk.reason."+k), func() { reason.SetText(s.l.T("pk.reason." + k)); ok() }))
	}
	body := container.NewVBox(widget.NewLabelWithStyle(s.l.T("pk.refuse.line", l.Name, l.Qty.String()+" "+l.Unit.Short()),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(s.l.T("pk.refuse.qty")), qty, widget.NewLabel(s.l.T("pk.refuse.reason")), reason, presets, errLabel,
		buttonRow(widget.NewButton(s.l.T("btn.ok"), ok), widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(s.l.T("pk.refuse.title"), body, qty, nil, nil)
}

// escape clears the scan field, else cancels the open order (after asking when something is scanned).
func (s *PickupScreen) escape() {
	switch {
	case s.input.Text != "":
		s.input.SetText("")
	case s.v == nil:
		s.clearMessage()
	default:
		if _, scanned, refused := s.v.Counts(); scanned == 0 && refused == 0 || s.v.Resume != nil {
			s.closeOrder()
			return
		}
		q := widget.NewLabel(s.l.T("pk.cancel.ask", s.v.Order.Number))
		q.Wrapping = fyne.TextWrapWord
		s.confirm(s.l.T("pk.key.cancel"), q, s.closeOrder)
	}
}

func (s *PickupScreen) closeOrder() {
	s.v = nil
	s.clearMessage()
	s.reload()
}

// showList is F3: back to the waiting orders (only when no order is open).
func (s *PickupScreen) showList() {
	if s.v != nil {
		s.info(s.l.T("pk.busy.order", s.v.Order.Number))
		return
	}
	s.reload()
	s.w.Canvas().Focus(s.input)
}

// reasonKeys are the refusal reason's keys: Enter, Esc, and a digit 1–4 in the empty field for a preset.
type reasonKeys struct {
	keyFunc
	preset func(rune)
}

func (k reasonKeys) RouteRune(r rune, text string) bool {
	if text == "" && r >= '1' && r <= '4' {
		k.preset(r)
		return true
	}
	return false
}
