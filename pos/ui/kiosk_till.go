package ui

import (
	"errors"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
)

// basketErrTexts explain a refused basket QR to the cashier; they go first in errTexts, before the general
// barcode messages.
var basketErrTexts = []errText{
	{checkout.ErrBasketForged, "QR-код корзины не подписан сетью магазинов или повреждён.", "Товары пробейте по одному; если код с экрана телефона — попросите обновить его.",
		"The basket QR is not signed by the chain or is damaged.", "Scan the products one by one; ask the customer to refresh a code on a phone."},
	{checkout.ErrBasketExpired, "Срок действия корзины истёк: её цены больше не действуют.", "Пробейте товары по одному по цене магазина или соберите корзину заново в киоске.",
		"The basket has expired: its prices no longer hold.", "Scan the products at store prices or build the basket again at the kiosk."},
	{checkout.ErrBasketForeignStore, "Корзина собрана для другого магазина.", "Цены другого магазина здесь не действуют: пробейте товары по одному.",
		"The basket was made for another store.", "Another store's prices do not apply here: scan the products one by one."},
	{checkout.ErrBasketRedeemed, "Эта корзина уже в чеке.", "Повторно её добавить нельзя.",
		"This basket is already on the receipt.", "It cannot be added twice."},
	{checkout.ErrBasketUnusable, "Ни один товар корзины нельзя добавить по QR-коду.", "Пробейте товары по одному.",
		"None of the basket's products can be added from its QR.", "Scan the products one by one."},
	{checkout.ErrBasketsOff, "Касса не принимает QR-коды корзин: нет ключей сети.", "Пробейте товары по одному; ключи задаёт администратор ([keys] в настройках).",
		"This till takes no basket QR codes: it has no chain keys.", "Scan the products one by one; an administrator sets the keys ([keys] in the config)."},
}

var basketTillTexts = map[string][2]string{
	"basket.added":   {"Корзина %s: добавлено позиций %d, по цене предложения %d, выгода %s ₽.", "Basket %s: %d lines added, %d at the offer price, saving %s ₽."},
	"basket.ended":   {"Предложение закончилось, цена магазина: %s.", "Offer over, store price: %s."},
	"basket.skipped": {"Пробейте отдельно: %s.", "Scan separately: %s."},
	"basket.marked":  {"%s (маркировка: отсканируйте упаковку)", "%s (marked: scan the pack)"},
	"basket.weigh":   {"%s (взвесьте)", "%s (weigh it)"},
	"basket.unknown": {"%s (нет в каталоге)", "%s (not in the catalog)"},
}

func init() {
	errTexts = append(append([]errText{}, basketErrTexts...), errTexts...)
	for k, v := range basketTillTexts {
		texts[k] = v
	}
}

// showBasket selects the last line a basket QR added and tells the cashier what the basket did: lines
// at the offer price, offers that ended, and products to scan by hand.
func (s *TillScreen) showBasket(res checkout.ScanResult) {
	s.showAdded(res.Line)
	b := res.Basket
	msg := s.l.T("basket.added", b.Basket.ID, len(b.Lines), b.AtOffer, b.Saving.String())
	if len(b.OfferEnded) > 0 {
		msg += " " + s.l.T("basket.ended", strings.Join(b.OfferEnded, ", "))
	}
	if len(b.Skipped) > 0 {
		names := make([]string, len(b.Skipped))
		for i, sk := range b.Skipped {
			name := sk.Name
			if name == "" {
				name = sk.ProductID
			}
			switch {
			case errors.Is(sk.Reason, pos.ErrNeedsMarking):
				names[i] = s.l.T("basket.marked", name)
			case errors.Is(sk.Reason, pos.ErrNeedsWeight):
				names[i] = s.l.T("basket.weigh", name)
			case errors.Is(sk.Reason, pos.ErrProductNotFound):
				names[i] = s.l.T("basket.unknown", name)
			default:
				names[i] = name
			}
		}
		msg += " " + s.l.T("basket.skipped", strings.Join(names, "; "))
	}
	s.info(msg)
}
