package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

// TestKioskWeighedBasket: bananas scanned by their scale label go into the basket with the label's weight,
// shown in kilograms with a button that takes them out; the basket QR carries the weight in thousandths.
func TestKioskWeighedBasket(t *testing.T) {
	bananas := pos.Product{ID: "200001", Name: "Бананы", PLU: "00001", Price: 14990, VAT: pos.VAT10, Unit: pos.UnitKg}
	r := newKioskRigWith(t, memKioskCatalog{products: []pos.Product{kMilk, bananas}}, fyne.NewSize(1280, 800))
	r.scan("2100001012342") // 1,234 kg × 149,90 = 184,9766: 184,98 ₽
	r.tap(t, "add")
	r.tap(t, "basket")
	if got := r.screen.Basket(); len(got) != 1 || got[0].Qty != 1234 {
		t.Fatalf("basket %+v", got)
	}
	r.has(t, "149,90 ₽/кг × 1,234 кг = 184,98 ₽")
	if b := r.screen.Button("plus.0"); b == nil || b.Visible() {
		t.Error("a weighed line has a \"+\" button")
	}
	r.tap(t, "basket.qr")
	q, err := wire.VerifyBasketQR(r.screen.qrText, func(kid string) ([]byte, bool) { return kioskKey, kid == "k1" }, testNow)
	if err != nil || len(q.Items) != 1 || q.Items[0].Qty != 1234 || q.Items[0].Price != int64(bananas.Price) {
		t.Fatalf("basket QR %+v, %v", q, err)
	}
	r.has(t, "1 шт. на 184,98 ₽")
}
