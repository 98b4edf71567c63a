package pickup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/fiscal"
	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

var (
	t0      = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	qrKey   = []byte("pickup-test-key-0123456789abcdef")
	otherQR = []byte("another-chain-key-0123456789abcd")
	keys    = func(kid string) ([]byte, bool) { return qrKey, kid == "k1" }

	bread   = pos.Product{ID: "100001", Name: "Хлеб Дарницкий", Barcodes: []string{"4601234567893"}, Price: 6290, VAT: pos.VAT10}
	milk    = pos.Product{ID: "100002", Name: "Молоко 3,2%", Barcodes: []string{"4601111111119"}, Price: 10990, VAT: pos.VAT10}
	water   = pos.Product{ID: "100140", Name: "Вода газированная 1,5 л", Barcodes: []string{"4690421631110"}, Price: 6990, VAT: pos.VAT22, Marked: true}
	bananas = pos.Product{ID: "200001", Name: "Бананы", PLU: "00001", Price: 14990, VAT: pos.VAT10, Unit: pos.UnitKg}
	coffee  = pos.Product{ID: "100124", Name: "Кофе Jacobs 150 г", Barcodes: []string{"4652761138759"}, Price: 59990, VAT: pos.VAT22}
	socks   = pos.Product{ID: "100300", Name: "Носки р.27", Barcodes: []string{"4665174726000"}, Price: 14990, VAT: pos.VAT22}
)

// Marking codes of two packs of water and a code without its crypto tail (the КИ under the DataMatrix).
const (
	water1    = "0104690421631110215WtrDemo00001\x1d93Demo"
	water2    = "0104690421631110215WtrDemo00002\x1d93Demo"
	waterNoCT = "0104690421631110215WtrDemo00003"
)

func line(p pos.Product, qty pos.Qty) wire.PickupLine {
	bc := ""
	if len(p.Barcodes) > 0 {
		bc = p.Barcodes[0]
	}
	return wire.PickupLine{ProductID: p.ID, Name: p.Name, Barcode: bc, Price: int64(p.Price), Qty: int64(qty),
		VAT: p.VAT.Code(), Marked: p.Marked}
}

func order(id, number, status string, prepaid int64, ready, expires time.Time, lines ...wire.PickupLine) wire.PickupOrder {
	o := wire.PickupOrder{ID: id, Number: number, Store: "s1", Customer: "Анна П.", PhoneLast4: "6789", Lines: lines,
		Prepaid: prepaid, Status: status, ReadyAt: ready, ExpiresAt: expires}
	for _, l := range lines {
		o.Total += (l.Price*l.Qty + 500) / 1000
	}
	if prepaid < 0 {
		o.Prepaid = o.Total
	}
	return o
}

// testOrders are the pulled orders of store s1 (and one of s2 that leaked into the feed).
func testOrders() []wire.PickupOrder {
	foreign := order("o6", "W-6", wire.PickupReady, 0, t0.Add(-time.Hour), t0.Add(48*time.Hour), line(bread, pos.Pieces(1)))
	foreign.Store = "s2"
	return []wire.PickupOrder{
		order("o1", "W-1", wire.PickupReady, -1, t0.Add(-2*time.Hour), t0.Add(5*24*time.Hour),
			line(bread, pos.Pieces(2)), line(milk, pos.Pieces(1)), line(water, pos.Pieces(2))),
		order("o2", "W-2", wire.PickupReady, 0, t0.Add(-26*time.Hour), t0.Add(6*time.Hour),
			line(coffee, pos.Pieces(1)), line(bananas, 1250)),
		order("o3", "W-3", wire.PickupReady, 30000, t0.Add(-time.Hour), t0.Add(72*time.Hour),
			line(coffee, pos.Pieces(1)), line(bread, pos.Pieces(3))),
		order("o4", "W-4", wire.PickupCollected, -1, t0.Add(-3*time.Hour), t0.Add(72*time.Hour), line(milk, pos.Pieces(1))),
		order("o5", "W-5", wire.PickupCancelled, 0, t0.Add(-3*time.Hour), t0.Add(72*time.Hour), line(milk, pos.Pieces(1))),
		foreign,
		order("o7", "W-7", wire.PickupReady, -1, t0.Add(-5*24*time.Hour), t0.Add(48*time.Hour), line(milk, pos.Pieces(1))),
		order("o8", "W-8", wire.PickupReady, -1, t0.Add(-10*24*time.Hour), t0.Add(-24*time.Hour), line(bread, pos.Pieces(1))),
	}
}

type rig struct {
	st   *store.Store
	till *checkout.Till
	dev  *emulator.Device
	desk *pickup.Desk
	cfg  pickup.Config
}

// newRig is the desk on the real store, the real till use cases and the emulated register behind the real
// Shtrih-M driver, with testOrders pulled.
func newRig(t testing.TB) *rig {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{Terminal: "desk-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutProducts([]pos.Product{bread, milk, water, bananas, coffee, socks}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := st.PickupFeed().Apply(ctx, "", wire.Page[wire.PickupOrder]{Items: testOrders(), Next: "1"}); err != nil {
		t.Fatal(err)
	}
	dev, err := emulator.New(emulator.Config{FNSerial: "9999078900001234", Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	host, line := net.Pipe()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = dev.Serve(sctx, line) }()
	t.Cleanup(func() { cancel(); host.Close(); line.Close(); <-done })
	reg := fiscal.New(kkt.NewDriver(host, kkt.Config{Location: time.UTC}), fiscal.Config{})
	n := 0
	newID := func() string { n++; return fmt.Sprintf("0190a3b4-0000-7000-8000-%012d", n) }
	till := checkout.New(checkout.Config{Store: st, Register: reg, Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()),
		Terminal: "desk-1", Now: func() time.Time { return t0 }, NewID: newID})
	if _, err := till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	r := &rig{st: st, till: till, dev: dev}
	r.cfg = pickup.Config{Store: st, Till: till, Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()),
		Keys: keys, StoreID: "s1", Staff: "Петров В.", Channel: st, Now: func() time.Time { return t0 }, NewID: newID}
	r.desk = pickup.New(r.cfg)
	return r
}

// qr signs a pickup QR for an order of testOrders.
func qr(t testing.TB, orderID, number, storeID string, expires time.Time) string {
	t.Helper()
	s, err := wire.SignPickupQR(wire.PickupQR{Order: orderID, Number: number, Store: storeID, Expires: expires}, "k1", qrKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// scanAll scans texts into v and fails on the first refusal.
func scanAll(t *testing.T, v *pickup.Verification, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if _, err := v.Scan(s); err != nil {
			t.Fatalf("scan %q: %v", s, err)
		}
	}
}

// events lists the queued outbox events by type.
func (r *rig) events(t *testing.T) map[string][]wire.Event {
	t.Helper()
	evs, err := r.st.PeekEvents(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]wire.Event{}
	for _, e := range evs {
		out[e.Type] = append(out[e.Type], e)
	}
	return out
}

func handoverOf(t *testing.T, e wire.Event) wire.PickupHandover {
	t.Helper()
	var h wire.PickupHandover
	if err := json.Unmarshal(e.Payload, &h); err != nil {
		t.Fatal(err)
	}
	return h
}
