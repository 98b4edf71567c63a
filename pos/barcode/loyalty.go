package barcode

import (
	"errors"
	"fmt"
	"strings"
)

// LoyaltyQRPrefix starts the store app's rotating loyalty QR code. It is sync/wire's LoyaltyQRPrefix,
// repeated because barcode knows nothing of the sync packages; pos/loyalty's tests keep the two equal.
const LoyaltyQRPrefix = "KL1."

// ErrBadCardRange is wrapped by LoyaltyRecognizer's error for a card range that cannot be an EAN-13 prefix.
var ErrBadCardRange = errors.New("bad loyalty card range")

// DefaultLoyaltyCardPrefix is the demo chain's card range: EAN-13 codes 2700000XXXXXC. A range inside
// the in-store prefixes 20–29 must be long enough not to swallow weight labels: with the default label
// layout, "2700000" only overlaps labels of item 00000, which no store gives out.
const DefaultLoyaltyCardPrefix = "2700000"

// LoyaltyRecognizer claims the chain's loyalty codes for Classifier.Register: an EAN-13 starting with one
// of prefixes is a KindLoyaltyCard (Item is the card number; a wrong check digit is an error, not a
// product), and text starting with LoyaltyQRPrefix is a KindLoyaltyQR, left for pos/loyalty to verify.
// Registered recognizers run before the weight labels, so a range inside 20–29 wins over them. Each prefix
// must be 1–12 digits; the error wraps ErrBadCardRange.
func LoyaltyRecognizer(prefixes []string) (Recognizer, error) {
	for _, p := range prefixes {
		if p == "" || len(p) > 12 || !allDigits(p) {
			return nil, fmt.Errorf("%w: %q is not 1–12 digits", ErrBadCardRange, p)
		}
	}
	ps := append([]string(nil), prefixes...)
	return func(s string) (Code, bool, error) {
		if strings.HasPrefix(s, LoyaltyQRPrefix) {
			return Code{Kind: KindLoyaltyQR, Raw: s}, true, nil
		}
		if len(s) != 13 || !allDigits(s) || !hasAnyPrefix(s, ps) {
			return Code{}, false, nil
		}
		if e := checkError(s, "loyalty card"); e != nil {
			return Code{}, false, e
		}
		return Code{Kind: KindLoyaltyCard, Raw: s, Item: s}, true, nil
	}, nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
