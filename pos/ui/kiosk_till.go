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
	{checkout.ErrBasketPrice, "Цены в QR-коде корзины ниже любых действующих предложений сети.", "Корзину не принимайте: пробейте товары по одному по цене магазина и сообщите администратору — киоск мог быть взломан.",
		"The basket QR's prices are below every valid offer of the chain.", "Do not accept the basket: scan the products at store prices and tell an administrator: the kiosk may be compromised."},
	{checkout.ErrBasketKeyPurpose, "QR-код корзины подписан ключом, которым нельзя подписывать корзины.", "Пробейте товары по одному и сообщите администратору: это может быть подделка.",
		"The basket QR is signed with a key that may not sign baskets.", "Scan the products one by one and tell an administrator: it may be a forgery."},
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
	"basket.price":   {"%s (цена ниже допустимой — только по цене магазина)", "%s (price below any valid offer: store price only)"},
	"basket.packs":   {"Маркированных упаковок в корзине: %d — отсканируйте код каждой.", "Marked packs in the basket: %d: scan each one's code."},
	"basket.pack":    {"Корзина %s: упаковка %d из %d — «%s»", "Basket %s: pack %d of %d: %s"},
	"basket.packs.left": {"Не пробито маркированных упаковок корзины: %d. Их можно пробить отдельно по цене магазина.",
		"Marked packs of the basket not scanned: %d. They can be scanned separately at the store price."},
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
	if res.Line >= 0 {
		s.showAdded(res.Line)
	} else { // only marked packs, asked for below
		s.afterCartChange(nil)
	}
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
			case s.ageSkipped(name, sk.Reason) != "":
				names[i] = s.ageSkipped(name, sk.Reason)
			case errors.Is(sk.Reason, checkout.ErrBasketPrice):
				names[i] = s.l.T("basket.price", name)
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
	if len(b.Marked) > 0 {
		msg += " " + s.l.T("basket.packs", len(b.Marked))
	}
	s.info(msg)
	if len(b.Marked) > 0 {
		s.askBasketPacks(b.Basket.ID, b.Marked, 0)
	}
}
