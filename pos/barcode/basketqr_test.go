package barcode

import (
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

// A basket payload as the kiosk signs it (the signature is not the classifier's business).
const basketPayload = "KB1.demo1.eyJiIjoiYjEiLCJzIjoiZGVtby1zdG9yZSIsImV4cCI6MTkwMDAwMDAwMCwiaSI6W1siMTAwMDAxIiwxMDAwLDU5OTAsMF1dfQ.3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func TestBasketQRRecognizer(t *testing.T) {
	c := NewClassifier(DefaultWeightLayout())
	for _, tc := range []struct {
		name, in string
		kind     Kind
		err      error
	}{
		{"basket", basketPayload, KindBasketQR, nil},
		{"with AIM QR identifier", "]Q1" + basketPayload, KindBasketQR, nil},
		{"cut short", basketPayload[:20], KindUnknown, pos.ErrInvalidBarcode},
		{"space inside", basketPayload[:30] + " " + basketPayload[31:], KindUnknown, pos.ErrInvalidBarcode},
		{"empty part", "KB1.demo1..abc", KindUnknown, pos.ErrInvalidBarcode},
		{"another version", "KB2.demo1.e30.abc", KindUnknown, pos.ErrUnknownBarcode},
		{"lower-case prefix", "kb1.demo1.e30.abc", KindUnknown, pos.ErrUnknownBarcode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := c.Classify(tc.in)
			if !errors.Is(err, tc.err) {
				t.Fatalf("Classify = %+v, %v; want %v", code, err, tc.err)
			}
			if code.Kind != tc.kind {
				t.Errorf("kind %v, want %v", code.Kind, tc.kind)
			}
			if err == nil && code.Raw != basketPayload {
				t.Errorf("Raw %q, want the payload without its AIM identifier", code.Raw)
			}
		})
	}
}

func FuzzBasketQRRecognizer(f *testing.F) {
	f.Add(basketPayload)
	f.Add("KB1.k.b.m")
	f.Fuzz(func(t *testing.T, s string) {
		code, ok, err := recognizeBasketQR(s)
		if err != nil && !errors.Is(err, pos.ErrInvalidBarcode) {
			t.Fatalf("error %v is not ErrInvalidBarcode", err)
		}
		if ok && err == nil && (code.Kind != KindBasketQR || code.Raw != s) {
			t.Fatalf("claimed %q as %+v", s, code)
		}
	})
}
