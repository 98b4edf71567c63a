package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/kiosk"
)

var (
	kBeer = pos.Product{ID: "100156", Name: "Пиво Жигули Барное светлое 4,9% 0,45 л", Barcodes: []string{"4676055384882"},
		Price: 8990, VAT: pos.VAT22, AgeLimit: 18}
	kWater = pos.Product{ID: "100003", Name: "Вода питьевая Святой Источник негазированная 1,5 л", Barcodes: []string{"4602222222220"},
		Price: 6490, VAT: pos.VAT22}
	kCigarettes = pos.Product{ID: "100306", Name: "Сигареты Winston Blue", Barcodes: []string{"4671848078269"}, Price: 21900,
		VAT: pos.VAT22, Marked: true, AgeLimit: 18}
)

// fullCatalog gives every card the most the demo offers show: an online-only discount with its validity,
// three nearby stores, three related products, and an 18+ product.
func fullCatalog() memKioskCatalog {
	nearby := []kiosk.StoreStock{{Store: "s2", Name: "ТЦ «Мега», Тёплый Стан", Qty: 7000},
		{Store: "s3", Name: "ул. Ленина, 12", Qty: 15000}, {Store: "s4", Name: "пр. Мира, 45", Qty: 3000}}
	offer := func(related ...string) kiosk.Offer {
		return kiosk.Offer{OnlinePrice: 9990, OnlineDiscount: 1000, StockHere: 17000, StockOnline: 286000, Nearby: nearby,
			Related: related, ValidUntil: testNow.Add(30 * 24 * time.Hour)}
	}
	return memKioskCatalog{products: []pos.Product{kMilk, kBread, kKefir, kBeer, kWater, kCigarettes}, offers: map[string]kiosk.Offer{
		kMilk.ID:       offer(kKefir.ID, kWater.ID, kBread.ID),
		kBeer.ID:       offer(kWater.ID, kKefir.ID, kMilk.ID),
		kWater.ID:      offer(kMilk.ID, kBeer.ID, kKefir.ID),
		kCigarettes.ID: offer(kBeer.ID),
	}}
}

// scrollOf is the view's scroll container.
func scrollOf(o fyne.CanvasObject) *container.Scroll {
	switch x := o.(type) {
	case *container.Scroll:
		return x
	case *container.ThemeOverride:
		return scrollOf(x.Content)
	case *fyne.Container:
		for _, c := range x.Objects {
			if s := scrollOf(c); s != nil {
				return s
			}
		}
	}
	return nil
}

// fits fails the test when the stand's view needs its scroll bar.
func fits(t *testing.T, r *kioskRig, what string) {
	t.Helper()
	r.w.Content().Refresh() // wrapped labels know their height once laid out at their width
	sc := scrollOf(r.screen.body)
	if sc == nil {
		t.Fatalf("%s: the view has no scroll container", what)
	}
	need, have := sc.Content.MinSize(), sc.Size()
	if need.Height > have.Height || need.Width > have.Width {
		t.Errorf("%s: the view needs %v, the screen gives it %v", what, need, have)
	}
}

// The product card fits the screen without scrolling, at the stand's 1280×800 and at full HD, whatever the
// product: the online conditions, the stock and the related products were below the fold or under the
// buttons.
func TestKioskCardFitsTheScreen(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 1920, Height: 1080}} {
		for _, code := range []string{"4601111111119", "4676055384882", "4602222222220", "4671848078269"} {
			r := newKioskRigWith(t, fullCatalog(), size)
			r.scan(code)
			if r.screen.View() != kioskCard {
				t.Fatalf("%s: view %s", code, r.screen.View())
			}
			fits(t, r, fmt.Sprint(size, " ", code))
			r.tap(t, "add") // the notice of what the tap did takes no room of its own
			fits(t, r, fmt.Sprint(size, " ", code, " added"))
		}
	}
}

// In the customer's larger type the card may scroll down, never sideways: the related products go two a
// row.
func TestKioskCardLargerTypeKeepsTheWidth(t *testing.T) {
	r := newKioskRigWith(t, fullCatalog(), fyne.NewSize(1280, 800))
	r.scan("4676055384882")
	r.tap(t, "larger")
	r.w.Content().Refresh()
	sc := scrollOf(r.screen.body)
	if need, have := sc.Content.MinSize(), sc.Size(); !r.screen.Larger() || need.Width > have.Width {
		t.Errorf("larger type: the card needs %v, the screen gives it %v", need, have)
	}
}

// An 18+ product's card says so, and that the till checks the age; the basket still takes it.
func TestKioskCardAge(t *testing.T) {
	r := newKioskRigWith(t, fullCatalog(), fyne.NewSize(1280, 800))
	r.scan("4676055384882")
	r.has(t, "18+", "Возраст проверят на кассе")
	r.tap(t, "add")
	r.tap(t, "basket")
	r.has(t, kBeer.Name+" · 18+")
	if lines := r.screen.Basket(); len(lines) != 1 || lines[0].Product.AgeLimit != 18 {
		t.Errorf("basket %+v", lines)
	}
	r.tap(t, "back")
	r.scan("4601111111119")
	if text := r.text(); strings.Contains(text, "Возраст проверят на кассе") {
		t.Errorf("the milk's card speaks of age: %s", text)
	}
}
