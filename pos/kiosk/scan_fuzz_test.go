package kiosk

import (
	"slices"
	"testing"
)

// FuzzScan puts arbitrary text through the kiosk's scanner path (EAN, article, PLU, weight label, basket,
// loyalty and receipt QR codes are all recognised there): a card of a catalog product or an error, never
// a panic, and a failed scan records no analytics event.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"4601234567893", " 4601234567893\r\n", "100009", "00001", "2100001012342",
		"4600000000008", "4601234567890", "KB1.k1.e30.abc", "KL1.k1.e30.abc", "KP1.k1.e30.abc",
		"t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1", "молоко", "",
		"0104601234567890215abc\x1d93dGVz", "2770000000015", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := newRig()
		ids := []string{milk.ID, bread.ID, kefir.ID, banana.ID}
		card, err := r.k.Scan(text)
		if err != nil {
			if len(*r.events) != 0 {
				t.Fatalf("Scan(%q) failed (%v) and recorded %+v", text, err, *r.events)
			}
			return
		}
		if !slices.Contains(ids, card.Product.ID) {
			t.Fatalf("Scan(%q) = a card of %q, not a catalog product", text, card.Product.ID)
		}
		_ = r.k.ProductURL(card)
	})
}
