package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
)

// askBasketPacks asks, one pack after the other, for the marking code of each marked pack a basket QR
// holds, the way a marked product scanned alone asks for its code (marking.go): a wrong scan keeps the
// prompt with the reason; each good one adds the pack at the basket's price. Esc stops, telling how many
// packs are left to scan separately at the store's price.
func (s *TillScreen) askBasketPacks(basket string, units []checkout.BasketUnit, i int) {
	if i >= len(units) {
		return
	}
	u := units[i]
	entry := NewPosEntry(nil)
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	add := func() {
		text := s.wedgeText(entry.Text, true)
		entry.SetText("")
		res, err := s.till.ScanBasketMarking(u, text)
		if err != nil {
			m := Explain(s.l, err)
			status.SetText(m.Text + " " + m.Action)
			return
		}
		s.closeModal()
		s.showAdded(res.Line)
		s.askBasketPacks(basket, units, i+1)
	}
	cancel := func() {
		s.closeModal()
		s.info(s.l.T("basket.packs.left", len(units)-i))
	}
	entry.Router = keyFunc{
		key: func(ev *fyne.KeyEvent) bool {
			switch {
			case isEnter(ev):
				add()
			case ev.Name == fyne.KeyEscape:
				cancel()
			default:
				return false
			}
			return true
		},
		shortcut: func(sc fyne.Shortcut) bool {
			if isGSShortcut(sc) {
				entry.TypedRune(barcode.GS)
				return true
			}
			return false
		},
	}
	prompt := widget.NewLabelWithStyle(s.l.T("basket.pack", basket, i+1, len(units), u.Product.Name),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	prompt.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(s.l.T("marking.hint"))
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(prompt, hint, entry, status, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), add), widget.NewButton(s.l.T("btn.cancel"), cancel)))
	s.showModal(s.l.T("marking.title"), body, entry, nil, nil)
}
