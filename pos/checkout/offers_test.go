package checkout

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/offers"
)

const breadCode = "4601234500012"

// annaOffers: 10 % off milk, 5 ₽ off each bread, double points from 300 ₽, until noon.
func annaOffers(until time.Time) []offers.Offer {
	return []offers.Offer{
		{ID: "milk10", Text: "−10 % на молоко", Kind: offers.Percent, Value: 1000, Product: "1001", Until: until},
		{ID: "bread5", Text: "−5 ₽ на хлеб", Kind: offers.Fixed, Value: 500, Product: "1002", Until: until},
		{ID: "x2", Text: "двойные баллы от 300 ₽", Kind: offers.Points, Value: 200, MinTotal: 30000, Until: until},
	}
}

func TestPersonalOffersAtTheTill(t *testing.T) {
	for _, tc := range []struct {
		name      string
		milk      int       // pieces of milk (89,90) scanned before the customer
		bread     int       // loaves (89,90)
		own       pos.Money // the cashier's own discount on the first line, typed before the customer
		late      bool      // the offers ended before the sale
		redeem    bool      // as many points as allowed (Ctrl+F9)
		discounts []pos.Money
		applied   []string
		texts     []string // per sale line: the offer text printed under it
		total     pos.Money
		redeemed  pos.Money
		earned    pos.Money
	}{
		// 2 × 89,90 = 179,80, 10 % = 17,98; bread 89,90 − 5,00; 246,72 earns 5 % = 12,33 (rounded down).
		{name: "a discount per line", milk: 2, bread: 1, discounts: []pos.Money{1798, 500}, applied: []string{"milk10", "bread5"},
			texts: []string{"−10 % на молоко", "−5 ₽ на хлеб"}, total: 24672, earned: 1233},
		// Points after the offers: half of 246,72 in whole rubles is 123,00, spread over what the offers left
		// (161,82 and 84,90); 123,72 earns 6,18.
		{name: "points after the offers", milk: 2, bread: 1, redeem: true, discounts: []pos.Money{1798 + 8067, 500 + 4233},
			applied: []string{"milk10", "bread5"}, texts: []string{"−10 % на молоко", "−5 ₽ на хлеб"}, total: 12372,
			redeemed: 12300, earned: 618},
		// 4 × 89,90 = 359,60 reaches 300 ₽: 323,64 earns twice 5 %. The points offer prints nothing.
		{name: "double points from 300 rubles", milk: 4, discounts: []pos.Money{3596}, applied: []string{"milk10", "x2"},
			texts: []string{"−10 % на молоко"}, total: 32364, earned: 3236},
		// The cashier's 10,00 first, then 10 % of the 169,80 left.
		{name: "on top of the cashier's line discount", milk: 2, own: 1000, discounts: []pos.Money{1000 + 1698},
			applied: []string{"milk10"}, texts: []string{"−10 % на молоко"}, total: 15282, earned: 764},
		{name: "offers ended", milk: 2, bread: 1, late: true, discounts: []pos.Money{0, 0}, texts: []string{"", ""},
			total: 26970, earned: 1348},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _, _ := newLoyaltyRig(t)
			c := anna
			c.Personal = annaOffers(r.now.Add(3 * time.Hour))
			r.till.cfg.Loyalty.(*fakeLoyalty).customers["anna"] = c
			r.scanN(t, "4607001771401", tc.milk)
			r.scanN(t, breadCode, tc.bread)
			if tc.own > 0 {
				if err := r.till.Cart().SetLineDiscount(0, tc.own); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := r.till.IdentifyCustomer("anna"); err != nil {
				t.Fatal(err)
			}
			if tc.late {
				r.now = r.now.Add(3 * time.Hour)
			}
			if tc.redeem {
				if _, err := r.till.RedeemPoints(0); err != nil {
					t.Fatal(err)
				}
			}
			q, ok := r.till.Loyalty()
			if !ok {
				t.Fatal("no loyalty quote")
			}
			var ids []string
			for _, a := range q.Offers {
				ids = append(ids, a.ID)
			}
			if !reflect.DeepEqual(ids, tc.applied) {
				t.Errorf("applied %v, want %v", ids, tc.applied)
			}
			var got []pos.Money
			for _, l := range r.till.Cart().Lines() {
				got = append(got, l.Discount)
			}
			if !reflect.DeepEqual(got, tc.discounts) {
				t.Errorf("line discounts %v, want %v", got, tc.discounts)
			}
			if q.Earn != tc.earned || q.Redeemed != tc.redeemed {
				t.Errorf("quote earns %s and redeems %s, want %s and %s", q.Earn, q.Redeemed, tc.earned, tc.redeemed)
			}
			sale, err := r.till.Pay(context.Background(), cash(100000))
			if err != nil {
				t.Fatal(err)
			}
			want := pos.SaleLoyalty{Customer: "c1", Redeemed: tc.redeemed, Earned: tc.earned}
			if sale.Total != tc.total || sale.Loyalty != want {
				t.Errorf("sale total %s loyalty %+v, want %s %+v", sale.Total, sale.Loyalty, tc.total, want)
			}
			var recorded []string
			for _, o := range sale.Offers {
				recorded = append(recorded, o.ID)
			}
			if !reflect.DeepEqual(recorded, tc.applied) {
				t.Errorf("the sale records offers %+v, want %v", sale.Offers, tc.applied)
			}
			var texts []string
			for _, l := range sale.Lines {
				texts = append(texts, l.Offer)
			}
			if !reflect.DeepEqual(texts, tc.texts) {
				t.Errorf("the lines' offer texts %q, want %q", texts, tc.texts)
			}
			for _, l := range sale.ActiveLines() {
				if l.Sum <= 0 {
					t.Errorf("line %s sums to %s", l.Name, l.Sum)
				}
			}
		})
	}
}

// TestOffersFollowTheReceipt: offers follow quantity changes, new lines and a cashier's discount typed over
// them, and leave the lines when the customer is forgotten or the receipt put aside.
func TestOffersFollowTheReceipt(t *testing.T) {
	r, _, _ := newLoyaltyRig(t)
	c := anna
	c.Personal = annaOffers(time.Time{})
	r.till.cfg.Loyalty.(*fakeLoyalty).customers["anna"] = c
	if _, err := r.till.IdentifyCustomer("anna"); err != nil {
		t.Fatal(err)
	}
	r.scanN(t, "4607001771401", 1)
	discounts := func() []pos.Money {
		r.till.AppliedOffers() // what the screen does on every draw
		var out []pos.Money
		for _, l := range r.till.Cart().Lines() {
			out = append(out, l.Discount)
		}
		return out
	}
	steps := []struct {
		name string
		do   func() error
		want []pos.Money
	}{
		{"first milk", func() error { return nil }, []pos.Money{899}},
		{"a second scan is a line of its own", func() error { _, err := r.till.Scan("4607001771401", 0); return err },
			[]pos.Money{899, 899}},
		{"three of the first", func() error { return r.till.SetQty(0, 3000) }, []pos.Money{2697, 899}},
		{"back to one", func() error { return r.till.SetQty(0, 1000) }, []pos.Money{899, 899}},
		{"the cashier types 20,00 on the second", func() error { return r.till.Cart().SetLineDiscount(1, 2000) },
			[]pos.Money{899, 2000 + 699}},
		{"void the first", func() error { return r.till.CancelLine(0) }, []pos.Money{899, 2699}},
		{"forget the customer", func() error { r.till.ForgetCustomer(); return nil }, []pos.Money{899, 2000}},
		{"recognised again", func() error { _, err := r.till.IdentifyCustomer("anna"); return err }, []pos.Money{899, 2699}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := discounts(); !reflect.DeepEqual(got, s.want) {
			t.Fatalf("%s: line discounts %v, want %v", s.name, got, s.want)
		}
	}
	d, err := r.till.Defer()
	if err != nil {
		t.Fatal(err)
	}
	if d.Lines[1].Discount != 2000 {
		t.Errorf("the receipt put aside keeps the offer: %+v", d.Lines[1])
	}
	if _, ok := r.till.Customer(); ok {
		t.Error("the customer stayed after the receipt was put aside")
	}
}

// TestOffersWithoutCustomerOffers: a customer without offers, or no programme, leaves the lines alone.
func TestOffersWithoutCustomerOffers(t *testing.T) {
	r, _, _ := newLoyaltyRig(t)
	r.scanN(t, "4607001771401", 2)
	if _, err := r.till.IdentifyCustomer("oleg"); err != nil {
		t.Fatal(err)
	}
	if got := r.till.AppliedOffers(); len(got) != 0 || r.till.Cart().Lines()[0].Discount != 0 {
		t.Errorf("offers %+v, line %+v", got, r.till.Cart().Lines()[0])
	}
}
