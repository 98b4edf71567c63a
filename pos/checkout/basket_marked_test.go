package checkout

import (
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

const (
	markedMilk1 = "0104615881399868215MilkPack001\x1d93Demo"
	markedMilk2 = "0104615881399868215MilkPack002\x1d93Demo"
)

// TestBasketPriceFloor: a signed basket cannot sell below what the chain offers now (a compromised kiosk
// signing milk at a kopeck): such a line is refused, the others sold; a basket of nothing else is
// refused as a whole with ErrBasketPrice.
func TestBasketPriceFloor(t *testing.T) {
	for _, tc := range []struct {
		name    string
		items   []wire.BasketItem
		err     error
		lines   int
		skipped []error
	}{
		{"the offer's price", []wire.BasketItem{{ProductID: "1001", Qty: 1000, Price: 7990}}, nil, 1, nil},
		{"a kopeck", []wire.BasketItem{{ProductID: "1001", Qty: 1000, Price: 1}}, ErrBasketPrice, 0, nil},
		{"a kopeck under the offer", []wire.BasketItem{{ProductID: "1001", Qty: 1000, Price: 7989},
			{ProductID: "1002", Qty: 1000, Price: 6290}}, nil, 1, []error{ErrBasketPrice}},
		{"no offer: the store's price", []wire.BasketItem{{ProductID: "1002", Qty: 1000, Price: 6000}}, ErrBasketPrice, 0, nil},
		{"dearer than the shelf: the shelf's", []wire.BasketItem{{ProductID: "1002", Qty: 1000, Price: 9000}}, nil, 1, nil},
		{"an ended offer is not checked", []wire.BasketItem{{ProductID: "1002", Qty: 1000, Price: 1, Until: t0}}, nil, 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newBasketRig(t)
			b := kioskBasket
			b.Items = tc.items
			res, err := r.till.Scan(sign(t, b, basketKey), 0)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if n := len(r.till.Cart().Lines()); n != tc.lines {
				t.Fatalf("%d lines, want %d", n, tc.lines)
			}
			if err != nil {
				return
			}
			for _, l := range r.till.Cart().Lines() {
				if l.Sum < 0 || l.Sum > l.Price.Times(l.Qty) {
					t.Errorf("line %+v", l)
				}
			}
			if len(res.Basket.Skipped) != len(tc.skipped) {
				t.Fatalf("skipped %+v, want %v", res.Basket.Skipped, tc.skipped)
			}
			for i, want := range tc.skipped {
				if !errors.Is(res.Basket.Skipped[i].Reason, want) {
					t.Errorf("skip %d: %v, want %v", i, res.Basket.Skipped[i].Reason, want)
				}
			}
		})
	}
}

// TestBasketWeighedGoods: a weighed product comes in the weight its label gave the kiosk, to the gram.
func TestBasketWeighedGoods(t *testing.T) {
	r := newBasketRig(t)
	b := kioskBasket
	b.Items = []wire.BasketItem{{ProductID: "3003", Qty: 755, Price: 13900}}
	if _, err := r.till.Scan(sign(t, b, basketKey), 0); err != nil {
		t.Fatal(err)
	}
	l := r.till.Cart().Lines()[0]
	want := pos.Money(13900).Times(755)
	if l.Qty != 755 || l.Unit != pos.UnitKg || l.Sum != want || l.Discount != pos.Money(14900).Times(755)-want {
		t.Errorf("line %+v, want 0,755 kg at 139,00 (%s)", l, want)
	}
}

// TestBasketMarkedGoods: a basket's marked packs wait for their codes; each code adds one pack at the
// basket's price with the basket's mark, the marking checks of the till hold (another product's code, the
// same pack twice), and the sale reports the basket.
func TestBasketMarkedGoods(t *testing.T) {
	r := newBasketRig(t)
	b := kioskBasket
	b.Items = []wire.BasketItem{{ProductID: "1004", Qty: 2000, Price: 8990}}
	res, err := r.till.Scan(sign(t, b, basketKey), 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.till.Cart().Len() != 0 || len(res.Basket.Marked) != 2 || res.Line != -1 {
		t.Fatalf("result %+v, %d lines", res.Basket, r.till.Cart().Len())
	}
	units := res.Basket.Marked
	for _, step := range []struct {
		name, code string
		want       error
	}{
		{"not a marking code", "4615881399868", pos.ErrNeedsMarking},
		{"another product's code", "0104690421631110215WtrDemo00001\x1d93Demo", nil}, // unknown GTIN here
		{"first pack", markedMilk1, nil},
		{"the same pack again", markedMilk1, pos.ErrMarkingDuplicate},
		{"second pack", markedMilk2, nil},
	} {
		u := units[0]
		if step.name == "second pack" {
			u = units[1]
		}
		_, err := r.till.ScanBasketMarking(u, step.code)
		switch {
		case step.name == "another product's code":
			if err == nil {
				t.Fatalf("%s: accepted", step.name)
			}
		case !errors.Is(err, step.want):
			t.Fatalf("%s: err = %v, want %v", step.name, err, step.want)
		}
	}
	lines := r.till.Cart().Lines()
	if len(lines) != 2 {
		t.Fatalf("lines %+v", lines)
	}
	for _, l := range lines {
		if id, _, ok := BasketOf(l); !ok || id != "b1" || l.Sum != 8990 || l.Discount != 1000 || l.Marking == "" {
			t.Errorf("line %+v: want a pack at 89,90 from basket b1 with its code", l)
		}
	}
	if _, err := r.till.Scan(sign(t, b, basketKey), 0); !errors.Is(err, ErrBasketRedeemed) {
		t.Errorf("the basket again: %v, want ErrBasketRedeemed", err)
	}
}
