package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

var (
	pickupKey    = []byte("ui-pickup-test-key-0123456789abc")
	pickupWater  = pos.Product{ID: "100140", Name: "Вода газированная 1,5 л", Barcodes: []string{"4690421631110"}, Price: 6990, VAT: pos.VAT22, Marked: true}
	pickupOrders = []wire.PickupOrder{
		{ID: "o1", Number: "W-24001", Store: "demo-store", Customer: "Анна П.", PhoneLast4: "6789", Status: wire.PickupReady,
			Prepaid: 2*5500 + 2*6990, ReadyAt: testNow.Add(-2 * time.Hour), ExpiresAt: testNow.Add(5 * 24 * time.Hour),
			Lines: []wire.PickupLine{
				{ProductID: "1002", Name: "Хлеб Бородинский 400 г", Barcode: "4601234500012", Price: 5500, Qty: 2000, VAT: "10"},
				{ProductID: "100140", Name: pickupWater.Name, Barcode: "4690421631110", Price: 6990, Qty: 2000, VAT: "22", Marked: true},
			}},
		{ID: "o2", Number: "W-24002", Store: "demo-store", Customer: "Иван С.", PhoneLast4: "2233", Status: wire.PickupReady,
			ReadyAt: testNow.Add(-5 * 24 * time.Hour), ExpiresAt: testNow.Add(48 * time.Hour),
			Lines: []wire.PickupLine{{ProductID: "1001", Name: "Молоко Простоквашино 3,2% 930 мл", Barcode: "4607001771401", Price: 8990, Qty: 1000, VAT: "10"}}},
	}
)

type pickupRig struct {
	screen *PickupScreen
	store  *store.Store
	w      fyne.Window
	dev    *emulator.Device
}

// newPickupRig is the pickup desk's screen on the real desk, till, store and emulated register.
func newPickupRig(t *testing.T) *pickupRig {
	t.Helper()
	st := testStore(t, "desk-1", append(products, pickupWater))
	ctx, dev, _, reg := testRegister(t, emulator.Config{})
	if err := st.PickupFeed().Apply(ctx, "", wire.Page[wire.PickupOrder]{Items: pickupOrders, Next: "1"}); err != nil {
		t.Fatal(err)
	}
	n := 0
	newID := func() string { n++; return fmt.Sprintf("0190a3b4-0000-7000-8000-%012d", n) }
	classifier := barcode.NewClassifier(barcode.DefaultWeightLayout())
	till := openTestTill(ctx, t, checkout.Config{Store: st, Register: reg, Classifier: classifier, Terminal: "desk-1",
		NewID: newID}, "")
	desk := pickup.New(pickup.Config{Store: st, Till: till, Classifier: classifier, StoreID: "demo-store", Staff: "Петров В.",
		Keys: func(kid string) ([]byte, bool) { return pickupKey, kid == "demo1" }, Channel: st,
		Now: func() time.Time { return testNow }, NewID: newID})
	w := testWindow(t)
	screen := NewPickup(w, PickupDeps{Desk: desk, Till: till, Lang: Russian, Tape: dev, Now: func() time.Time { return testNow }})
	return &pickupRig{screen: screen, store: st, w: w, dev: dev}
}

func (r *pickupRig) scan(text string) {
	test.Type(r.screen.Input(), text)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func (r *pickupRig) key(name fyne.KeyName) {
	r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: name})
}

func (r *pickupRig) waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for r.screen.Busy() {
		if time.Now().After(deadline) {
			t.Fatal("the desk stayed busy")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func pickupQR(t *testing.T, order, number, store string, expires time.Time, key []byte) string {
	t.Helper()
	s, err := wire.SignPickupQR(wire.PickupQR{Order: order, Number: number, Store: store, Expires: expires}, "demo1", key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPickupFlow: scan the customer's QR, verify every item (the water by the DataMatrix of each pack),
// F10, Enter: the journal has the settlement fiscalised with the prepayment, the outbox the hand-over.
func TestPickupFlow(t *testing.T) {
	r := newPickupRig(t)
	if l := r.screen.Listing(); len(l.Orders) != 2 || l.Overdue != 1 {
		t.Fatalf("waiting orders %+v", l)
	}
	r.scan(pickupQR(t, "o1", "W-24001", "demo-store", testNow.Add(time.Hour), pickupKey))
	v := r.screen.Verification()
	if v == nil || v.Order.Number != "W-24001" {
		t.Fatalf("no order open; message %q", r.screen.Message())
	}
	r.scan("4601234500012")
	r.scan("4601234500012")
	r.scan("4690421631110") // the EAN of marked goods: the desk asks for the DataMatrix
	if !strings.Contains(r.screen.Message(), "DataMatrix") {
		t.Errorf("message %q: want a request for the DataMatrix", r.screen.Message())
	}
	r.scan("4607001771401") // not in the order
	if !strings.Contains(r.screen.Message(), "нет в этом заказе") {
		t.Errorf("message %q: want the product refused", r.screen.Message())
	}
	r.scan("0104690421631110215WtrDemo00001\x1d93Demo")
	test.Type(r.screen.Input(), "0104690421631110215WtrDemo00002")
	r.screen.Input().TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyRightBracket, Modifier: fyne.KeyModifierControl}) // the wedge's GS
	r.scan("93Demo")
	if !v.Complete() || !strings.Contains(r.screen.Message(), "F10") {
		t.Fatalf("not complete: %+v; message %q", v.Lines, r.screen.Message())
	}
	r.key(fyne.KeyF10)
	r.key(fyne.KeyReturn) // confirm: prepaid in full, nothing to pay
	r.waitIdle(t)
	if r.screen.Verification() != nil || !strings.Contains(r.screen.Message(), "W-24001 выдан") {
		t.Fatalf("after F10: message %q", r.screen.Message())
	}
	sales, err := r.store.RecentSales(5)
	if err != nil || len(sales) != 1 {
		t.Fatalf("journal %+v, %v", sales, err)
	}
	s := sales[0]
	if s.Status != pos.SaleFiscalised || s.Paid(pos.PayPrepaid) != 2*5500+2*6990 || len(s.Lines) != 3 || s.Lines[2].Marking == "" {
		t.Errorf("settlement %+v", s)
	}
	evs, err := r.store.PeekEvents(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range evs {
		if e.Type == wire.TypePickupHandover {
			var h wire.PickupHandover
			found = json.Unmarshal(e.Payload, &h) == nil && h.Order == "o1" && h.Sale == s.ID
		}
	}
	if !found {
		t.Errorf("no pickup_handover event for the sale in the outbox: %+v", evs)
	}
	if l := r.screen.Listing(); len(l.Orders) != 1 {
		t.Errorf("the order handed over is still listed: %+v", l.Orders)
	}
	if r.w.Canvas().Focused() != r.screen.Input() {
		t.Error("the scan field lost the focus")
	}
}

// TestPickupRefusals: what staff meet at the desk is said in plain Russian.
func TestPickupRefusals(t *testing.T) {
	forged := pickupQR(t, "o1", "W-24001", "demo-store", testNow.Add(time.Hour), []byte("a-key-the-shop-never-had-0123456"))
	tests := []struct {
		name, text, want string
	}{
		{"forged", forged, "проверку подписи"},
		{"expired", pickupQR(t, "o1", "W-24001", "demo-store", testNow.Add(-time.Minute), pickupKey), "истёк"},
		{"another store", pickupQR(t, "o9", "W-9", "store-2", testNow.Add(time.Hour), pickupKey), "другом магазине"},
		{"unknown number", "W-404 6789", "не найден"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newPickupRig(t)
			r.scan(tt.text)
			if r.screen.Verification() != nil || !strings.Contains(r.screen.Message(), tt.want) {
				t.Errorf("message %q, want %q", r.screen.Message(), tt.want)
			}
		})
	}
}

// TestPickupByNumberRefuseAndPay: the overdue order typed by number, the phone's digits asked, a line
// refused with F8 and then taken back, paid in cash at the desk.
func TestPickupByNumberRefuseAndPay(t *testing.T) {
	r := newPickupRig(t)
	r.scan("W-24002")
	test.Type(r.w.Canvas().Focused().(*PosEntry), "0000")
	r.key(fyne.KeyReturn)
	if r.screen.Verification() != nil {
		t.Fatal("opened with wrong phone digits")
	}
	digits := r.w.Canvas().Focused().(*PosEntry)
	test.Type(digits, "2233")
	r.key(fyne.KeyReturn)
	if r.screen.Verification() == nil {
		t.Fatalf("not opened; message %q", r.screen.Message())
	}
	r.key(fyne.KeyF8)
	r.key(fyne.KeyReturn) // the whole line
	test.Type(r.w.Canvas().Focused().(*PosEntry), "2")
	if got := r.w.Canvas().Focused().(*PosEntry).Text; got != "Брак / повреждение" {
		t.Fatalf("reason preset: %q", got)
	}
	r.key(fyne.KeyReturn)
	r.key(fyne.KeyF10)
	if !strings.Contains(r.screen.Message(), "от всего заказа") {
		t.Errorf("everything refused: %q", r.screen.Message())
	}
	r.key(fyne.KeyF8)
	e := r.w.Canvas().Focused().(*PosEntry)
	e.SetText("0")
	r.key(fyne.KeyReturn)
	r.key(fyne.KeyReturn)
	r.scan("4607001771401")
	r.key(fyne.KeyF10)
	test.Type(r.w.Canvas().Focused().(*PosEntry), "100")
	r.key(fyne.KeyReturn)
	r.waitIdle(t)
	if !strings.Contains(r.screen.Message(), "СДАЧА 10,10") {
		t.Fatalf("after paying 100 ₽ for 89,90: %q", r.screen.Message())
	}
	if tot := r.dev.Snapshot().Totals; tot.ShiftCash != 8990 || tot.ShiftPrepaid != 0 {
		t.Errorf("register totals %+v", tot)
	}
}
