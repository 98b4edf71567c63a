package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/staff"
)

// maxQtyText is the longest quantity typed before '*' ("99999,999"); longer digits are a code being scanned.
const maxQtyText = 9

// RouteKey is the till's hotkey table (UI.md §5.4) for unmodified keys.
func (s *TillScreen) RouteKey(ev *fyne.KeyEvent) bool {
	if s.gate.Locked() { // the login screen is up: keys belong to its PIN field
		s.gate.focusPad()
		return true
	}
	if s.Busy() {
		return true // the register is printing: keys wait, nothing is lost from the cart
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.submit()
	case fyne.KeyEscape:
		s.input.SetText("")
		s.pendingQty = 0
		s.qtyLabel.SetText("")
		s.clearMessage()
	case fyne.KeyF1:
		s.showHelp()
	case fyne.KeyF2:
		s.openSearch()
	case fyne.KeyF4:
		s.openRefund()
	case fyne.KeyF5:
		s.openDeferred()
	case fyne.KeyF7:
		s.openDiscount(false)
	case fyne.KeyF8, fyne.KeyDelete:
		s.confirmStorno()
	case fyne.KeyF9:
		s.openCustomer() // the loyalty customer; F9 again there is the electronic receipt (loyalty.go)
	case fyne.KeyF12:
		s.openService()
	case fyne.KeyUp:
		s.moveSelection(-1)
	case fyne.KeyDown:
		s.moveSelection(1)
	case fyne.KeyPageUp:
		s.moveSelection(-10)
	case fyne.KeyPageDown:
		s.moveSelection(10)
	case fyne.KeyPlus, fyne.KeyAsterisk:
		// The keypad sends these as runes too; RouteRune acts on the rune so the key is swallowed here.
	default:
		return false
	}
	return true
}

// RouteShortcut handles the modified keys: Shift+F5 defers, Ctrl+F7 discounts the whole receipt.
func (s *TillScreen) RouteShortcut(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	if !ok || s.Busy() {
		return false
	}
	switch {
	case cs.KeyName == fyne.KeyF5 && cs.Modifier == fyne.KeyModifierShift:
		s.deferReceipt()
	case cs.KeyName == fyne.KeyF7 && cs.Modifier == fyne.KeyModifierControl:
		s.openDiscount(true)
	case isCtrlF9(sc):
		s.openRedeem()
	case isCtrlL(sc): // «Смена кассира»
		s.lockScreen()
	case isGSShortcut(sc): // a keyboard-wedge scanner's group separator inside a DataMatrix
		s.input.TypedRune(barcode.GS)
	default:
		return false
	}
	return true
}

// RouteRune takes '*' after a number as "quantity for the next scan" and '+' on an empty line as Подытог.
func (s *TillScreen) RouteRune(r rune, text string) bool {
	if s.Busy() {
		return true
	}
	switch r {
	case '*':
		if q, err := pos.ParseQty(text); err == nil && q > 0 && len(text) <= maxQtyText {
			s.setPendingQty(q)
			s.input.SetText("")
			return true
		}
		return text == ""
	case '+':
		if strings.TrimSpace(text) == "" {
			s.openPayment()
			return true
		}
	case '/':
		if strings.TrimSpace(text) == "" { // the weight on the scale for the next item
			s.weigh(func(q pos.Qty) {
				s.pendingQty = q
				s.qtyLabel.SetText(s.l.T("scale.qty", q.String()))
			})
			return true
		}
	}
	return false
}

func (s *TillScreen) setPendingQty(q pos.Qty) {
	s.pendingQty = q
	s.qtyLabel.SetText(s.l.T("qty.pending", q.String()))
}

// submit handles Enter on the input line: "code", "n*code", or "n*" alone to change the selected line.
func (s *TillScreen) submit() {
	text := strings.TrimSpace(s.input.Text)
	s.input.SetText("")
	// A '*' further in is data: GS1 serials and crypto tails of marking codes may hold one.
	if qtyText, code, ok := strings.Cut(text, "*"); ok && len(qtyText) <= maxQtyText {
		q, err := pos.ParseQty(qtyText)
		if err != nil || q <= 0 {
			s.fail(pos.ErrBadQuantity)
			return
		}
		s.setPendingQty(q)
		text = strings.TrimSpace(code)
	}
	if s.till.IsReceiptQR(text) { // the customer's receipt: a return
		s.gate.guarded(staff.ActRefund, staff.Context{Detail: "QR"}, func() { s.refundByQR(text) })
		return
	}
	if code := s.wedgeText(text, false); s.till.IsLoyaltyCode(code) { // a loyalty card or the app's code
		s.recognise(code)
		return
	}
	if text == "" {
		if s.pendingQty > 0 && s.selected >= 0 {
			err := s.till.SetQty(s.selected, s.pendingQty)
			s.afterCartChange(err)
		}
		return
	}
	s.scan(text)
}

func (s *TillScreen) scan(text string) {
	text = s.wedgeText(text, false)
	res, err := s.till.Scan(text, s.pendingQty)
	if s.askAgeFor(err, func() { s.scan(text) }, s.basketWithoutAge(err, text)) || // 18+ (age.go)
		s.addWeighed(err, func(q pos.Qty) { s.pendingQty = q; s.scan(text) }) || s.askMarkingFor(err) {
		return
	}
	if err != nil {
		s.fail(err)
		return
	}
	if res.Basket != nil { // a basket QR from the kiosk, the web shop or the app (kiosk_till.go)
		s.showBasket(res)
		return
	}
	s.showAdded(res.Line)
}

// showAdded selects the line a scan added or changed and shows it as the last item.
func (s *TillScreen) showAdded(line int) {
	s.selected = line
	l := s.till.Cart().Lines()[line]
	s.lastLabel.SetText(s.l.T("last", l.Name, l.Price.String(), l.Qty.String()+" "+l.Unit.Short()))
	s.afterCartChange(nil)
	s.customerLine(l, s.till.Cart().Totals().Total)
}

// afterCartChange resets the one-shot input state and redraws.
func (s *TillScreen) afterCartChange(err error) {
	s.pendingQty = 0
	s.qtyLabel.SetText("")
	if s.askMarkingFor(err) { // a marked product picked in search: its code is asked for
		s.refresh()
		return
	}
	if err != nil {
		s.fail(err)
	} else {
		s.clearMessage()
	}
	s.refresh()
}
