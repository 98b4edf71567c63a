package ui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

// olegOffers are the personal offers of the pulled customer c2 (newLoyaltyRig).
var olegOffers = []wire.PersonalOffer{
	{ID: "o-milk", Text: "−10 % на молоко", Kind: wire.OfferPercent, Value: 1000, Product: "1001"},
	{ID: "o-x2", Text: "двойные баллы от 500 ₽", Kind: wire.OfferPoints, Value: 200, MinTotal: 50000},
}

// TestLoyaltyPersonalOffers: the customer's card applies their offer to the milk before payment; the
// panel and the message line say what was applied and what still waits, and the fiscal receipt and the
// journal carry the discounted line.
func TestLoyaltyPersonalOffers(t *testing.T) {
	r := newLoyaltyRig(t, true)
	r.scan("4607001771401") // milk 89,90
	r.scan("4601234500012") // bread 55,00
	r.scan("2700000000021") // Олег's card
	panel := textsOf(r.screen.loyalty.box)
	for _, want := range []string{"★ Олег С.", "применено: −10 % на молоко −8,99 ₽", "ещё доступно: двойные баллы от 500 ₽"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel does not show %q:\n%s", want, panel)
		}
	}
	if msg := r.screen.Message(); !strings.Contains(msg, "Покупатель: Олег С.") || !strings.Contains(msg, "применено: −10 % на молоко") {
		t.Errorf("message line = %q", msg)
	}
	if got := r.screen.total.Text; !strings.Contains(got, "135,91") {
		t.Errorf("total with the offer: %q, want 135,91", got)
	}
	r.payCash(t)
	sales, err := r.store.RecentSales(1)
	if err != nil || len(sales) != 1 {
		t.Fatalf("journal = %v, %v", sales, err)
	}
	s := sales[0]
	want := pos.SaleLoyalty{Customer: "c2", Earned: 135} // 1 % of 135,91, rounded down
	if s.Total != 13591 || s.Loyalty != want || s.Lines[0].Discount != 899 || s.Lines[1].Discount != 0 {
		t.Fatalf("sale total %s, loyalty %+v, lines %+v", s.Total, s.Loyalty, s.Lines)
	}
	if !regexp.MustCompile(`ИТОГ +=135,91`).MatchString(r.dev.Tape()) {
		t.Errorf("the fiscal receipt's total is not 135,91:\n%s", r.dev.Tape())
	}
	if len(s.Offers) != 1 || s.Offers[0] != (pos.SaleOffer{ID: "o-milk", Discount: 899}) {
		t.Errorf("the sale records offers %+v", s.Offers)
	}
	evs, err := r.store.PeekEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range evs {
		if ev.Type == wire.TypeSale && strings.Contains(string(ev.Payload), `"offers":[{"id":"o-milk","discount":899}]`) {
			found = true
		}
	}
	if !found {
		t.Error("the sale event for the hub does not carry the applied offer")
	}
}
