package barcode

import (
	"errors"
	"strconv"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

var checkDigitCases = []struct {
	digits string
	want   int
	ok     bool
}{
	{"460700177140", 1, true},  // EAN-13 4607001771401
	{"400638133393", 1, true},  // EAN-13 4006381333931
	{"978020137962", 4, true},  // ISBN-13 9780201379624
	{"211234501234", 6, true},  // PROTOCOLS.md weight label 2112345012346
	{"4600933", 3, true},       // EAN-8 46009333
	{"9638507", 4, true},       // EAN-8 96385074
	{"03600029145", 2, true},   // UPC-A 036000291452
	{"0000000000000", 0, true}, // GTIN-14 length
	{"9", 3, true},
	{"", 0, false},
	{"46070017714a", 0, false},
	{"4607 0017714", 0, false},
	{"-1", 0, false},
}

func TestCheckDigit(t *testing.T) {
	for _, tc := range checkDigitCases {
		got, err := CheckDigit(tc.digits)
		if !tc.ok {
			if !errors.Is(err, pos.ErrInvalidBarcode) {
				t.Errorf("CheckDigit(%q) error = %v, want pos.ErrInvalidBarcode", tc.digits, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CheckDigit(%q) = %d, %v; want %d", tc.digits, got, err, tc.want)
		}
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"EAN-13 good", ValidEAN13, "4607001771401", true},
		{"EAN-13 good 2", ValidEAN13, "4601234567893", true},
		{"EAN-13 bad check", ValidEAN13, "4607001771409", false},
		{"EAN-13 swapped digits", ValidEAN13, "4670001771401", false},
		{"EAN-13 too short", ValidEAN13, "460700177140", false},
		{"EAN-13 letter", ValidEAN13, "460700177140X", false},
		{"EAN-13 empty", ValidEAN13, "", false},
		{"EAN-8 good", ValidEAN8, "46009333", true},
		{"EAN-8 good 2", ValidEAN8, "96385074", true},
		{"EAN-8 bad check", ValidEAN8, "46009334", false},
		{"EAN-8 is not EAN-13", ValidEAN8, "4607001771401", false},
		{"UPC-A good", ValidUPCA, "036000291452", true},
		{"UPC-A bad check", ValidUPCA, "036000291453", false},
		{"UPC-A 13 digits", ValidUPCA, "0036000291452", false},
		{"UPC-A with space", ValidUPCA, "03600029145 ", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); got != tc.want {
				t.Errorf("valid(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzCheckDigit checks CheckDigit against the GS1 definition read the other way: with the check digit
// appended, digits weighted 1, 3, 1, … from the right sum to a multiple of ten.
func FuzzCheckDigit(f *testing.F) {
	for _, tc := range checkDigitCases {
		f.Add(tc.digits)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := CheckDigit(s)
		if err != nil {
			if allDigits(s) {
				t.Fatalf("CheckDigit(%q) failed on digits: %v", s, err)
			}
			if !errors.Is(err, pos.ErrInvalidBarcode) {
				t.Fatalf("CheckDigit(%q) error %v does not wrap pos.ErrInvalidBarcode", s, err)
			}
			return
		}
		if !allDigits(s) || d < 0 || d > 9 {
			t.Fatalf("CheckDigit(%q) = %d, want an error or one digit", s, d)
		}
		full := s + strconv.Itoa(d)
		sum := 0
		for i := range len(full) {
			w := 1
			if (len(full)-1-i)%2 == 1 {
				w = 3
			}
			sum += int(full[i]-'0') * w
		}
		if sum%10 != 0 {
			t.Fatalf("CheckDigit(%q) = %d: weighted sum of %q is %d", s, d, full, sum)
		}
		if len(s) == 12 && !ValidEAN13(full) {
			t.Fatalf("ValidEAN13(%q) = false for a computed check digit", full)
		}
	})
}
