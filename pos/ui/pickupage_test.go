package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

// beerOrder is W-24018: a loaf and two beers (18+), prepaid.
var beerOrder = wire.PickupOrder{ID: "o18", Number: "W-24018", Store: "demo-store", Customer: "Олег К.", PhoneLast4: "4455",
	Status: wire.PickupReady, Prepaid: 5500 + 2*8990, ReadyAt: testNow.Add(-time.Hour), ExpiresAt: testNow.Add(72 * time.Hour),
	Lines: []wire.PickupLine{
		{ProductID: "1002", Name: "Хлеб Бородинский 400 г", Barcode: "4601234500012", Price: 5500, Qty: 1000, VAT: "10"},
		{ProductID: kBeer.ID, Name: kBeer.Name, Barcode: kBeer.Barcodes[0], Price: 8990, Qty: 2000, VAT: "22", AgeLimit: 18},
	}}

// An order with 18+ goods asks the age question at F10: yes hands everything over; no refuses the beer,
// as F8 would, and hands over the bread with the beer's prepayment going back.
func TestPickupAsksAge(t *testing.T) {
	for _, tt := range []struct {
		answer fyne.KeyName
		total  pos.Money
		lines  int
	}{
		{fyne.KeyReturn, 5500 + 2*8990, 2},
		{fyne.KeyEscape, 5500, 1},
	} {
		r := newPickupRig(t)
		if err := r.store.PutProducts([]pos.Product{kBeer}); err != nil {
			t.Fatal(err)
		}
		if err := r.store.PickupFeed().Apply(context.Background(), "1",
			wire.Page[wire.PickupOrder]{Items: []wire.PickupOrder{beerOrder}, Next: "2"}); err != nil {
			t.Fatal(err)
		}
		r.scan(pickupQR(t, "o18", "W-24018", "demo-store", testNow.Add(time.Hour), pickupKey))
		if r.screen.Verification() == nil {
			t.Fatalf("not opened: %q", r.screen.Message())
		}
		if !strings.Contains(r.screen.orderWarn.Text, "товар 18+") {
			t.Errorf("order warning %q", r.screen.orderWarn.Text)
		}
		if text, _ := r.screen.lineCell(1, 1); !strings.Contains(text, "[18+]") {
			t.Errorf("beer line %q without its badge", text)
		}
		for _, code := range []string{"4601234500012", kBeer.Barcodes[0], kBeer.Barcodes[0]} {
			r.scan(code)
		}
		r.key(fyne.KeyF10)
		if !strings.Contains(overlayText(r.w), "Товар 18+. Проверьте документ покупателя: ему есть 18 лет?") {
			t.Fatalf("%s: no age question; message %q", tt.answer, r.screen.Message())
		}
		r.key(tt.answer)
		r.key(fyne.KeyReturn) // the hand-over's confirmation
		r.waitIdle(t)
		sales, err := r.store.RecentSales(5)
		if err != nil {
			t.Fatal(err)
		}
		var sale *pos.Sale
		for i := range sales {
			if sales[i].Kind == pos.KindSale {
				sale = &sales[i]
			}
		}
		if sale == nil || sale.Total != tt.total || len(sale.Lines) != tt.lines {
			t.Fatalf("%s: settlement %+v; message %q", tt.answer, sales, r.screen.Message())
		}
		if !strings.Contains(r.screen.Message(), "W-24018 выдан") {
			t.Errorf("%s: message %q", tt.answer, r.screen.Message())
		}
	}
}
