package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

// pickList is a keyboard-driven list in a dialog: ↑/↓ move, Enter picks, Esc closes.
type pickList struct {
	list     *widget.List
	selected int
	count    func() int
}

func newPickList(count func() int, text func(i int) string, pick func(i int)) *pickList {
	p := &pickList{count: count}
	p.list = widget.NewList(count,
		func() fyne.CanvasObject {
			return widget.NewLabel("Молоко Простоквашино 3,2% 930 мл — 89,90")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(text(i)) })
	p.list.OnSelected = func(i widget.ListItemID) { p.selected = i; pick(i) }
	return p
}

func (p *pickList) move(d int) {
	n := p.count()
	if n == 0 {
		return
	}
	p.selected = min(max(p.selected+d, 0), n-1)
	p.list.ScrollTo(p.selected)
	p.list.Refresh()
}

func (p *pickList) routeKeys(pick func(i int), esc func(), onType func()) KeyRouter {
	return keyFunc{key: func(ev *fyne.KeyEvent) bool {
		switch {
		case isEnter(ev):
			if p.count() > 0 {
				pick(p.selected)
			}
		case ev.Name == fyne.KeyEscape:
			esc()
		case ev.Name == fyne.KeyUp:
			p.move(-1)
		case ev.Name == fyne.KeyDown:
			p.move(1)
		default:
			return false
		}
		return true
	}}
}

// openSearch is F2: find a product by name, article or barcode and add it (with the n* quantity).
func (s *TillScreen) openSearch() {
	var found []pos.Product
	query := NewPosEntry(nil)
	query.SetPlaceHolder(s.l.T("search.hint"))
	status := widget.NewLabel("")
	var pl *pickList
	var add func(i int)
	add = func(i int) {
		if i < 0 || i >= len(found) {
			return
		}
		s.closeModal()
		p := found[i]
		line, err := s.till.Add(p, s.pendingQty, "")
		if s.askAgeFor(err, func() { add(i) }, nil) { // 18+ (age.go)
			return
		}
		if s.addWeighed(err, func(q pos.Qty) {
			line, err := s.till.Add(p, q, "")
			if err == nil {
				s.selected = line
			}
			s.afterCartChange(err)
		}) {
			return
		}
		if err == nil {
			s.selected = line
		}
		s.afterCartChange(err)
	}
	pl = newPickList(func() int { return len(found) }, func(i int) string {
		p := found[i]
		return p.Name + " — " + p.Price.String() + " ₽/" + p.Unit.Short() + "  [" + p.ID + "]"
	}, add)
	query.OnChanged = func(q string) {
		res, err := s.till.Search(q, 50)
		if err != nil {
			status.SetText(Explain(s.l, err).Text)
			return
		}
		found, pl.selected = res, 0
		status.SetText("")
		if len(res) == 0 && q != "" {
			status.SetText(s.l.T("search.none"))
		}
		pl.list.Refresh()
	}
	query.Router = pl.routeKeys(add, s.closeModal, nil)
	body := container.NewBorder(container.NewVBox(query, status), nil, nil, nil, pl.list)
	sized := container.NewGridWrap(fyne.NewSize(720, 420), body)
	s.showModal(s.l.T("search.title"), sized, query, nil, nil)
}

// openDeferred is F5: the deferred receipts; Enter brings one back (the current one is deferred instead).
func (s *TillScreen) openDeferred() {
	list, err := s.till.DeferredReceipts()
	if err != nil {
		s.fail(err)
		return
	}
	if len(list) == 0 {
		s.info(s.l.T("deferred.none"))
		return
	}
	recall := func(i int) {
		s.closeModal()
		err := s.till.Recall(list[i].ID)
		s.selected = s.till.Cart().Len() - 1
		s.afterCartChange(err)
	}
	pl := newPickList(func() int { return len(list) }, func(i int) string {
		d := list[i]
		var sum pos.Money
		for _, l := range d.Lines {
			if !l.Cancelled {
				sum += l.Price.Times(l.Qty) - l.Discount
			}
		}
		return s.l.T("deferred.item", d.SavedAt.Format("15:04"), len(d.Lines), (sum - d.ReceiptDiscount).String())
	}, recall)
	catcher := NewPosEntry(pl.routeKeys(recall, s.closeModal, nil))
	body := container.NewBorder(catcher, nil, nil, nil, pl.list)
	s.showModal(s.l.T("deferred.title"), container.NewGridWrap(fyne.NewSize(560, 320), body), catcher, nil, nil)
}

// deferReceipt is Shift+F5.
func (s *TillScreen) deferReceipt() {
	total := s.till.Cart().Totals().Total
	if _, err := s.till.Defer(); err != nil {
		s.fail(err)
		return
	}
	s.selected = -1
	s.lastLabel.SetText("")
	s.refresh()
	s.info(s.l.T("deferred.saved", total.String()))
}
