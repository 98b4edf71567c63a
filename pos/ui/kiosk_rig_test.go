package ui

import (
	"context"
	"image"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/kiosk"
	"github.com/kassa-pos/kassa/sync/wire"
)

var (
	kioskKey  = []byte("kiosk-test-key-0123456789abcdef!")
	kMilk     = pos.Product{ID: "100002", Name: "Молоко Простоквашино 3,2% 930 мл", Barcodes: []string{"4601111111119"}, Price: 10990, VAT: pos.VAT10}
	kBread    = pos.Product{ID: "100001", Name: "Хлеб Дарницкий формовой 700 г", Barcodes: []string{"4601234567893"}, Price: 6290, VAT: pos.VAT10}
	kKefir    = pos.Product{ID: "100010", Name: "Кефир Домик в деревне 3,2% 930 мл", Barcodes: []string{"4620819672739"}, Price: 11290, VAT: pos.VAT10}
	kioskTill = "demo-store"
)

type memKioskCatalog struct {
	products []pos.Product
	offers   map[string]kiosk.Offer
}

func (c memKioskCatalog) find(match func(pos.Product) bool) (pos.Product, error) {
	for _, p := range c.products {
		if match(p) {
			return p, nil
		}
	}
	return pos.Product{}, pos.ErrProductNotFound
}

func (c memKioskCatalog) ProductByBarcode(code string) (pos.Product, error) {
	return c.find(func(p pos.Product) bool { return slices.Contains(p.Barcodes, code) })
}
func (c memKioskCatalog) ProductByPLU(plu string) (pos.Product, error) {
	return c.find(func(p pos.Product) bool { return p.PLU != "" && p.PLU == plu })
}
func (c memKioskCatalog) ProductByID(id string) (pos.Product, error) {
	return c.find(func(p pos.Product) bool { return p.ID == id })
}
func (c memKioskCatalog) OfferByProduct(id string) (kiosk.Offer, bool, error) {
	o, ok := c.offers[id]
	return o, ok, nil
}

type kioskEvents []pos.ChannelEvent

func (e *kioskEvents) RecordChannelEvent(ev pos.ChannelEvent) error { *e = append(*e, ev); return nil }

func (e kioskEvents) kinds() []pos.ChannelEventKind {
	var out []pos.ChannelEventKind
	for _, ev := range e {
		out = append(out, ev.Kind)
	}
	return out
}

// wireSigner signs like the terminal's wiring (cmd/kassa/internal/terminal.KioskSigner).
type wireSigner struct{}

func (wireSigner) SignBasket(b kiosk.Basket) (string, error) {
	q := wire.BasketQR{ID: b.ID, Store: b.Store, Source: wire.BasketFromKiosk, Expires: b.Expires}
	for _, l := range b.Items {
		q.Items = append(q.Items, wire.BasketItem{ProductID: l.Product.ID, Qty: int64(l.Qty), Price: int64(l.Price), Until: l.Until})
	}
	return wire.SignBasketQR(q, "k1", kioskKey)
}

type kioskRig struct {
	screen *KioskScreen
	w      fyne.Window
	clock  *kiosk.ManualClock
	events *kioskEvents
	exits  int
	prints chan string
}

func newKioskRig(t *testing.T) *kioskRig {
	t.Helper()
	cat := memKioskCatalog{products: []pos.Product{kMilk, kBread, kKefir}, offers: map[string]kiosk.Offer{
		kMilk.ID: {OnlinePrice: 9990, OnlineDiscount: 1000, StockHere: 12000, StockOnline: 250000,
			Nearby: []kiosk.StoreStock{{Store: "s2", Name: "ТЦ Мега", Qty: 4000}}, Related: []string{kKefir.ID, kBread.ID},
			ValidUntil: testNow.Add(10 * 24 * time.Hour)},
		kKefir.ID: {OnlinePrice: 11990, StockHere: 0, StockOnline: 8000},
	}}
	return newKioskRigWith(t, cat, fyne.NewSize(1280, 800))
}

// newKioskRigWith is the stand on catalog cat in a window of size.
func newKioskRigWith(t *testing.T, cat memKioskCatalog, size fyne.Size) *kioskRig {
	t.Helper()
	test.NewTempApp(t)
	r := &kioskRig{clock: kiosk.NewManualClock(testNow), events: &kioskEvents{}, prints: make(chan string, 1)}
	k := kiosk.New(kiosk.Config{Catalog: cat, Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()),
		Signer: wireSigner{}, Events: r.events, Store: kioskTill, Clock: r.clock})
	hash, err := kiosk.HashPINWithCost("2468", 1000)
	if err != nil {
		t.Fatal(err)
	}
	guard, err := kiosk.NewPINGuard(hash, r.clock)
	if err != nil {
		t.Fatal(err)
	}
	r.w = test.NewTempWindow(t, nil)
	r.w.Resize(size)
	r.screen = NewKiosk(r.w, KioskDeps{Kiosk: k, Lang: Russian, PIN: guard, Exit: func() { r.exits++ },
		Shop: "Продукты у дома",
		Print: func(_ context.Context, b kiosk.Basket, payload string) error {
			r.prints <- payload
			return nil
		}})
	return r
}

func (r *kioskRig) scan(code string) {
	test.Type(r.screen.Sink(), code)
	r.screen.Sink().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func (r *kioskRig) tap(t *testing.T, id string) {
	t.Helper()
	b := r.screen.Button(id)
	if b == nil {
		t.Fatalf("no button %q on the %s view; the view shows %q", id, r.screen.View(), r.text())
	}
	test.Tap(b)
}

// text is every visible string on the window.
func (r *kioskRig) text() string { return strings.Join(visibleText(r.w.Content()), " | ") }

// visibleText is the visible text of the containers under o, not looking inside other widgets.
func visibleText(o fyne.CanvasObject) []string { return textUnder(o, false) }

// textUnder is the visible text under o; deep goes through widgets' renderers too (a dialog's pop-up).
func textUnder(o fyne.CanvasObject, deep bool) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *widget.Label:
		return []string{x.Text}
	case *widget.Button:
		return []string{x.Text}
	case *canvas.Text:
		return []string{x.Text}
	case *container.Scroll:
		return textUnder(x.Content, deep)
	case *container.ThemeOverride:
		return textUnder(x.Content, deep)
	case *fyne.Container:
		kids = x.Objects
	case fyne.Widget:
		if !deep {
			return nil
		}
		kids = test.WidgetRenderer(x).Objects()
	}
	var out []string
	for _, c := range kids {
		out = append(out, textUnder(c, deep)...)
	}
	return out
}

func (r *kioskRig) has(t *testing.T, want ...string) {
	t.Helper()
	text := r.text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%q is not on the %s view: %s", w, r.screen.View(), text)
		}
	}
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code on screen does not scan: %v", err)
	}
	return res.GetText()
}
