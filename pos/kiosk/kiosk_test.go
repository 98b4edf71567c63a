package kiosk

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

var (
	t0     = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	milk   = pos.Product{ID: "100002", Name: "Молоко 3,2% 930 мл", Barcodes: []string{"4601111111119"}, Price: 10990, VAT: pos.VAT10}
	bread  = pos.Product{ID: "100001", Name: "Хлеб Дарницкий", Barcodes: []string{"4601234567893"}, Price: 6290, VAT: pos.VAT10}
	kefir  = pos.Product{ID: "100009", Name: "Кефир 2,5%", Barcodes: []string{"4669871689767"}, Price: 10990, VAT: pos.VAT10}
	banana = pos.Product{ID: "200001", Name: "Бананы", PLU: "00001", Price: 14990, VAT: pos.VAT10, Unit: pos.UnitKg}
)

type fakeCatalog struct {
	products []pos.Product
	offers   map[string]Offer
}

func (c fakeCatalog) find(match func(pos.Product) bool) (pos.Product, error) {
	for _, p := range c.products {
		if match(p) {
			return p, nil
		}
	}
	return pos.Product{}, pos.ErrProductNotFound
}

func (c fakeCatalog) ProductByBarcode(code string) (pos.Product, error) {
	return c.find(func(p pos.Product) bool { return slices.Contains(p.Barcodes, code) })
}

func (c fakeCatalog) ProductByPLU(plu string) (pos.Product, error) {
	return c.find(func(p pos.Product) bool { return p.PLU != "" && p.PLU == plu })
}

func (c fakeCatalog) ProductByID(id string) (pos.Product, error) {
	return c.find(func(p pos.Product) bool { return p.ID == id })
}

func (c fakeCatalog) OfferByProduct(id string) (Offer, bool, error) {
	o, ok := c.offers[id]
	return o, ok, nil
}

type recorder []pos.ChannelEvent

func (r *recorder) RecordChannelEvent(e pos.ChannelEvent) error { *r = append(*r, e); return nil }

// signer records what it signed and returns a readable payload.
type signer struct{ signed []Basket }

func (s *signer) SignBasket(b Basket) (string, error) {
	s.signed = append(s.signed, b)
	return fmt.Sprintf("KB1.test.%s-%d.sig", b.ID, len(s.signed)), nil
}

type rig struct {
	k      *Kiosk
	clock  *ManualClock
	events *recorder
	signer *signer
}

func newRig() rig {
	r := rig{clock: NewManualClock(t0), events: &recorder{}, signer: &signer{}}
	cat := fakeCatalog{products: []pos.Product{milk, bread, kefir, banana}, offers: map[string]Offer{
		// cheaper online, with an online-only discount on top, until the end of the month
		milk.ID: {OnlinePrice: 9990, OnlineDiscount: 1000, StockHere: 12000, StockOnline: 300000,
			Nearby: []StoreStock{{Store: "s2", Name: "ТЦ Мега", Qty: 4000}}, Related: []string{kefir.ID, "404", bread.ID},
			URL: "https://shop.example/moloko", ValidUntil: t0.Add(7 * 24 * time.Hour)},
		// dearer online: the basket keeps the store's price
		kefir.ID: {OnlinePrice: 11990, StockHere: 3000},
	}}
	n := 0
	r.k = New(Config{Catalog: cat, Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()), Signer: r.signer,
		Events: r.events, Store: "demo-store", Clock: r.clock, NewID: func() string { n++; return fmt.Sprintf("b%d", n) }})
	return r
}

func TestScanCard(t *testing.T) {
	r := newRig()
	c, err := r.k.Scan("4601111111119")
	if err != nil {
		t.Fatal(err)
	}
	if c.Product.ID != milk.ID || !c.HasOffer || c.Basket != 8990 || c.Cheaper() != 2000 || !c.Sellable {
		t.Errorf("card %+v: basket %s, cheaper %s", c, c.Basket, c.Cheaper())
	}
	if len(c.Related) != 2 || c.Related[0].Product.ID != kefir.ID || c.Related[0].Basket != kefir.Price ||
		c.Related[1].Product.ID != bread.ID {
		t.Errorf("related %+v: want kefir at the store price and bread, the unknown 404 left out", c.Related)
	}
	want := recorder{{Kind: pos.ChannelKioskView, At: t0, Product: milk.ID}}
	if !reflect.DeepEqual(*r.events, want) {
		t.Errorf("events %+v", *r.events)
	}
	k, err := r.k.Scan("4669871689767")
	if err != nil || k.Cheaper() != -1000 || k.Basket != kefir.Price {
		t.Errorf("kefir: %+v %v; cheaper %s", k, err, k.Cheaper())
	}
}

func TestScanCodes(t *testing.T) {
	for _, c := range []struct {
		name, in string
		id       string
		err      error
	}{
		{"ean", "4601234567893", bread.ID, nil},
		{"wedge line end", " 4601234567893\r\n", bread.ID, nil},
		{"article typed", "100009", kefir.ID, nil},
		{"plu typed", "00001", banana.ID, nil},
		{"weight label", "2100001012342", banana.ID, nil},
		{"unknown", "4600000000008", "", pos.ErrUnknownBarcode},
		{"bad check digit", "4601234567890", "", pos.ErrInvalidBarcode},
		{"basket qr", "KB1.k1.e30.abc", "", ErrBasketCode},
		{"receipt qr", "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1", "", ErrNotProduct},
		{"words", "молоко", "", pos.ErrUnknownBarcode},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig()
			card, err := r.k.Scan(c.in)
			if !errors.Is(err, c.err) {
				t.Fatalf("Scan = %+v, %v; want %v", card, err, c.err)
			}
			if card.Product.ID != c.id {
				t.Errorf("product %q, want %q", card.Product.ID, c.id)
			}
			if err != nil && len(*r.events) != 0 {
				t.Errorf("a failed scan recorded %+v", *r.events)
			}
		})
	}
}

func TestProductURL(t *testing.T) {
	r := newRig()
	c, _ := r.k.Show(milk)
	got := r.k.ProductURL(c)
	if got != "https://shop.example/p/100002?utm_source=kiosk&utm_medium=qr&utm_campaign=demo-store&utm_content=100002" {
		t.Errorf("default url %s", got)
	}
	if e := (*r.events)[len(*r.events)-1]; e.Kind != pos.ChannelContinueOnline || e.Product != milk.ID {
		t.Errorf("event %+v", e)
	}
	for tmpl, want := range map[string]string{
		"{url}?utm_source=kiosk&s={store}":     "https://shop.example/moloko?utm_source=kiosk&s=demo-store",
		"https://x.example/b/{barcode}?q={id}": "https://x.example/b/4601111111119?q=100002",
		"https://x.example/?u={url}&x={nope}":  "https://x.example/?u=" + url.QueryEscape("https://shop.example/moloko") + "&x={nope}",
		"https://x.example/{id":                "https://x.example/{id",
	} {
		r.k.cfg.ProductURL = tmpl
		if got := r.k.ProductURL(c); got != want {
			t.Errorf("%s: %s, want %s", tmpl, got, want)
		}
	}
}

func TestBasket(t *testing.T) {
	r := newRig()
	s := r.k.NewSession()
	if _, _, err := s.QR(); !errors.Is(err, ErrEmptyBasket) {
		t.Fatalf("empty basket QR: %v", err)
	}
	mc, _ := r.k.Show(milk)
	kc, _ := r.k.Show(kefir)
	bc, _ := r.k.Show(banana)
	for _, c := range []Card{mc, kc, mc} {
		if err := s.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Add(bc); !errors.Is(err, ErrNotSellable) {
		t.Errorf("weighed: %v", err)
	}
	if s.Count() != 3 || len(s.Lines()) != 2 || s.Lines()[0].Qty != 2000 {
		t.Fatalf("lines %+v", s.Lines())
	}
	*r.events = nil
	b, payload, err := s.QR()
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != "b1" || b.Store != "demo-store" || !b.Expires.Equal(t0.Add(DefaultBasketTTL)) || b.Total() != 2*8990+10990 ||
		b.StoreTotal() != 3*10990 {
		t.Errorf("basket %+v, total %s / %s", b, b.Total(), b.StoreTotal())
	}
	if !r.signer.signed[0].Items[0].Until.IsZero() {
		t.Errorf("an offer that outlasts the basket carries its end: %+v", r.signer.signed[0].Items[0])
	}
	want := recorder{{Kind: pos.ChannelBasketCreated, At: t0, Basket: "b1", Amount: 2*8990 + 10990}}
	if !reflect.DeepEqual(*r.events, want) {
		t.Errorf("events %+v", *r.events)
	}
	if _, again, _ := s.QR(); again != payload || len(r.signer.signed) != 1 {
		t.Error("asking again without a change signed another code")
	}
	if err := s.SetQty(milk.ID, 0); err != nil {
		t.Fatal(err)
	}
	b2, payload2, err := s.QR()
	if err != nil || payload2 == payload || b2.ID != "b1" || len(b2.Items) != 1 || len(*r.events) != 1 {
		t.Errorf("changed basket: %+v %q %v; events %+v", b2, payload2, err, *r.events)
	}
	u, err := s.OnlineURL()
	if err != nil || !strings.Contains(u, "items="+url.QueryEscape("100009:1")) || !strings.Contains(u, "utm_content=b1") {
		t.Errorf("online url %s %v", u, err)
	}
	s.Clear()
	if s.Count() != 0 || s.Basket().ID != "" {
		t.Error("Clear kept the basket")
	}
}

func TestBasketLimits(t *testing.T) {
	r := newRig()
	s := r.k.NewSession()
	for i := range MaxBasketLines {
		p := pos.Product{ID: fmt.Sprintf("p%d", i), Price: 100}
		if err := s.Add(Card{Product: p, Basket: 100, Sellable: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Add(Card{Product: pos.Product{ID: "one more"}, Sellable: true}); !errors.Is(err, ErrBasketFull) {
		t.Errorf("line %d: %v", MaxBasketLines+1, err)
	}
	if err := s.SetQty("p0", MaxLineQty+pos.QtyOne); !errors.Is(err, ErrLineQty) {
		t.Errorf("qty: %v", err)
	}
	if err := s.SetQty("nope", pos.QtyOne); !errors.Is(err, pos.ErrLineNotFound) {
		t.Errorf("unknown line: %v", err)
	}
	noSigner := New(Config{Store: "s"}).NewSession()
	_ = noSigner.Add(Card{Product: milk, Basket: 1, Sellable: true})
	if _, _, err := noSigner.QR(); !errors.Is(err, ErrNoSigner) {
		t.Errorf("no signer: %v", err)
	}
}

func TestBasketOfferEnd(t *testing.T) {
	r := newRig()
	r.k.cfg.BasketTTL = 30 * 24 * time.Hour // longer than the milk offer
	s := r.k.NewSession()
	mc, _ := r.k.Show(milk)
	_ = s.Add(mc)
	b, _, err := s.QR()
	if err != nil {
		t.Fatal(err)
	}
	if !b.Items[0].Until.Equal(t0.Add(7 * 24 * time.Hour)) {
		t.Errorf("until %v: the offer ends before the basket", b.Items[0].Until)
	}
}
