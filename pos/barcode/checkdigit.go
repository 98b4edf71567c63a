// Package barcode turns the text a scanner or a cashier sends to the till into a typed Code.
//
// The till never looks at raw scanner text itself: it asks a Classifier, which strips the transport
// noise (surrounding spaces, the trailing CR/LF of keyboard wedges, an AIM symbology identifier such as
// "]E0"), then offers the text to the registered Recognizers, to the built-in marking code one (GS1
// DataMatrix of Честный знак and tobacco pack codes, parsed by ParseGS1) and finally to the built-in
// numeric ones: EAN-13, in-store weight and price labels, EAN-8, UPC-A and short article numbers typed
// by hand. New kinds of code are added by registering a Recognizer, without touching the till.
//
// Keyboard-wedge scanners lose the GS separators of marking codes and type Latin letters as Cyrillic
// ones under the Russian layout; a WedgeRepair set with SetWedgeRepair undoes both before classifying.
//
// Every failure wraps pos.ErrInvalidBarcode (a known symbology with a bad check digit or value) or
// pos.ErrUnknownBarcode (nothing recognised the text) inside an *Error that carries the offending text,
// shortened and made printable for the UI.
package barcode

import (
	"fmt"

	"github.com/kassa-pos/kassa/pos"
)

// CheckDigit returns the GS1 mod-10 check digit for digits, the part of a GTIN, GLN or SSCC before its
// check digit. Weights alternate 3, 1 starting from the rightmost digit, so one function serves every
// GS1 length (EAN-8, UPC-A, EAN-13, GTIN-14, SSCC).
func CheckDigit(digits string) (int, error) {
	if digits == "" {
		return 0, fmt.Errorf("check digit: %w: no digits", pos.ErrInvalidBarcode)
	}
	sum := 0
	weight := 3
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("check digit: %w: %q is not a digit", pos.ErrInvalidBarcode, rune(c))
		}
		// Keeping the running sum below 10 makes arbitrarily long input safe from overflow.
		sum = (sum + int(c-'0')*weight) % 10
		weight = 4 - weight
	}
	return (10 - sum) % 10, nil
}

// ValidEAN13 reports whether s is 13 digits with a correct check digit.
func ValidEAN13(s string) bool { return validGS1(s, 13) }

// ValidEAN8 reports whether s is 8 digits with a correct check digit.
func ValidEAN8(s string) bool { return validGS1(s, 8) }

// ValidUPCA reports whether s is 12 digits with a correct check digit.
func ValidUPCA(s string) bool { return validGS1(s, 12) }

func validGS1(s string, n int) bool {
	if len(s) != n || !allDigits(s) {
		return false
	}
	want, err := CheckDigit(s[:n-1])
	return err == nil && int(s[n-1]-'0') == want
}

// checkError describes a wrong check digit, or returns nil when s (all digits) is correct.
func checkError(s, symbology string) *Error {
	want, err := CheckDigit(s[:len(s)-1])
	if err != nil {
		return newError(s, pos.ErrInvalidBarcode, err.Error())
	}
	if got := int(s[len(s)-1] - '0'); got != want {
		return newError(s, pos.ErrInvalidBarcode,
			fmt.Sprintf("wrong %s check digit %d, want %d", symbology, got, want))
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
