package checkout

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/sync/wire"
)

var (
	basketKey  = []byte("basket-test-key-0123456789abcdef")
	otherKey   = []byte("someone-elses-key-0123456789abcd")
	bread      = pos.Product{ID: "1002", Name: "Хлеб Дарницкий", Barcodes: []string{"4601234567893"}, Price: 6290, VAT: pos.VAT10}
	markedMilk = pos.Product{ID: "1004", Name: "Молоко маркированное", Barcodes: []string{"4615881399868"}, Price: 9990, VAT: pos.VAT10, Marked: true}
)

// wireOpener verifies with sync/wire the way the terminal's wiring does; floors are the pulled offers'
// prices (a product without one: its store price).
type wireOpener struct {
	key    []byte
	floors map[string]pos.Money
}

func (o wireOpener) LowestPrice(p pos.Product, _ time.Time) (pos.Money, error) {
	if f, ok := o.floors[p.ID]; ok && f < p.Price {
		return f, nil
	}
	return p.Price, nil
}

func (o wireOpener) OpenBasket(payload string, now time.Time) (Basket, error) {
	q, err := wire.VerifyBasketQR(payload, func(kid string) ([]byte, bool) { return o.key, kid == "k1" }, now)
	switch {
	case errors.Is(err, wire.ErrQRExpired):
		return Basket{}, fmt.Errorf("%w: %w", ErrBasketExpired, err)
	case err != nil:
		return Basket{}, fmt.Errorf("%w: %w", ErrBasketForged, err)
	}
	b := Basket{ID: q.ID, Store: q.Store, Source: q.Source, Expires: q.Expires}
	for _, it := range q.Items {
		b.Items = append(b.Items, BasketItem{ProductID: it.ProductID, Qty: pos.Qty(it.Qty), Price: pos.Money(it.Price), Until: it.Until})
	}
	return b, nil
}

type events []pos.ChannelEvent

func (e *events) RecordChannelEvent(ev pos.ChannelEvent) error { *e = append(*e, ev); return nil }

type basketRig struct {
	*rig
	events *events
}

func newBasketRig(t *testing.T) basketRig {
	t.Helper()
	r := &rig{store: newMemStore(milk, apples, bread, markedMilk), reg: &fakeRegister{},
		now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	ev := &events{}
	n := 0
	r.till = New(Config{
		Store: r.store, Register: r.reg, Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()),
		Terminal: "till-1", Now: func() time.Time { return r.now },
		NewID:   func() string { n++; return fmt.Sprintf("sale-%d", n) },
		StoreID: "s1", Channel: ev,
		// Online offers pulled: milk, marked milk, apples, and the age tests' beer (2001).
		Baskets: wireOpener{basketKey, map[string]pos.Money{"1001": 7990, "1004": 8990, "3003": 13900, "2001": 7990}},
	})
	if _, err := r.till.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.till.OpenShift(context.Background(), "Иванова А."); err != nil {
		t.Fatal(err)
	}
	return basketRig{rig: r, events: ev}
}

func sign(t *testing.T, b wire.BasketQR, key []byte) string {
	t.Helper()
	s, err := wire.SignBasketQR(b, "k1", key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// kioskBasket: two milks at 79.90 instead of 89.90 and a bread at the store price.
var kioskBasket = wire.BasketQR{ID: "b1", Store: "s1", Source: wire.BasketFromKiosk, Expires: t0.Add(24 * time.Hour),
	Items: []wire.BasketItem{{ProductID: "1001", Qty: 2000, Price: 7990}, {ProductID: "1002", Qty: 1000, Price: 6290}}}

func TestScanBasketAddsOfferPrices(t *testing.T) {
	r := newBasketRig(t)
	if _, err := r.till.Scan("4601234567893", 0); err != nil { // a bread scanned before: its own line
		t.Fatal(err)
	}
	res, err := r.till.Scan(sign(t, kioskBasket, basketKey), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Basket == nil || res.Basket.AtOffer != 1 || res.Basket.Saving != 2000 || len(res.Basket.Skipped) != 0 {
		t.Fatalf("result %+v", res.Basket)
	}
	lines := r.till.Cart().Lines()
	if len(lines) != 3 || res.Line != 2 || res.Product.ID != "1002" {
		t.Fatalf("lines %+v, result line %d", lines, res.Line)
	}
	m := lines[1]
	if m.ProductID != "1001" || m.Price != 8990 || m.Qty != 2000 || m.Discount != 2000 || m.Sum != 15980 {
		t.Errorf("milk line %+v: want the store price 89,90 with a discount down to 2 × 79,90", m)
	}
	if lines[2].Discount != 0 || lines[2].Sum != 6290 || lines[0].Qty != 1000 {
		t.Errorf("bread lines %+v / %+v: the basket's bread has its own line at the store price", lines[0], lines[2])
	}
	if id, src, ok := BasketOf(m); !ok || id != "b1" || src != "kiosk" {
		t.Errorf("BasketOf = %q %q %v", id, src, ok)
	}
	sale, err := r.till.Pay(context.Background(), cash(30000))
	if err != nil {
		t.Fatal(err)
	}
	if sale.Total != 6290+15980+6290 {
		t.Errorf("total %s", sale.Total)
	}
	want := pos.ChannelEvent{Kind: pos.ChannelBasketRedeemed, At: t0, Basket: "b1", Sale: "sale-1", Via: "kiosk", Amount: 15980 + 6290}
	if len(*r.events) != 1 || (*r.events)[0] != want {
		t.Errorf("events %+v, want %+v", *r.events, want)
	}
}

func TestScanBasketRefusals(t *testing.T) {
	expired := kioskBasket
	expired.Expires = t0
	foreign := kioskBasket
	foreign.Store = "s2"
	// The genuine signature under a body with a cheaper milk: "KB1.k1.<body>.<mac>", the mac 43 characters.
	cheaper := kioskBasket
	cheaper.Items = []wire.BasketItem{{ProductID: "1001", Qty: 2000, Price: 100}, kioskBasket.Items[1]}
	good, bad := sign(t, kioskBasket, basketKey), sign(t, cheaper, basketKey)
	tampered := bad[:len(bad)-43] + good[len(good)-43:]
	nothing := kioskBasket
	nothing.Items = []wire.BasketItem{{ProductID: "9999", Qty: 1000, Price: 100}, {ProductID: "3003", Qty: 1000, Price: 100}}
	for _, c := range []struct {
		name, payload string
		want          error
	}{
		{"forged", sign(t, kioskBasket, otherKey), ErrBasketForged},
		{"tampered item", tampered, ErrBasketForged},
		{"expired", sign(t, expired, basketKey), ErrBasketExpired},
		{"foreign store", sign(t, foreign, basketKey), ErrBasketForeignStore},
		{"nothing sellable", sign(t, nothing, basketKey), ErrBasketUnusable},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newBasketRig(t)
			if _, err := r.till.Scan(c.payload, 0); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if r.till.Cart().Len() != 0 {
				t.Error("a refused basket changed the cart")
			}
		})
	}
}

func TestScanBasketTwice(t *testing.T) {
	r := newBasketRig(t)
	payload := sign(t, kioskBasket, basketKey)
	if _, err := r.till.Scan(payload, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := r.till.Scan(payload, 0); !errors.Is(err, ErrBasketRedeemed) {
		t.Fatalf("second scan: %v, want ErrBasketRedeemed", err)
	}
	// Deferred and recalled, the receipt still knows its basket.
	if _, err := r.till.Defer(); err != nil {
		t.Fatal(err)
	}
	d, _ := r.till.DeferredReceipts()
	if err := r.till.Recall(d[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.till.Scan(payload, 0); !errors.Is(err, ErrBasketRedeemed) {
		t.Fatalf("after recall: %v, want ErrBasketRedeemed", err)
	}
	// Every line of it voided: the basket may be scanned again.
	for i := range r.till.Cart().Len() {
		if err := r.till.CancelLine(i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.till.Scan(payload, 0); err != nil {
		t.Fatalf("after voiding its lines: %v", err)
	}
}

func TestScanBasketSkipsAndEndedOffers(t *testing.T) {
	r := newBasketRig(t)
	b := kioskBasket
	b.Items = []wire.BasketItem{
		{ProductID: "1001", Qty: 1000, Price: 7990, Until: t0}, // the offer ended this very second
		{ProductID: "1004", Qty: 1000, Price: 8990},            // marked: each pack's code at the till
		{ProductID: "3003", Qty: 1000, Price: 10000},           // weighed, below the offer of 139,00
		{ProductID: "9999", Qty: 1000, Price: 100},             // not in this store's catalog
		{ProductID: "1002", Qty: 1500, Price: 6000},            // half a loaf
	}
	res, err := r.till.Scan(sign(t, b, basketKey), 0)
	if err != nil {
		t.Fatal(err)
	}
	br := res.Basket
	if len(br.Lines) != 1 || br.AtOffer != 0 || len(br.OfferEnded) != 1 || br.OfferEnded[0] != milk.Name {
		t.Fatalf("result %+v", br)
	}
	if l := r.till.Cart().Lines()[0]; l.Price != 8990 || l.Discount != 0 {
		t.Errorf("line %+v: an ended offer gives the store price", l)
	}
	if len(br.Marked) != 1 || br.Marked[0].Product.ID != "1004" || br.Marked[0].Price != 8990 {
		t.Errorf("marked packs %+v", br.Marked)
	}
	wantReasons := []error{ErrBasketPrice, pos.ErrProductNotFound, pos.ErrBadQuantity}
	if len(br.Skipped) != len(wantReasons) {
		t.Fatalf("skipped %+v", br.Skipped)
	}
	for i, want := range wantReasons {
		if !errors.Is(br.Skipped[i].Reason, want) {
			t.Errorf("skip %d: %v, want %v", i, br.Skipped[i].Reason, want)
		}
	}
}

func TestScanBasketWithoutKeys(t *testing.T) {
	r := newRig(t)
	if _, err := r.till.Scan(sign(t, kioskBasket, basketKey), 0); !errors.Is(err, ErrBasketsOff) {
		t.Fatalf("err = %v, want ErrBasketsOff", err)
	}
}

func TestRefundRecordsNoBasket(t *testing.T) {
	r := newBasketRig(t)
	r.till.recordBaskets(pos.Sale{ID: "r1", Kind: pos.KindRefund,
		Lines: []pos.Line{{ProductID: "1001", Barcode: "basket:b1:kiosk", Qty: 1000, Sum: 7990}}})
	if len(*r.events) != 0 {
		t.Errorf("a refund recorded %+v", *r.events)
	}
}
