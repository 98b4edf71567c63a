package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

// tillOpener verifies baskets like the terminal's wiring, with the kiosk tests' key.
type tillOpener struct{}

func (tillOpener) OpenBasket(payload string, now time.Time) (checkout.Basket, error) {
	q, err := wire.VerifyBasketQR(payload, func(kid string) ([]byte, bool) { return kioskKey, kid == "k1" }, now)
	switch {
	case errors.Is(err, wire.ErrQRExpired):
		return checkout.Basket{}, fmt.Errorf("%w: %w", checkout.ErrBasketExpired, err)
	case err != nil:
		return checkout.Basket{}, fmt.Errorf("%w: %w", checkout.ErrBasketForged, err)
	}
	b := checkout.Basket{ID: q.ID, Store: q.Store, Source: q.Source, Expires: q.Expires}
	for _, it := range q.Items {
		b.Items = append(b.Items, checkout.BasketItem{ProductID: it.ProductID, Qty: pos.Qty(it.Qty), Price: pos.Money(it.Price)})
	}
	return b, nil
}

// TestTillTakesAKioskBasket scans a basket QR at the till screen: its lines at the offer price, what it
// did on the message line, a marked product left for the cashier, and the refusal of a second scan and of
// another store's basket.
func TestTillTakesAKioskBasket(t *testing.T) {
	test.NewTempApp(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{Terminal: "till-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	marked := pos.Product{ID: "100004", Name: "Молоко Домик в деревне 2,5% 930 мл", Barcodes: []string{"4615881399868"}, Price: 9990, VAT: pos.VAT10, Marked: true}
	if err := st.PutProducts([]pos.Product{kMilk, kBread, marked}); err != nil {
		t.Fatal(err)
	}
	till := checkout.New(checkout.Config{Store: st, Register: &offlineRegister{},
		Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()), Terminal: "till-1",
		Now: func() time.Time { return testNow }, NewID: func() string { return "sale-1" },
		StoreID: kioskTill, Baskets: tillOpener{}})
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	screen := NewTill(w, TillDeps{Till: till, Lang: Russian, Cashier: "Иванова А.", Now: func() time.Time { return testNow }})
	scan := func(text string) {
		test.Type(screen.Input(), text)
		screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	basket := wire.BasketQR{ID: "b-1", Store: kioskTill, Source: wire.BasketFromKiosk, Expires: testNow.Add(time.Hour),
		Items: []wire.BasketItem{{ProductID: kMilk.ID, Qty: 2000, Price: 8990}, {ProductID: kBread.ID, Qty: 1000, Price: 6290},
			{ProductID: marked.ID, Qty: 1000, Price: 8990}}}
	payload, err := wire.SignBasketQR(basket, "k1", kioskKey)
	if err != nil {
		t.Fatal(err)
	}
	scan(payload)
	lines := screen.Lines()
	if len(lines) != 2 || lines[0].Price != kMilk.Price || lines[0].Discount != 4000 || lines[0].Sum != 17980 || lines[1].Sum != 6290 {
		t.Fatalf("lines %+v (%s)", lines, screen.Message())
	}
	for _, want := range []string{"Корзина b-1: добавлено позиций 2, по цене предложения 1, выгода 40,00 ₽",
		"Пробейте отдельно: Молоко Домик в деревне 2,5% 930 мл (маркировка: отсканируйте упаковку)"} {
		if !strings.Contains(screen.Message(), want) {
			t.Errorf("message %q lacks %q", screen.Message(), want)
		}
	}
	scan(payload)
	if len(screen.Lines()) != 2 || !strings.Contains(screen.Message(), "Эта корзина уже в чеке") {
		t.Errorf("second scan: %d lines, %q", len(screen.Lines()), screen.Message())
	}
	basket.ID, basket.Store = "b-2", "another-store"
	other, _ := wire.SignBasketQR(basket, "k1", kioskKey)
	scan(other)
	if !strings.Contains(screen.Message(), "Корзина собрана для другого магазина") {
		t.Errorf("another store's basket: %q", screen.Message())
	}
}

// offlineRegister is a register the screen never reaches in this test: scans do not touch it.
type offlineRegister struct{}

func (offlineRegister) OpenShift(context.Context, string) error { return pos.ErrRegisterOffline }
func (offlineRegister) CloseShift(context.Context) error        { return pos.ErrRegisterOffline }
func (offlineRegister) Fiscalise(context.Context, pos.Sale) (pos.FiscalResult, error) {
	return pos.FiscalResult{}, pos.ErrRegisterOffline
}
func (offlineRegister) CancelReceipt(context.Context) error { return pos.ErrRegisterOffline }
func (offlineRegister) State(context.Context) (pos.RegisterState, error) {
	return pos.RegisterState{}, pos.ErrRegisterOffline
}
func (offlineRegister) FindDocument(context.Context, uint32) (pos.FiscalDocument, error) {
	return pos.FiscalDocument{}, pos.ErrRegisterOffline
}
