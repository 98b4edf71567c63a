package checkout

import (
	"context"
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/loyalty"
)

// fakeLoyalty recognises customers by exact text.
type fakeLoyalty struct {
	customers map[string]loyalty.Customer
	rules     loyalty.Rules
	offline   bool
}

func (f *fakeLoyalty) Identify(text string) (loyalty.Customer, error) {
	if c, ok := f.customers[text]; ok {
		return c, nil
	}
	return loyalty.Customer{}, loyalty.ErrUnknownCard
}

func (f *fakeLoyalty) Rules() loyalty.Rules { return f.rules }
func (f *fakeLoyalty) Offline() bool        { return f.offline }

type channelLog []pos.ChannelEvent

func (c *channelLog) RecordChannelEvent(e pos.ChannelEvent) error {
	*c = append(*c, e)
	return nil
}

var (
	anna = loyalty.Customer{ID: "c1", Name: "Анна П.", Tier: "gold", Balance: 100000, Via: loyalty.ViaCard, Card: "2700000000014"}
	oleg = loyalty.Customer{ID: "c2", Name: "Олег С.", Balance: 10000, Unsettled: 8000, Via: loyalty.ViaPhone, Phone: "+79000000002"}
)

func newLoyaltyRig(t *testing.T) (*rig, *fakeLoyalty, *channelLog) {
	t.Helper()
	r := newRig(t)
	r.store.products = append(r.store.products, pos.Product{ID: "1002", Name: "Хлеб", Barcodes: []string{"4601234500012"},
		Price: 8990, VAT: pos.VAT10})
	f := &fakeLoyalty{customers: map[string]loyalty.Customer{"anna": anna, "oleg": oleg}, rules: loyalty.DefaultRules()}
	events := &channelLog{}
	r.till.cfg.Loyalty, r.till.cfg.Channel = f, events
	return r, f, events
}

func (r *rig) scanN(t *testing.T, code string, n int) {
	t.Helper()
	for range n {
		if _, err := r.till.Scan(code, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRedeemPoints(t *testing.T) {
	for _, tc := range []struct {
		name     string
		customer string
		offline  bool
		own      pos.Money // the cashier's own receipt discount, typed before the points
		ask      pos.Money // 0: as many as allowed
		after    func(t *testing.T, r *rig)
		want     pos.Money // points applied
		total    pos.Money // the receipt's total then
		err      error
	}{
		// 2 × 89,90 = 179,80: half is 89,90, whole rubles: 89,00.
		{name: "as many as allowed", customer: "anna", want: 8900, total: 9080},
		{name: "a sum", customer: "anna", ask: 5000, want: 5000, total: 12980},
		{name: "more than allowed", customer: "anna", ask: 9000, err: loyalty.ErrTooManyPoints, total: 17980},
		{name: "after the cashier's discount", customer: "anna", own: 1980, want: 8000, total: 8000},
		{name: "offline limit", customer: "anna", offline: true, want: 5000, total: 12980},
		// 100,00 pulled, 80,00 spent here already: 20,00 left.
		{name: "this till's unsent redemptions count", customer: "oleg", want: 2000, total: 15980},
		{name: "a line voided: all points follow the receipt", customer: "anna",
			after: func(t *testing.T, r *rig) { _ = r.till.CancelLine(0) }, want: 4400, total: 4590},
		{name: "a line added: a sum stays", customer: "anna", ask: 5000,
			after: func(t *testing.T, r *rig) { r.scanN(t, "4607001771401", 1) }, want: 5000, total: 21970},
		{name: "the cashier changes the receipt discount", customer: "anna",
			after: func(t *testing.T, r *rig) { _ = r.till.Cart().SetReceiptDiscount(2000) }, want: 7900, total: 8080},
		{name: "given back", customer: "anna", after: func(t *testing.T, r *rig) { r.till.CancelRedemption() }, want: 0, total: 17980},
		{name: "no customer", err: loyalty.ErrNoCustomer, total: 17980},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, f, _ := newLoyaltyRig(t)
			f.offline = tc.offline
			if tc.offline {
				f.rules.OfflineLimit = 5000
			}
			r.scanN(t, "4607001771401", 1) // milk and bread, 89,90 each: two lines
			r.scanN(t, "4601234500012", 1)
			if tc.own > 0 {
				if err := r.till.Cart().SetReceiptDiscount(tc.own); err != nil {
					t.Fatal(err)
				}
			}
			if tc.customer != "" {
				if _, err := r.till.IdentifyCustomer(tc.customer); err != nil {
					t.Fatal(err)
				}
			}
			got, err := r.till.RedeemPoints(tc.ask)
			if !errors.Is(err, tc.err) {
				t.Fatalf("RedeemPoints = %s, %v; want %v", got, err, tc.err)
			}
			if tc.after != nil {
				tc.after(t, r)
			}
			q, _ := r.till.Loyalty()
			if q.Redeemed != tc.want || r.till.Cart().Totals().Total != tc.total {
				t.Fatalf("points %s, total %s; want %s, %s", q.Redeemed, r.till.Cart().Totals().Total, tc.want, tc.total)
			}
			if tc.customer == "" {
				return
			}
			sale, err := r.till.Pay(context.Background(), cash(tc.total))
			if err != nil {
				t.Fatal(err)
			}
			c := f.customers[tc.customer]
			want := pos.SaleLoyalty{Customer: c.ID, Redeemed: tc.want, Earned: f.rules.Earned(c.Tier, tc.total)}
			if sale.Loyalty != want || sale.Total != tc.total {
				t.Errorf("sale: total %s, loyalty %+v; want %s, %+v", sale.Total, sale.Loyalty, tc.total, want)
			}
			var discounts pos.Money
			for _, l := range sale.Lines {
				discounts += l.Discount
			}
			if discounts != tc.own+tc.want && tc.after == nil {
				t.Errorf("the lines carry %s of discount, want %s", discounts, tc.own+tc.want)
			}
			if _, still := r.till.Customer(); still {
				t.Error("the customer stays for the next receipt")
			}
		})
	}
}

func TestNothingToRedeem(t *testing.T) {
	for _, tc := range []struct {
		name    string
		c       loyalty.Customer
		offline bool
		err     error
	}{
		{"no balance", loyalty.Customer{ID: "c3", Balance: 5000, Unsettled: 5000}, false, loyalty.ErrNothingToRedeem},
		{"offline redemption forbidden", anna, true, loyalty.ErrOfflineRedemption},
		{"less than a ruble", loyalty.Customer{ID: "c4", Balance: 99}, false, loyalty.ErrNothingToRedeem},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, f, _ := newLoyaltyRig(t)
			f.customers["x"], f.offline, f.rules.OfflineLimit = tc.c, tc.offline, 0
			r.scanN(t, "4607001771401", 1)
			if _, err := r.till.IdentifyCustomer("x"); err != nil {
				t.Fatal(err)
			}
			if _, err := r.till.RedeemPoints(0); !errors.Is(err, tc.err) {
				t.Errorf("RedeemPoints = %v, want %v", err, tc.err)
			}
			if r.till.Cart().ReceiptDiscount() != 0 {
				t.Error("a discount was left")
			}
		})
	}
}

func TestCustomerOnTheReceipt(t *testing.T) {
	r, _, events := newLoyaltyRig(t)
	if _, err := r.till.IdentifyCustomer("nobody"); !errors.Is(err, loyalty.ErrUnknownCard) {
		t.Fatalf("unknown card: %v", err)
	}
	r.scanN(t, "4607001771401", 2)
	for _, who := range []string{"anna", "anna"} { // the card scanned twice: one analytics event
		if _, err := r.till.IdentifyCustomer(who); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.till.RedeemPoints(0); err != nil {
		t.Fatal(err)
	}
	if err := r.till.UseCustomerPhone(); !errors.Is(err, pos.ErrBadBuyerContact) {
		t.Errorf("a card customer's phone: %v", err)
	}
	// Another customer takes over: Анна's points leave the receipt.
	if _, err := r.till.IdentifyCustomer("oleg"); err != nil {
		t.Fatal(err)
	}
	if q, _ := r.till.Loyalty(); q.Redeemed != 0 || r.till.Cart().ReceiptDiscount() != 0 || q.Customer.ID != "c2" {
		t.Errorf("after another card: %+v, discount %s", q, r.till.Cart().ReceiptDiscount())
	}
	if err := r.till.UseCustomerPhone(); err != nil || r.till.Buyer() != "+79000000002" {
		t.Errorf("e-receipt to the dictated phone: %q, %v", r.till.Buyer(), err)
	}
	if len(*events) != 2 || (*events)[0].Kind != pos.ChannelLoyaltyKnown || (*events)[1].Via != "phone" {
		t.Errorf("analytics: %+v", *events)
	}
	// Deferred: the points stay with the customer, not with the receipt put aside.
	if _, err := r.till.RedeemPoints(1000); err != nil {
		t.Fatal(err)
	}
	d, err := r.till.Defer()
	if err != nil || d.ReceiptDiscount != 0 {
		t.Fatalf("deferred %+v, %v", d, err)
	}
	if _, ok := r.till.Customer(); ok {
		t.Error("the customer stays after deferring")
	}
	if _, err := r.till.RedeemPoints(0); !errors.Is(err, loyalty.ErrNoCustomer) {
		t.Errorf("points without a customer: %v", err)
	}
}

// A refused receipt keeps the customer and the points: paying again carries them.
func TestLoyaltySurvivesARefusal(t *testing.T) {
	r, _, _ := newLoyaltyRig(t)
	r.scanN(t, "4607001771401", 2)
	if _, err := r.till.IdentifyCustomer("anna"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.till.RedeemPoints(0); err != nil {
		t.Fatal(err)
	}
	r.reg.failNext = "refuse"
	if _, err := r.till.Pay(context.Background(), cash(9080)); !errors.Is(err, pos.ErrNotFiscalised) {
		t.Fatalf("Pay = %v", err)
	}
	sale, err := r.till.Pay(context.Background(), cash(9080))
	if err != nil || sale.Loyalty.Redeemed != 8900 || sale.Total != 9080 {
		t.Fatalf("second Pay = %+v, %v", sale.Loyalty, err)
	}
}

func TestLoyaltyOff(t *testing.T) {
	r := newRig(t)
	if _, err := r.till.IdentifyCustomer("2700000000014"); !errors.Is(err, loyalty.ErrOff) {
		t.Errorf("IdentifyCustomer = %v", err)
	}
	if _, ok := r.till.Loyalty(); ok {
		t.Error("a quote without a programme")
	}
}

// Returning goods bought with points gives back the points spent on them and takes back those they
// earned, in proportion to the money returned; the parts of a full return add up to what the sale moved.
func TestRefundMovesThePointsBack(t *testing.T) {
	r, _, _ := newLoyaltyRig(t)
	r.scanN(t, "4607001771401", 3) // 3 × 89,90 = 269,70
	if _, err := r.till.IdentifyCustomer("anna"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.till.RedeemPoints(10000); err != nil {
		t.Fatal(err)
	}
	sale, err := r.till.Pay(context.Background(), cash(16970))
	if err != nil {
		t.Fatal(err)
	}
	if sale.Loyalty != (pos.SaleLoyalty{Customer: "c1", Redeemed: 10000, Earned: 848}) { // 5 % of 169,70
		t.Fatalf("sale loyalty %+v", sale.Loyalty)
	}
	var back, taken pos.Money
	var parts []pos.SaleLoyalty
	for range 3 {
		done := refundOne(t, r, sale, 0, pos.QtyOne, cash)
		parts = append(parts, done.Loyalty)
		back += done.Loyalty.Earned
		taken += done.Loyalty.Redeemed
	}
	if back != 10000 || taken != 848 {
		t.Errorf("the returns gave back %s and took back %s, want 100,00 and 8,48: %+v", back, taken, parts)
	}
	if parts[0].Customer != "c1" || parts[0].Earned != 3332 || parts[0].Redeemed != 282 {
		t.Errorf("the first of three: %+v, want a third of the points as of the money (56,56 of 169,70), rounded down", parts[0])
	}
	free, err := r.till.StartRefundWithoutReceipt()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.till.AddToRefund(free, "4607001771401", 0); err != nil {
		t.Fatal(err)
	}
	done, err := r.till.Refund(context.Background(), free, cash(free.Total()))
	if err != nil || done.Loyalty != (pos.SaleLoyalty{}) {
		t.Errorf("a return without the receipt moved points: %+v, %v", done.Loyalty, err)
	}
}
