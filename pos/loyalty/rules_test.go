package loyalty_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/loyalty"
)

func TestEarned(t *testing.T) {
	r := loyalty.Rules{Earn: map[string]loyalty.Percent{"": 100, "silver": 300, "gold": 550, "staff": 0}}
	for _, tc := range []struct {
		tier string
		paid pos.Money
		want pos.Money
	}{
		{"", 123456, 1234},       // 1 % of 1 234,56 = 12,3456 → 12,34: rounded down
		{"silver", 123456, 3703}, // 3 % = 37,0368
		{"Gold", 10000, 550},     // tiers match whatever their case
		{" gold ", 99, 5},        // 5,5 % of 0,99 = 0,05445
		{"bronze", 10000, 100},   // an unlisted tier earns the default rate
		{"staff", 10000, 0},      // a listed zero rate wins over the default
		{"", 99, 0},              // less than a kopeck
		{"", 0, 0},
		{"", -500, 0}, // never negative points
	} {
		if got := r.Earned(tc.tier, tc.paid); got != tc.want {
			t.Errorf("Earned(%q, %s) = %s, want %s", tc.tier, tc.paid, got, tc.want)
		}
	}
	if got := (loyalty.Rules{}).Earned("gold", 100000); got != 0 {
		t.Errorf("no rates earn %s", got)
	}
}

func TestMaxRedeem(t *testing.T) {
	base := loyalty.Rules{RedeemShare: 5000, OfflineLimit: 30000}
	whole := base
	whole.Step = 100
	all := loyalty.Rules{RedeemShare: loyalty.Whole, OfflineLimit: 1 << 40}
	for _, tc := range []struct {
		name      string
		rules     loyalty.Rules
		available pos.Money
		receipt   pos.Money
		offline   bool
		want      pos.Money
	}{
		{"half of the receipt", base, 100000, 100001, false, 50000}, // 50 % of 1 000,01 = 500,005 → 500,00
		{"the balance is smaller", base, 12345, 100000, false, 12345},
		{"offline limit", base, 100000, 100000, true, 30000},
		{"offline, balance below the limit", base, 2000, 100000, true, 2000},
		{"whole rubles", whole, 12345, 100000, false, 12300},
		{"whole rubles, less than one", whole, 99, 100000, false, 0},
		{"a kopeck stays to pay", all, 1 << 30, 500, false, 499},
		{"a one-kopeck receipt", all, 1000, 1, false, 0},
		{"no balance", base, 0, 100000, false, 0},
		{"overdrawn customer", base, -500, 100000, false, 0},
		{"empty receipt", base, 100000, 0, false, 0},
		{"offline redemption forbidden", loyalty.Rules{RedeemShare: 5000}, 100000, 100000, true, 0},
		{"share zero", loyalty.Rules{OfflineLimit: 100}, 100000, 100000, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rules.MaxRedeem(tc.available, tc.receipt, tc.offline); got != tc.want {
				t.Errorf("MaxRedeem(%s, %s, %v) = %s, want %s", tc.available, tc.receipt, tc.offline, got, tc.want)
			}
		})
	}
}

func TestRulesValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    loyalty.Rules
		ok   bool
	}{
		{"default", loyalty.DefaultRules(), true},
		{"nothing", loyalty.Rules{}, true},
		{"earn over 100 %", loyalty.Rules{Earn: map[string]loyalty.Percent{"gold": 10001}}, false},
		{"negative earn", loyalty.Rules{Earn: map[string]loyalty.Percent{"": -1}}, false},
		{"share over 100 %", loyalty.Rules{RedeemShare: 10001}, false},
		{"negative offline limit", loyalty.Rules{OfflineLimit: -1}, false},
		{"step over 1000 ₽", loyalty.Rules{Step: 100001}, false},
	} {
		err := tc.r.Validate()
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, loyalty.ErrBadRules) {
			t.Errorf("%s: Validate = %v", tc.name, err)
		}
	}
}

func TestPercentString(t *testing.T) {
	for p, want := range map[loyalty.Percent]string{100: "1 %", 250: "2,5 %", 5: "0,05 %", 5000: "50 %", 0: "0 %"} {
		if got := p.String(); got != want {
			t.Errorf("Percent(%d) = %q, want %q", int64(p), got, want)
		}
	}
}

func ExampleRules_MaxRedeem() {
	r := loyalty.DefaultRules() // half a receipt, whole rubles, 500 ₽ offline
	fmt.Println(r.MaxRedeem(123456, 150000, false))
	fmt.Println(r.MaxRedeem(123456, 150000, true))
	fmt.Println(r.Earned("gold", 100000))
	// Output:
	// 750,00
	// 500,00
	// 50,00
}
