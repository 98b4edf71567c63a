package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/loyalty"
)

// loyaltyPanel is the recognised customer under the totals (UI.md §5.1 "Покупатель"), across the window in
// two lines so the cart keeps its room: masked name, tier and how they were recognised, with the redemption button; then
// the points, what this receipt spends and earns, the offline limit and the personal offers. Hidden
// without a customer.
type loyaltyPanel struct {
	box    *fyne.Container
	who    *widget.Label
	detail *widget.Label
	redeem *widget.Button
}

func (s *TillScreen) newLoyaltyPanel() *loyaltyPanel {
	p := &loyaltyPanel{
		who:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel(""),
	}
	p.detail.Truncation = fyne.TextTruncateEllipsis // the offers give way first: they come last
	p.redeem = widget.NewButton(s.l.T("customer.redeem"), func() { s.openRedeem(); s.focusInput() })
	p.box = container.NewPadded(container.NewVBox(container.NewHBox(p.who, p.redeem), p.detail))
	p.box.Hide()
	return p
}

// showLoyalty draws the panel from the till (which fits the points to the receipt first). UI goroutine.
func (s *TillScreen) showLoyalty() {
	p := s.loyalty
	q, ok := s.till.Loyalty()
	if !ok {
		p.box.Hide()
		return
	}
	c := q.Customer
	who := []string{s.l.T("loyalty.name", c.DisplayName())}
	if tier := s.tierName(c.Tier); tier != "" {
		who = append(who, tier)
	}
	switch c.Via {
	case loyalty.ViaCard:
		who = append(who, s.l.T("loyalty.card", c.MaskedCard()))
	case loyalty.ViaPhone:
		who = append(who, s.l.T("loyalty.phone", c.MaskedPhone()))
	case loyalty.ViaAppQR:
		who = append(who, s.l.T("loyalty.app"))
	}
	p.who.SetText(strings.Join(who, " · "))
	pts := s.l.T("loyalty.balance", c.Balance.String(), c.Available().String())
	if c.Pending > 0 {
		pts += s.l.T("loyalty.pending", c.Pending.String())
	}
	detail := []string{pts}
	if q.Redeemed > 0 {
		detail = append(detail, s.l.T("loyalty.redeemed", q.Redeemed.String()))
	}
	detail = append(detail, s.l.T("loyalty.earn", q.Earn.String(), q.Rate.String()))
	switch {
	case q.Offline && q.Rules.OfflineLimit > 0:
		detail = append(detail, s.l.T("loyalty.offline", q.Rules.OfflineLimit.String()))
	case q.Offline:
		detail = append(detail, s.l.T("loyalty.offline.none"))
	}
	detail = append(detail, s.offerTexts(q)...)
	p.detail.SetText(strings.Join(detail, " · "))
	p.detail.Importance = widget.MediumImportance
	if q.Offline {
		p.detail.Importance = widget.WarningImportance
	}
	switch {
	case q.Redeemed > 0:
		p.redeem.SetText(s.l.T("customer.giveback"))
	case q.CanRedeem > 0:
		p.redeem.SetText(s.l.T("customer.redeem.upto", q.CanRedeem.String()))
	default:
		p.redeem.SetText(s.l.T("customer.redeem"))
	}
	p.box.Show()
	p.box.Refresh()
}

func (s *TillScreen) tierName(tier string) string {
	key := "tier." + strings.ToLower(strings.TrimSpace(tier))
	if _, ok := texts[key]; ok {
		return s.l.T(key)
	}
	return tier
}

// recognise is a card or app code scanned into the input line: the customer joins the receipt.
func (s *TillScreen) recognise(text string) {
	c, err := s.till.IdentifyCustomer(text)
	if err != nil {
		s.fail(err)
		return
	}
	s.welcome(c)
}

// welcome says who was recognised, on the message line and the customer display.
func (s *TillScreen) welcome(c loyalty.Customer) {
	s.refresh()
	msg := s.l.T("customer.found", c.DisplayName(), c.Available().String())
	if q, ok := s.till.Loyalty(); ok && s.offersMessage(q) != "" {
		msg += " · " + s.offersMessage(q)
	}
	s.info(msg)
	s.showCustomer(displayLine(s.l.T("display.hello"), ""), displayLine(c.DisplayName(), c.Available().String()))
}

// openCustomer is F9: the customer dialog. Scan the card or the app's code into it, or type the phone
// (the keypad, or the on-screen digits of a touch till); F9 again is the electronic receipt.
func (s *TillScreen) openCustomer() {
	entry := NewPosEntry(nil)
	entry.SetPlaceHolder("+7 900 000-00-01 · 2700000000014")
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	find := func() {
		text := s.wedgeText(strings.TrimSpace(entry.Text), false)
		if text == "" {
			return
		}
		entry.SetText("")
		c, err := s.till.IdentifyCustomer(text)
		if err != nil {
			m := Explain(s.l, err)
			status.SetText(m.Text + " " + m.Action)
			return
		}
		s.closeModal()
		s.welcome(c)
	}
	ereceipt := func() { s.openBuyer(nil) }
	redeem := func() { s.closeModal(); s.openRedeem() }
	entry.Router = keyFunc{
		key: func(ev *fyne.KeyEvent) bool {
			switch {
			case isEnter(ev):
				find()
			case ev.Name == fyne.KeyEscape:
				s.closeModal()
			case ev.Name == fyne.KeyF9:
				ereceipt()
			default:
				return false
			}
			return true
		},
		shortcut: func(sc fyne.Shortcut) bool {
			if isCtrlF9(sc) {
				redeem()
				return true
			}
			return false
		},
	}
	prompt := widget.NewLabelWithStyle(s.l.T("customer.prompt"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	prompt.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(prompt, entry, s.numpad(entry), status)
	if c, ok := s.till.Customer(); ok {
		current := widget.NewLabel(s.l.T("customer.current", c.DisplayName()))
		actions := []*widget.Button{widget.NewButton(s.l.T("customer.redeem"), redeem)}
		if c.Phone != "" { // the customer asks for the receipt on the phone they dictated
			actions = append(actions, widget.NewButton(s.l.T("customer.phone.send"), func() {
				if err := s.till.UseCustomerPhone(); err != nil {
					status.SetText(Explain(s.l, err).Text)
					return
				}
				s.closeModal()
				s.showBuyer()
				s.info(s.l.T("buyer.set", c.MaskedPhone()))
			}))
		}
		actions = append(actions, widget.NewButton(s.l.T("customer.forget"), func() {
			s.till.ForgetCustomer()
			s.closeModal()
			s.refresh()
			s.info(s.l.T("customer.forgotten"))
		}))
		body.Add(current)
		body.Add(buttonRow(actions...))
	}
	body.Add(buttonRow(widget.NewButton(s.l.T("customer.find"), find), widget.NewButton(s.l.T("customer.ereceipt"), ereceipt),
		widget.NewButton(s.l.T("btn.close"), s.closeModal)))
	s.showModal(s.l.T("customer.title"), body, entry, nil, nil)
}

// numpad is the on-screen digits for typing a phone on a touch till.
func (s *TillScreen) numpad(e *PosEntry) fyne.CanvasObject {
	grid := container.NewGridWithColumns(6)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "+7", "0", s.l.T("customer.backspace")} {
		key := k
		grid.Add(widget.NewButton(key, func() {
			if key == s.l.T("customer.backspace") {
				if r := []rune(e.Text); len(r) > 0 {
					e.SetText(string(r[:len(r)-1]))
				}
			} else {
				e.SetText(e.Text + key)
			}
			s.w.Canvas().Focus(e)
		}))
	}
	return grid
}

// openRedeem is Ctrl+F9: spend the customer's points on this receipt, or give them back when spent.
func (s *TillScreen) openRedeem() {
	q, ok := s.till.Loyalty()
	switch {
	case !ok:
		s.fail(loyalty.ErrNoCustomer)
		return
	case s.till.Cart().Empty():
		s.fail(pos.ErrEmptyCart)
		return
	case q.Redeemed > 0:
		s.confirm(s.l.T("redeem.title"), s.l.T("redeem.giveback", q.Redeemed.String()), func() {
			s.till.CancelRedemption()
			s.refresh()
			s.info(s.l.T("redeem.givenback", s.till.Cart().Totals().Total.String()))
		})
		return
	case q.CanRedeem <= 0:
		_, err := s.till.RedeemPoints(0) // says why
		s.fail(err)
		return
	}
	rules := q.Rules
	extra := ""
	if rules.Step >= 100 && rules.Step%100 == 0 {
		extra += s.l.T("redeem.rules.step")
	}
	if q.Offline {
		extra += s.l.T("redeem.rules.offline", rules.OfflineLimit.String())
	}
	amount := NewPosEntry(nil)
	amount.SetPlaceHolder(q.CanRedeem.String())
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	apply := func() {
		var v pos.Money
		if t := strings.TrimSpace(amount.Text); t != "" {
			var err error
			if v, err = pos.ParseMoney(t); err != nil || v <= 0 {
				s.flashEntryError(amount, pos.ErrBadAmount)
				return
			}
		}
		got, err := s.till.RedeemPoints(v)
		if err != nil {
			amount.SetText("")
			m := Explain(s.l, err)
			status.SetText(m.Text + " " + m.Action)
			return
		}
		s.closeModal()
		s.refresh()
		total := s.till.Cart().Totals().Total
		s.info(s.l.T("redeem.done", got.String(), total.String()))
		s.showCustomer(displayLine(s.l.T("display.points.redeem"), "-"+got.String()), displayLine(s.l.T("display.total"), total.String()))
	}
	amount.Router = enterEsc(apply, s.closeModal)
	c := q.Customer
	who := widget.NewLabelWithStyle(s.l.T("redeem.who", c.DisplayName(), c.Balance.String(), q.CanRedeem.String()),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.Wrapping = fyne.TextWrapWord
	terms := widget.NewLabel(s.l.T("redeem.rules", rules.RedeemShare.String(), extra))
	terms.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(who, terms, widget.NewLabel(s.l.T("redeem.amount", q.CanRedeem.String())), amount, status,
		buttonRow(widget.NewButton(s.l.T("btn.ok"), apply), widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(s.l.T("redeem.title"), body, amount, nil, nil)
}

// isCtrlF9 is the redemption key.
func isCtrlF9(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyF9 && cs.Modifier == fyne.KeyModifierControl
}
