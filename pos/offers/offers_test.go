package offers_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/offers"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

var (
	milk10  = offers.Offer{ID: "milk10", Text: "−10 % на молоко", Kind: offers.Percent, Value: 1000, Group: "M"}
	bread5  = offers.Offer{ID: "bread5", Kind: offers.Fixed, Value: 500, Product: "B01"}
	all3    = offers.Offer{ID: "all3", Kind: offers.Percent, Value: 300}
	double  = offers.Offer{ID: "double", Kind: offers.Points, Value: 200, MinTotal: 100000}
	expired = offers.Offer{ID: "old", Kind: offers.Percent, Value: 5000, Until: now}
	future  = offers.Offer{ID: "new", Kind: offers.Percent, Value: 5000, From: now.Add(time.Second)}
)

func line(id string, qty pos.Qty, net pos.Money) offers.Line {
	return offers.Line{ProductID: id, Qty: qty, Net: net}
}

func TestDiscount(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    offers.Offer
		qty  pos.Qty
		net  pos.Money
		want pos.Money
	}{
		{"percent rounds down", milk10, 3000, 32970, 3297},
		{"percent of an odd kopeck", milk10, 1000, 10999, 1099},
		{"fixed per piece", bread5, 2000, 12580, 1000},
		{"fixed per kilogram rounds down", bread5, 755, 10000, 377},
		{"fixed keeps a kopeck", bread5, 1000, 300, 299},
		{"one kopeck gets nothing", bread5, 1000, 1, 0},
		{"nothing of nothing", milk10, 1000, 0, 0},
		{"full percent keeps a kopeck", offers.Offer{Kind: offers.Percent, Value: 10000}, 1000, 5000, 4999},
		{"points give no discount", double, 1000, 5000, 0},
		{"bad percent", offers.Offer{Kind: offers.Percent, Value: 10001}, 1000, 5000, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.o.Discount(tc.qty, tc.net); got != tc.want {
				t.Errorf("Discount(%s, %s) = %s, want %s", tc.qty, tc.net, got, tc.want)
			}
		})
	}
}

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		name      string
		list      []offers.Offer
		lines     []offers.Line
		discounts []pos.Money
		mult      []int64
		applied   []string
		waiting   []string
	}{
		{"group and product", []offers.Offer{milk10, bread5},
			[]offers.Line{line("M02", 1000, 10990), line("B01", 2000, 12580), line("W03", 1000, 6490)},
			[]pos.Money{1099, 1000, 0}, []int64{100, 100, 100}, []string{"milk10", "bread5"}, nil},
		{"largest wins, no stacking", []offers.Offer{all3, milk10},
			[]offers.Line{line("M02", 1000, 10990), line("W03", 1000, 6490)},
			[]pos.Money{1099, 194}, []int64{100, 100}, []string{"all3", "milk10"}, nil},
		{"tie to the first listed", []offers.Offer{all3, {ID: "all3b", Kind: offers.Percent, Value: 300}},
			[]offers.Line{line("W03", 1000, 6490)},
			[]pos.Money{194}, []int64{100}, []string{"all3"}, []string{"all3b"}},
		{"minimum not reached", []offers.Offer{double},
			[]offers.Line{line("M02", 1000, 99999)},
			[]pos.Money{0}, []int64{100}, nil, []string{"double"}},
		{"minimum reached: double points", []offers.Offer{double, milk10},
			[]offers.Line{line("M02", 1000, 60000), line("X01", 1000, 40000)},
			[]pos.Money{6000, 0}, []int64{200, 200}, []string{"double", "milk10"}, nil},
		{"cancelled lines count for nothing", []offers.Offer{double, all3},
			[]offers.Line{{ProductID: "M02", Qty: 1000, Net: 200000, Cancelled: true}, line("W03", 1000, 6490)},
			[]pos.Money{0, 194}, []int64{100, 100}, []string{"all3"}, []string{"double"}},
		{"out of their time", []offers.Offer{expired, future},
			[]offers.Line{line("W03", 1000, 6490)},
			[]pos.Money{0}, []int64{100}, nil, nil},
		{"nothing targeted waits", []offers.Offer{bread5},
			[]offers.Line{line("W03", 1000, 6490)},
			[]pos.Money{0}, []int64{100}, nil, []string{"bread5"}},
		{"no lines", []offers.Offer{all3}, nil, []pos.Money{}, []int64{}, nil, []string{"all3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := offers.Apply(tc.list, tc.lines, now)
			if !reflect.DeepEqual(r.Discounts, tc.discounts) || !reflect.DeepEqual(r.Multipliers, tc.mult) {
				t.Errorf("discounts %v multipliers %v, want %v %v", r.Discounts, r.Multipliers, tc.discounts, tc.mult)
			}
			var applied, waiting []string
			var sum pos.Money
			for _, a := range r.Applied {
				applied = append(applied, a.Offer.ID)
				sum += a.Discount
			}
			for _, o := range r.Waiting {
				waiting = append(waiting, o.ID)
			}
			if !reflect.DeepEqual(applied, tc.applied) || !reflect.DeepEqual(waiting, tc.waiting) {
				t.Errorf("applied %v waiting %v, want %v %v", applied, waiting, tc.applied, tc.waiting)
			}
			if sum != r.Total() {
				t.Errorf("the applied offers' discounts add to %s, the lines' to %s", sum, r.Total())
			}
		})
	}
}

func TestWeighted(t *testing.T) {
	r := offers.Result{Multipliers: []int64{200, 100, 150}}
	for _, tc := range []struct {
		sums []pos.Money
		want pos.Money
	}{
		{[]pos.Money{1000, 1000, 1000}, 4500},
		{[]pos.Money{1, 0, 1}, 3},        // 2 + 0 + 1,5 rounded down once
		{[]pos.Money{0, 0, 0, 777}, 777}, // a line the offers did not see counts as normal
		{[]pos.Money{-5, 10, 0}, 10},
	} {
		if got := r.Weighted(tc.sums); got != tc.want {
			t.Errorf("Weighted(%v) = %s, want %s", tc.sums, got, tc.want)
		}
	}
}

func ExampleApply() {
	list := []offers.Offer{
		{ID: "milk10", Text: "−10 % на молоко", Kind: offers.Percent, Value: 1000, Group: "M"},
		{ID: "double", Text: "двойные баллы от 1000 ₽", Kind: offers.Points, Value: 200, MinTotal: 100000},
	}
	lines := []offers.Line{
		{ProductID: "M02", Qty: 2000, Net: 21980}, // two bottles of milk, 219,80
		{ProductID: "X01", Qty: 1000, Net: 4990},
	}
	r := offers.Apply(list, lines, time.Now())
	for _, a := range r.Applied {
		fmt.Printf("применено: %s (−%s)\n", a.Offer.Text, a.Discount)
	}
	for _, o := range r.Waiting {
		fmt.Println("ещё не применено:", o.Text)
	}
	// Output:
	// применено: −10 % на молоко (−21,98)
	// ещё не применено: двойные баллы от 1000 ₽
}
