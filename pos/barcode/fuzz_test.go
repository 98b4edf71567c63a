package barcode

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
)

// FuzzClassify feeds arbitrary scanner text to the default and a price-label classifier: neither may
// panic, every error must be a barcode *Error with displayable text, and every code must be internally
// consistent (an EAN-13 always re-validates).
func FuzzClassify(f *testing.F) {
	for _, tc := range classifyCases {
		f.Add(tc.in)
	}
	for _, tc := range receiptQRCases {
		f.Add(tc.in)
	}
	classifiers := []*Classifier{NewClassifier(DefaultWeightLayout()), NewClassifier(layoutPrice)}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range classifiers {
			code, err := c.Classify(text)
			if err != nil {
				checkFuzzError(t, text, err)
				continue
			}
			checkFuzzCode(t, text, code)
		}
	})
}

func checkFuzzError(t *testing.T, text string, err error) {
	t.Helper()
	if !errors.Is(err, pos.ErrInvalidBarcode) && !errors.Is(err, pos.ErrUnknownBarcode) {
		t.Fatalf("Classify(%q) error %v wraps no barcode sentinel", text, err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Classify(%q) error %T is not *Error", text, err)
	}
	if !utf8.ValidString(e.Text) || utf8.RuneCountInString(e.Text) > maxShownRunes+1 {
		t.Fatalf("Classify(%q) error text %q is not short valid UTF-8", text, e.Text)
	}
	for _, r := range e.Text {
		if r < 0x20 || r == 0x7f {
			t.Fatalf("Classify(%q) error text %q has a control character", text, e.Text)
		}
	}
}

func checkFuzzCode(t *testing.T, text string, code Code) {
	t.Helper()
	if code.Raw == "" || !strings.Contains(text, code.Raw) {
		t.Fatalf("Classify(%q) Raw %q is not part of the input", text, code.Raw)
	}
	ok := true
	switch code.Kind {
	case KindEAN13:
		ok = ValidEAN13(code.Raw) && code.GTIN == code.Raw
	case KindUPCA:
		ok = ValidUPCA(code.Raw) && ValidEAN13(code.GTIN) && code.GTIN == "0"+code.Raw
	case KindEAN8:
		ok = ValidEAN8(code.Raw) && code.GTIN == code.Raw
	case KindWeight:
		ok = ValidEAN13(code.Raw) && code.GTIN == "" && code.Item != "" &&
			(code.Weight > 0) != (code.Price > 0) && strings.HasPrefix(code.Raw, code.Prefix+code.Item)
	case KindArticle:
		ok = allDigits(code.Raw) && len(code.Raw) <= 7 && code.Item == code.Raw
	case KindMarking:
		m := code.Marking
		ok = m != nil && m.Raw == code.Raw && validGTIN14(m.GTIN) && strings.HasSuffix(m.GTIN, code.GTIN) &&
			m.Serial != "" && strings.HasPrefix(m.CIS(), "01"+m.GTIN+"21") && code.Weight == m.Weight
	case KindReceiptQR:
		again, err := ParseReceiptQR(code.Raw)
		ok = code.Receipt != nil && err == nil && again == *code.Receipt
	case KindBasketQR:
		ok = strings.HasPrefix(code.Raw, BasketQRPrefix) && strings.Count(code.Raw, ".") == 3
	default:
		ok = false
	}
	if code.Kind != KindMarking && code.Marking != nil || code.Kind != KindReceiptQR && code.Receipt != nil {
		ok = false
	}
	if !ok {
		t.Fatalf("Classify(%q) = %+v: inconsistent %v", text, code, code.Kind)
	}
}
