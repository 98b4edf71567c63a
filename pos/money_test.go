package pos

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

var parseMoneyCases = []struct {
	in   string
	want Money
	bad  bool
}{
	{"150", 15000, false},
	{"150,5", 15050, false},
	{"150.50", 15050, false},
	{"1 500,00", 150000, false},
	{",99", 99, false},
	{"0", 0, false},
	{"", 0, true},
	{"1,234", 0, true},
	{"12a", 0, true},
	{"-5", 0, true},
	{"1.", 0, true},
	{"9999999999999", 0, true},
}

func TestParseMoney(t *testing.T) {
	for _, c := range parseMoneyCases {
		got, err := ParseMoney(c.in)
		if c.bad {
			if !errors.Is(err, ErrBadAmount) {
				t.Errorf("ParseMoney(%q) err = %v, want ErrBadAmount", c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, c := range parseMoneyCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		if m < 0 {
			t.Fatalf("ParseMoney(%q) = %d < 0", s, m)
		}
		back, err := ParseMoney(m.Plain())
		if err != nil || back != m {
			t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, m, m.Plain(), back, err)
		}
	})
}

func TestMoneyString(t *testing.T) {
	for _, c := range []struct {
		m          Money
		str, plain string
	}{
		{0, "0,00", "0.00"},
		{5, "0,05", "0.05"},
		{123456, "1 234,56", "1234.56"},
		{-99, "-0,99", "-0.99"},
		{123456789012, "1 234 567 890,12", "1234567890.12"},
	} {
		if got := c.m.String(); got != c.str {
			t.Errorf("%d.String() = %q, want %q", c.m, got, c.str)
		}
		if got := c.m.Plain(); got != c.plain {
			t.Errorf("%d.Plain() = %q, want %q", c.m, got, c.plain)
		}
	}
}

func TestTimesRounding(t *testing.T) {
	for _, c := range []struct {
		price Money
		qty   Qty
		want  Money
	}{
		{14900, 734, 10937},  // 149,00 × 0,734 = 109,366 → 109,37
		{14900, 1000, 14900}, // one piece
		{8990, 2000, 17980},
		{1, 500, 1},   // 0,005 rounds half away from zero
		{1, 499, 0},   // 0,00499 rounds down
		{-1, 500, -1}, // symmetric for negatives
	} {
		if got := c.price.Times(c.qty); got != c.want {
			t.Errorf("%d × %d = %d, want %d", c.price, c.qty, got, c.want)
		}
	}
}

func TestQty(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Qty
		str  string
	}{
		{"2", 2000, "2"},
		{"0,734", 734, "0,734"},
		{"1.5", 1500, "1,5"},
		{"0,05", 50, "0,05"},
	} {
		got, err := ParseQty(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseQty(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
		if got.String() != c.str {
			t.Errorf("%d.String() = %q, want %q", got, got.String(), c.str)
		}
	}
}

func TestVAT(t *testing.T) {
	for _, c := range []struct {
		rate VATRate
		sum  Money
		tax  Money
	}{
		{VAT20, 12000, 2000},
		{VAT10, 11000, 1000},
		{VAT22, 12200, 2200},
		{VAT22_122, 12200, 2200},
		{VAT20_120, 100, 17}, // 16,67 kopecks → 17
		{VAT0, 5000, 0},
		{VATNone, 5000, 0},
		{VAT10, 8990, 817}, // 89,90 × 10/110 = 8,1727
	} {
		if got := c.rate.TaxOf(c.sum); got != c.tax {
			t.Errorf("%s of %s = %s, want %s", c.rate, c.sum, got, c.tax)
		}
		back, err := ParseVATRate(c.rate.Code())
		if err != nil || back != c.rate {
			t.Errorf("ParseVATRate(%q) = %v, %v", c.rate.Code(), back, err)
		}
	}
	if _, err := ParseVATRate("18"); err == nil {
		t.Error("ParseVATRate(18) accepted a rate abolished in 2019")
	}
}

func TestReceiptQR(t *testing.T) {
	// Built from PROTOCOLS.md vector 5r: FD 163, FP 776727275, 2017-03-24 20:53, 200.00.
	f := FiscalResult{FDNumber: 163, FiscalSign: 776727275, FNSerial: "9287440301120991",
		At: time.Date(2017, 3, 24, 20, 53, 0, 0, time.UTC)}
	want := "t=20170324T2053&s=200.00&fn=9287440301120991&i=163&fp=776727275&n=1"
	if got := f.QR(20000); got != want {
		t.Errorf("QR = %q, want %q", got, want)
	}
}

func ExampleMoney_Times() {
	apples := Product{Name: "Яблоки Гала", Price: Rubles(149, 0), Unit: UnitKg}
	weight, _ := ParseQty("0,734")
	fmt.Println(apples.Price.Times(weight), "₽ за", weight, apples.Unit.Short())
	// Output: 109,37 ₽ за 0,734 кг
}
