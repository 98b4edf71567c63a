package ui

import (
	"github.com/kassa-pos/kassa/pos/checkout"
)

// askBasketPacks asks, one pack after the other, for the marking code of each marked pack a basket QR
// holds, with the prompt a marked product scanned alone uses (askCode, marking.go): a wrong scan keeps the
// prompt with the reason; each good one adds the pack at the basket's price. Esc stops, telling how many
// packs are left to scan separately at the store's price.
func (s *TillScreen) askBasketPacks(basket string, units []checkout.BasketUnit, i int) {
	if i >= len(units) {
		return
	}
	u := units[i]
	s.askCode(s.l.T("basket.pack", basket, i+1, len(units), u.Product.Name),
		func(text string) (checkout.ScanResult, error) { return s.till.ScanBasketMarking(u, text) },
		func() { s.askBasketPacks(basket, units, i+1) },
		func() { s.info(s.l.T("basket.packs.left", len(units)-i)) })
}
