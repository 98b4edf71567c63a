package checkout

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

var contacts = []struct {
	in, want string
	ok       bool
}{
	{"+7 (916) 123-45-67", "+79161234567", true},
	{"89161234567", "+79161234567", true},
	{"8 916 123 45 67", "+79161234567", true},
	{"79161234567", "+79161234567", true},
	{"9161234567", "+79161234567", true},
	{"916.123.45.67", "+79161234567", true},
	{"  +79161234567  ", "+79161234567", true},
	{"", "", true},
	{"   ", "", true},
	{"Ivanova.A@Mail.RU", "Ivanova.A@mail.ru", true},
	{"buyer+receipts@example.com", "buyer+receipts@example.com", true},
	{"покупатель@почта.рф", "", false}, // the local part must be ASCII
	{"ivanova@почта.рф", "ivanova@почта.рф", true},
	{"+8 916 123 45 67", "", false},
	{"84951234567", "", false}, // a landline cannot take an SMS
	{"4951234567", "", false},
	{"916123456", "", false},
	{"+791612345678", "", false},
	{"+7 916 123-45-67 доб. 1", "", false},
	{"9161234567+", "", false},
	{"ivanova@mail", "", false},
	{"ivanova@@mail.ru", "", false},
	{"@mail.ru", "", false},
	{"iva nova@mail.ru", "", false},
	{"ivanova@mail..ru", "", false},
	{"ivanova@-mail.ru", "", false},
	{".ivanova@mail.ru", "", false},
	{"ivanova@mail.ru.", "", false},
	{"a-very-long-local-part-of-an-address-for-receipts@a-long-domain.example.com", "", false},
}

func TestNormalizeContact(t *testing.T) {
	for _, c := range contacts {
		got, err := NormalizeContact(c.in)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("NormalizeContact(%q) = %q, %v; want %q (ok %v)", c.in, got, err, c.want, c.ok)
		}
		if err != nil && !errors.Is(err, pos.ErrBadBuyerContact) {
			t.Errorf("NormalizeContact(%q) error %v does not wrap ErrBadBuyerContact", c.in, err)
		}
	}
}

func FuzzNormalizeContact(f *testing.F) {
	for _, c := range contacts {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeContact(s)
		if err != nil {
			return
		}
		again, err := NormalizeContact(got)
		if err != nil || again != got {
			t.Fatalf("NormalizeContact(%q) = %q, which normalises to %q, %v", s, got, again, err)
		}
		if len([]rune(got)) > maxContactLen {
			t.Fatalf("NormalizeContact(%q) = %q: longer than tag 1008 takes", s, got)
		}
	})
}

func TestBuyerGoesWithTheSale(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name      string
		do        func(r *rig) (pos.Sale, error)
		wantBuyer string // in the sale
		wantAfter string // on the till afterwards
	}{
		{"paid: in the sale, then forgotten", func(r *rig) (pos.Sale, error) {
			return r.till.Pay(ctx, cash(10000))
		}, "+79161234567", ""},
		{"refused by the register: kept for the next try", func(r *rig) (pos.Sale, error) {
			r.reg.failNext = "refuse"
			_, err := r.till.Pay(ctx, cash(10000))
			if !errors.Is(err, pos.ErrNotFiscalised) {
				return pos.Sale{}, err
			}
			return r.store.sales["sale-1"], nil
		}, "+79161234567", "+79161234567"},
		{"receipt abandoned", func(r *rig) (pos.Sale, error) {
			r.till.ClearCart()
			return pos.Sale{}, nil
		}, "", ""},
		{"receipt deferred", func(r *rig) (pos.Sale, error) {
			_, err := r.till.Defer()
			return pos.Sale{}, err
		}, "", ""},
		{"contact removed", func(r *rig) (pos.Sale, error) {
			if err := r.till.SetBuyer(""); err != nil {
				return pos.Sale{}, err
			}
			return r.till.Pay(ctx, cash(10000))
		}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			mustScan(t, r, "4607001771401")
			if err := r.till.SetBuyer("8 (916) 123-45-67"); err != nil {
				t.Fatal(err)
			}
			if err := r.till.SetBuyer("not a contact"); !errors.Is(err, pos.ErrBadBuyerContact) {
				t.Fatalf("SetBuyer of garbage = %v", err)
			}
			sale, err := c.do(r)
			if err != nil {
				t.Fatal(err)
			}
			if sale.Buyer != c.wantBuyer {
				t.Errorf("sale.Buyer = %q, want %q", sale.Buyer, c.wantBuyer)
			}
			if got := r.till.Buyer(); got != c.wantAfter {
				t.Errorf("till.Buyer() = %q afterwards, want %q", got, c.wantAfter)
			}
		})
	}
}

// The contact of an electronic receipt as the cashier types it, and as tag 1008 carries it.
func ExampleNormalizeContact() {
	for _, typed := range []string{"8 (916) 123-45-67", "Ivanova@Mail.RU", "8 495 123-45-67"} {
		c, err := NormalizeContact(typed)
		if err != nil {
			fmt.Println("refused:", err)
			continue
		}
		fmt.Println(c)
	}
	// Output:
	// +79161234567
	// Ivanova@mail.ru
	// refused: not a phone number or e-mail: "8 495 123-45-67" is not a mobile number
}
