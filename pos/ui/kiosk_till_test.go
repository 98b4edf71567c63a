package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/sync/wire"
)

// tillOpener verifies baskets like the terminal's wiring, with the kiosk tests' key; both milks have an
// online offer of 89,90.
type tillOpener struct{}

func (tillOpener) LowestPrice(p pos.Product, _ time.Time) (pos.Money, error) {
	if p.ID == "100004" || p.ID == kMilk.ID {
		return 8990, nil
	}
	return p.Price, nil
}

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
	marked := pos.Product{ID: "100004", Name: "Молоко Домик в деревне 2,5% 930 мл", Barcodes: []string{"4615881399868"}, Price: 9990, VAT: pos.VAT10, Marked: true}
	till := basketTill(t, kMilk, kBread, marked)
	w := testWindow(t)
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
		"Маркированных упаковок в корзине: 1 — отсканируйте код каждой."} {
		if !strings.Contains(screen.Message(), want) {
			t.Errorf("message %q lacks %q", screen.Message(), want)
		}
	}
	// The marked pack: the till asks for its DataMatrix, as for a marked product scanned alone.
	if prompt := textsOf(w.Canvas().Overlays().Top()); !strings.Contains(prompt, "Корзина b-1: упаковка 1 из 1 — «Молоко Домик в деревне") {
		t.Fatalf("no marking prompt for the basket's pack:\n%s", prompt)
	}
	e, ok := w.Canvas().Focused().(*PosEntry)
	if !ok {
		t.Fatalf("focused %T", w.Canvas().Focused())
	}
	typeCode(e, "0104615881399868215MilkPack001\x1d93Demo")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	lines = screen.Lines()
	if len(lines) != 3 || lines[2].Marking == "" || lines[2].Sum != 8990 || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("after the pack's code: lines %+v (%s)", lines, screen.Message())
	}
	scan(payload)
	if len(screen.Lines()) != 3 || !strings.Contains(screen.Message(), "Эта корзина уже в чеке") {
		t.Errorf("second scan: %d lines, %q", len(screen.Lines()), screen.Message())
	}
	basket.ID, basket.Store = "b-2", "another-store"
	other, _ := wire.SignBasketQR(basket, "k1", kioskKey)
	scan(other)
	if !strings.Contains(screen.Message(), "Корзина собрана для другого магазина") {
		t.Errorf("another store's basket: %q", screen.Message())
	}
	// A compromised kiosk: bread at a kopeck.
	basket.ID, basket.Store = "b-3", kioskTill
	basket.Items = []wire.BasketItem{{ProductID: kBread.ID, Qty: 1000, Price: 1}}
	cheap, _ := wire.SignBasketQR(basket, "k1", kioskKey)
	scan(cheap)
	if len(screen.Lines()) != 3 || !strings.Contains(screen.Message(), "Цены в QR-коде корзины ниже любых действующих предложений сети") {
		t.Errorf("a basket at a kopeck: %d lines, %q", len(screen.Lines()), screen.Message())
	}
	// A basket of two marked packs only: the prompt comes at once; Esc leaves them to be scanned separately.
	basket.ID = "b-4"
	basket.Items = []wire.BasketItem{{ProductID: marked.ID, Qty: 2000, Price: 8990}}
	packs, _ := wire.SignBasketQR(basket, "k1", kioskKey)
	scan(packs)
	if prompt := textsOf(w.Canvas().Overlays().Top()); !strings.Contains(prompt, "Корзина b-4: упаковка 1 из 2") {
		t.Fatalf("no prompt for a basket of packs only:\n%s", prompt)
	}
	w.Canvas().Focused().(*PosEntry).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(screen.Lines()) != 3 || !strings.Contains(screen.Message(), "Не пробито маркированных упаковок корзины: 2") {
		t.Errorf("after Esc: %d lines, %q", len(screen.Lines()), screen.Message())
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

// basketTill is a till with goods that takes the kiosk's baskets, on a register that never answers (the
// basket's lines are what the tests look at, not receipts).
func basketTill(t *testing.T, goods ...pos.Product) *checkout.Till {
	t.Helper()
	st := testStore(t, "till-1", goods)
	return checkout.New(checkout.Config{Store: st, Register: &offlineRegister{},
		Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()), Terminal: "till-1",
		Now: func() time.Time { return testNow }, NewID: func() string { return "sale-1" },
		StoreID: kioskTill, Baskets: tillOpener{}})
}
