package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/kiosk"
)

// addToBasket puts one piece of the card's product in the visit's basket.
func (s *KioskScreen) addToBasket() {
	s.notice = s.basketNote(s.session.Add(s.card))
	if s.notice == "" {
		s.notice = s.l.T("kiosk.added", s.card.Product.Name)
	}
	s.render()
}

func (s *KioskScreen) openBasket() {
	if s.view != kioskBasket && s.view != kioskBasketQR {
		s.prev = s.view
	}
	s.notice = ""
	s.show(kioskBasket)
}

// basketView lists the basket with ± per product, what it costs at its prices and what it saves.
func (s *KioskScreen) basketView() fyne.CanvasObject {
	lines := s.session.Lines()
	items := []fyne.CanvasObject{label(s.l.T("kiosk.basket.title"), theme.SizeNameHeadingText, true)}
	if s.notice != "" {
		items = append(items, panel(kioskStoreBox, label(s.notice, theme.SizeNameText, true)))
	}
	if len(lines) == 0 {
		items = append(items, label(s.l.T("kiosk.basket.empty"), theme.SizeNameText, false))
		return container.NewVScroll(container.NewPadded(container.NewVBox(items...)))
	}
	for i, l := range lines {
		id := l.Product.ID
		price := s.l.T("kiosk.basket.line", l.Price.String(), int(l.Qty/pos.QtyOne), l.Sum().String())
		if l.Product.Weighed() {
			price = s.l.T("kiosk.basket.kg", l.Price.String(), l.Qty.String(), l.Sum().String())
		}
		if l.Price < l.Product.Price {
			price += "   (" + s.l.T("kiosk.basket.store", l.Product.Price.String()) + ")"
		}
		n := string(rune('0' + i%10))
		if i >= 10 {
			n = "1" + n
		}
		minus := s.button("minus."+n, "−", widget.MediumImportance, func() { s.setQty(id, l.Qty-pos.QtyOne) })
		plus := s.button("plus."+n, "+", widget.MediumImportance, func() { s.setQty(id, l.Qty+pos.QtyOne) })
		if l.Product.Weighed() { // its weight is the labels': "−" takes it out, another label adds to it
			minus = s.button("minus."+n, "×", widget.MediumImportance, func() { s.setQty(id, 0) })
			plus.Hide()
		}
		row := container.NewBorder(nil, nil, nil, container.NewHBox(minus, plus),
			container.NewVBox(label(basketName(l.Product), theme.SizeNameText, true), label(price, theme.SizeNameText, false)))
		items = append(items, panel(kioskStoreBox, row))
	}
	b := s.session.Basket()
	items = append(items, inset(s.big(s.l.T("kiosk.basket.totals", b.Total().String()), 40, kioskInk)))
	if save := b.StoreTotal() - b.Total(); save > 0 {
		items = append(items, inset(s.big(s.l.T("kiosk.basket.saving", save.String()), 28, kioskGreen)))
	}
	qr := s.button("basket.qr", s.l.T("kiosk.basket.qr"), widget.HighImportance, s.makeBasketQR)
	if !s.k.CanSign() {
		qr.Disable()
		items = append(items, label(s.l.T("kiosk.qr.nosign"), theme.SizeNameText, false))
	}
	actions := container.NewGridWithColumns(3, qr,
		s.button("basket.online", s.l.T("kiosk.continue"), widget.MediumImportance, s.continueBasket),
		s.button("basket.clear", s.l.T("kiosk.basket.clear"), widget.LowImportance, s.clearBasket))
	return container.NewBorder(nil, container.NewPadded(actions), nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(items...))))
}

// basketName is a basket line's product, with its age sign: the till checks the buyer's age for it.
func basketName(p pos.Product) string {
	if p.AgeRestricted() {
		return p.Name + " · " + ageMark(p)
	}
	return p.Name
}

func (s *KioskScreen) setQty(id string, q pos.Qty) {
	s.notice = s.basketNote(s.session.SetQty(id, q))
	s.render()
}

// basketNote says why the basket refused a change, "" when it took it.
func (s *KioskScreen) basketNote(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, kiosk.ErrBasketFull):
		return s.l.T("kiosk.full", kiosk.MaxBasketLines)
	case errors.Is(err, kiosk.ErrLineQty):
		return s.l.T("kiosk.maxqty", int(kiosk.MaxLineQty/pos.QtyOne))
	case s.card.Product.Marked:
		return s.l.T("kiosk.basket.marked")
	}
	return s.l.T("kiosk.basket.weighlabel")
}

func (s *KioskScreen) clearBasket() {
	s.session.Clear()
	s.render()
}

func (s *KioskScreen) continueBasket() {
	u, err := s.session.OnlineURL()
	if err != nil {
		return
	}
	s.prev = kioskBasket
	s.onlineURL, s.onlineBasket = u, true
	s.show(kioskOnline)
}

// makeBasketQR signs the basket for the store's tills and shows it.
func (s *KioskScreen) makeBasketQR() {
	b, payload, err := s.session.QR()
	if err != nil {
		s.message = [2]string{s.l.T("kiosk.error"), s.l.T("kiosk.qr.nosign")}
		s.show(kioskMessage)
		return
	}
	s.basketQR, s.qrText, s.printNote = b, payload, ""
	s.show(kioskBasketQR)
}

// basketQRView shows the signed basket to take to the till, and prints it when a printer is there.
func (s *KioskScreen) basketQRView() fyne.CanvasObject {
	b := s.basketQR
	n := 0
	for _, l := range b.Items {
		if l.Product.Weighed() {
			n++ // a weighed product counts as one
			continue
		}
		n += int(l.Qty / pos.QtyOne)
	}
	items := []fyne.CanvasObject{layout.NewSpacer(),
		label(s.l.T("kiosk.qr.title"), theme.SizeNameHeadingText, true),
		label(s.l.T("kiosk.qr.summary", n, b.Total().String()), theme.SizeNameSubHeadingText, true),
		label(s.l.T("kiosk.qr.until", b.Expires.In(time.Local).Format("02.01 15:04")), theme.SizeNameText, false),
	}
	if s.printNote != "" {
		items = append(items, panel(kioskOnlineBox, label(s.printNote, theme.SizeNameText, true)))
	}
	items = append(items, layout.NewSpacer())
	var actions []fyne.CanvasObject
	if s.d.Print != nil {
		p := s.button("print", s.l.T("kiosk.qr.print"), widget.MediumImportance, s.printBasket)
		if s.printing {
			p.Disable()
		}
		actions = append(actions, p)
	}
	actions = append(actions, s.button("done", s.l.T("kiosk.qr.done"), widget.HighImportance, s.reset))
	return container.NewBorder(nil, container.NewPadded(container.NewGridWithColumns(len(actions), actions...)),
		container.NewPadded(s.showQR(s.qrText, 520)), nil, container.NewVBox(items...))
}

// printBasket prints the slip off the UI goroutine; the screen says when to take it.
func (s *KioskScreen) printBasket() {
	b, payload := s.basketQR, s.qrText
	s.printNote, s.printing = s.l.T("kiosk.qr.printing"), true
	s.jobs.Add(1)
	s.render()
	go func() {
		err := s.d.Print(s.ctx, b, payload)
		fyne.Do(func() {
			defer s.jobs.Add(-1)
			s.printing = false
			if s.view != kioskBasketQR || s.basketQR.ID != b.ID {
				return // the customer moved on
			}
			s.printNote = s.l.T("kiosk.qr.printed")
			if err != nil {
				s.printNote = s.l.T("kiosk.qr.printfail")
			}
			s.render()
		})
	}()
}
