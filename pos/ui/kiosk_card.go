package ui

import (
	"image/color"
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

// cardView is the product (UI.md §5.2): its name, the store's price beside the online one with its exact
// conditions, stock here and nearby, what the till will ask, related products and what the customer can
// do next. It fits one 1280×800 screen in the kiosk's type (TestKioskCardFitsTheScreen); only the
// customer's "Aa+" may need the scroll. Text blocks keep their type size but lose the button-sized margins
// (kioskDense): the margins, not the type, pushed the card below the fold.
func (s *KioskScreen) cardView() fyne.CanvasObject {
	c := s.card
	p := c.Product
	parts := []fyne.CanvasObject{s.dense(label(p.Name, theme.SizeNameHeadingText, true)),
		container.New(&splitLayout{first: 0.42}, s.storeBox(c), s.onlineBox(c))}
	if notes := s.cardNotes(c); notes != nil {
		parts = append(parts, notes)
	}
	if len(c.Related) > 0 {
		var rel []fyne.CanvasObject
		chars := s.relatedChars()
		for i, r := range c.Related {
			rel = append(rel, s.button("rel."+string(rune('0'+i)), shortName(r.Product.Name, chars)+" · "+money(r.Basket),
				widget.MediumImportance, func() { s.showRelated(r.Product) }))
		}
		parts = append(parts, s.dense(label(s.l.T("kiosk.related"), theme.SizeNameText, true)),
			container.NewThemeOverride(container.NewGridWithColumns(min(len(rel), s.relatedColumns()), rel...),
				&kioskDense{kioskTheme: s.theme, pad: kioskSizes[theme.SizeNameInnerPadding], text: kioskRelatedText}))
	}
	add := s.button("add", s.l.T("kiosk.add"), widget.HighImportance, s.addToBasket)
	if !c.Sellable {
		add.Disable()
	}
	actions := container.NewGridWithColumns(3, add,
		s.button("continue", s.l.T("kiosk.continue"), widget.MediumImportance, s.continueProduct),
		s.button("staff", s.l.T("kiosk.staff"), widget.MediumImportance, s.callStaff))
	return container.NewBorder(nil, container.NewPadded(actions), nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(parts...))))
}

// relatedColumns is how many related products' buttons share a row: three, two in the larger type.
func (s *KioskScreen) relatedColumns() int {
	if s.Larger() {
		return 2
	}
	return 3
}

// relatedChars is how much of a related product's name its button shows: 22 characters in a third of a
// 1280 px screen, more on a wider one or two a row, fewer in the larger type.
func (s *KioskScreen) relatedChars() int {
	w := s.w.Canvas().Size().Width
	if w <= 0 {
		w = 1280
	}
	n := int(22 * w / 1280 * 3 / float32(s.relatedColumns()) / s.theme.scale)
	return min(max(n, 16), 60)
}

// kioskRelatedText is the type size of the related products' buttons: three fit a row.
const kioskRelatedText = 21

// cardNotes is one row under the prices: that the till checks the buyer's age (at its own width, on the
// left), then what the customer's last tap did, or else what the till does with the product (weigh it,
// scan its marking code) or that a basket gets the online price; nil when none applies.
func (s *KioskScreen) cardNotes(c kiosk.Card) fyne.CanvasObject {
	p := c.Product
	var age, note fyne.CanvasObject
	if p.AgeRestricted() {
		badge := container.NewStack(roundRect(kioskRed), container.New(layout.NewCustomPaddedLayout(0, 0, 10, 10),
			s.big(ageMark(p), 28, kioskWhite)))
		till := label(s.l.T("kiosk.age.till"), theme.SizeNameText, true)
		till.Wrapping = fyne.TextWrapOff
		age = panel(kioskAgeBox, container.NewVBox(layout.NewSpacer(),
			container.NewHBox(container.NewCenter(badge), s.dense(till)), layout.NewSpacer()))
	}
	switch {
	case s.notice != "": // what the customer's tap did ("added to the basket", "an assistant is coming")
		note = panel(kioskOnlineBox, s.dense(label(s.notice, theme.SizeNameText, true)))
	case p.Weighed():
		note = panel(kioskStoreBox, s.dense(label(s.l.T("kiosk.basket.weighed"), theme.SizeNameText, false)))
	case p.Marked:
		note = panel(kioskStoreBox, s.dense(label(s.l.T("kiosk.basket.marked"), theme.SizeNameText, false)))
	case c.Basket < p.Price && s.k.CanSign():
		note = panel(kioskOnlineBox, s.dense(label(s.l.T("kiosk.basket.offer", c.Basket.String()), theme.SizeNameText, true)))
	}
	switch {
	case age == nil && note == nil:
		return nil
	case note == nil:
		return container.NewBorder(nil, nil, age, nil)
	}
	return container.NewBorder(nil, nil, age, nil, note)
}

// ageMark is the product's age sign: "18+".
func ageMark(p pos.Product) string { return itoa(int(p.AgeLimit)) + "+" }

// storeBox is the store's side: the price at the shelf and the till, stock here and in nearby stores.
func (s *KioskScreen) storeBox(c kiosk.Card) fyne.CanvasObject {
	p := c.Product
	items := []fyne.CanvasObject{label(s.l.T("kiosk.instore"), theme.SizeNameSubHeadingText, true),
		s.price(p.Price, p, kioskInk), label(s.l.T("kiosk.store.cond"), theme.SizeNameText, false)}
	if c.HasOffer {
		stock := s.l.T("kiosk.stock.none")
		if c.Offer.StockHere > 0 {
			stock = s.l.T("kiosk.stock.here", qtyUnit(c.Offer.StockHere, p.Unit))
		}
		items = append(items, label(stock, theme.SizeNameText, c.Offer.StockHere <= 0))
		if len(c.Offer.Nearby) > 0 {
			stores := make([]string, len(c.Offer.Nearby))
			for i, n := range c.Offer.Nearby {
				stores[i] = s.l.T("kiosk.stock.store", n.Name, qtyUnit(n.Qty, p.Unit))
			}
			items = append(items, label(s.l.T("kiosk.stock.nearby")+" "+strings.Join(stores, "; "), theme.SizeNameText, false))
		}
	}
	return panel(kioskStoreBox, s.dense(container.NewVBox(items...)))
}

// onlineBox is the online side: the final online price, an online-only discount, the difference to the
// store's price, and exactly when the price applies (UI.md §6.11: a published price is a public offer).
func (s *KioskScreen) onlineBox(c kiosk.Card) fyne.CanvasObject {
	title := label(s.l.T("kiosk.online"), theme.SizeNameSubHeadingText, true)
	title.Wrapping = fyne.TextWrapOff // beside the verdict a wrapped label would shrink to a letter a line
	o := c.Offer
	if !c.HasOffer || o.OnlinePrice <= 0 {
		return panel(kioskStoreBox, s.dense(container.NewVBox(title, label(s.l.T("kiosk.online.none"), theme.SizeNameText, false))))
	}
	var verdict fyne.CanvasObject
	switch d := c.Cheaper(); {
	case d > 0:
		verdict = s.big(s.l.T("kiosk.online.cheaper", d.String()), 28, kioskGreen)
	case d < 0:
		verdict = s.big(s.l.T("kiosk.online.dearer", (-d).String()), 28, kioskRed)
	default:
		verdict = s.big(s.l.T("kiosk.online.same"), 24, kioskInk)
	}
	// The verdict sits on the title's line, level with it: the box's height is the card's tightest budget.
	head := container.NewBorder(nil, nil, title, insetBy(container.NewVBox(layout.NewSpacer(), verdict, layout.NewSpacer()), kioskDensePad))
	items := []fyne.CanvasObject{head, s.price(o.OnlineFinal(), c.Product, kioskGreen)}
	if o.OnlineDiscount > 0 {
		items = append(items, label(s.l.T("kiosk.online.was", o.OnlinePrice.String(), o.OnlineDiscount.String()), theme.SizeNameText, false))
	}
	cond := s.l.T("kiosk.online.cond")
	if !o.ValidUntil.IsZero() {
		cond += ". " + s.l.T("kiosk.online.until", o.ValidUntil.In(time.Local).Format("02.01.2006"))
	}
	items = append(items, label(cond, theme.SizeNameText, false))
	if o.StockOnline > 0 {
		items = append(items, label(s.l.T("kiosk.stock.online", qtyUnit(o.StockOnline, c.Product.Unit)), theme.SizeNameText, false))
	}
	return panel(kioskOnlineBox, s.dense(container.NewVBox(items...)))
}

// price is a box's big price with its unit beside it.
func (s *KioskScreen) price(m pos.Money, p pos.Product, c color.Color) fyne.CanvasObject {
	unit := label(s.perUnit(p), theme.SizeNameCaptionText, false)
	unit.Wrapping = fyne.TextWrapOff
	return container.NewHBox(insetBy(s.big(money(m), 60, c), kioskDensePad), container.NewVBox(layout.NewSpacer(), unit))
}

// dense gives o the kiosk's type with tight margins (kioskDense).
func (s *KioskScreen) dense(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(o, &kioskDense{kioskTheme: s.theme, pad: kioskDensePad})
}

func roundRect(c color.Color) *canvas.Rectangle {
	r := canvas.NewRectangle(c)
	r.CornerRadius = 8
	return r
}

// splitLayout puts two objects side by side, the first taking its share of the width, both as tall as the
// taller: the online box holds more text than the store's and gets the wider column.
type splitLayout struct{ first float32 }

func (l *splitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	pad := kioskSizes[theme.SizeNamePadding]
	w := (size.Width - pad) * l.first
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+pad, 0))
	objs[1].Resize(fyne.NewSize(size.Width-w-pad, size.Height))
}

func (l *splitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) != 2 {
		return fyne.Size{}
	}
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+b.Width+kioskSizes[theme.SizeNamePadding], max(a.Height, b.Height))
}
