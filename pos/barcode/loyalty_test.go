package barcode

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

var loyaltyCases = []struct {
	name     string
	prefixes []string
	in       string
	want     Code
	wantErr  error
}{
	{name: "card in the default range", in: "2700000000014",
		want: Code{Kind: KindLoyaltyCard, Raw: "2700000000014", Item: "2700000000014"}},
	{name: "card with the scanner's AIM id", in: "]E02700000000021",
		want: Code{Kind: KindLoyaltyCard, Raw: "2700000000021", Item: "2700000000021", Symbology: "]E0"}},
	{name: "card with a wrong check digit", in: "2700000000015", wantErr: pos.ErrInvalidBarcode},
	{name: "weight label outside the range stays a label", in: "2712345012348",
		want: Code{Kind: KindWeight, Raw: "2712345012348", Prefix: "27", Item: "12345", Weight: 1234}},
	{name: "product EAN", in: "4607001771401", want: Code{Kind: KindEAN13, Raw: "4607001771401", GTIN: "4607001771401"}},
	{name: "second range", prefixes: []string{"2700000", "9990"}, in: "9990000000012",
		want: Code{Kind: KindLoyaltyCard, Raw: "9990000000012", Item: "9990000000012"}},
	{name: "12 digits are never a card", in: "270000000007", want: Code{Kind: KindUPCA, Raw: "270000000007", GTIN: "0270000000007"}},
	{name: "app QR", in: "KL1.app1.eyJjIjoiYyJ9.sig",
		want: Code{Kind: KindLoyaltyQR, Raw: "KL1.app1.eyJjIjoiYyJ9.sig"}},
	{name: "pickup QR is not the app's", in: "KP1.k.b.m", wantErr: pos.ErrUnknownBarcode},
}

func TestLoyaltyRecognizer(t *testing.T) {
	for _, tc := range loyaltyCases {
		t.Run(tc.name, func(t *testing.T) {
			prefixes := tc.prefixes
			if prefixes == nil {
				prefixes = []string{DefaultLoyaltyCardPrefix}
			}
			r, err := LoyaltyRecognizer(prefixes)
			if err != nil {
				t.Fatal(err)
			}
			c := NewClassifier(DefaultWeightLayout())
			c.Register(r)
			got, err := c.Classify(tc.in)
			if !errors.Is(err, tc.wantErr) || err == nil && got != tc.want {
				t.Fatalf("Classify(%q) = %+v, %v; want %+v, %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestLoyaltyRecognizerBadRange(t *testing.T) {
	for _, p := range []string{"", "27a", "2700000000001"} {
		if _, err := LoyaltyRecognizer([]string{p}); !errors.Is(err, ErrBadCardRange) {
			t.Errorf("prefix %q: %v, want ErrBadCardRange", p, err)
		}
	}
}

func ExampleLoyaltyRecognizer() {
	r, _ := LoyaltyRecognizer([]string{DefaultLoyaltyCardPrefix})
	c := NewClassifier(DefaultWeightLayout())
	c.Register(r)
	for _, s := range []string{"2700000000014", "2112345012346"} {
		code, _ := c.Classify(s)
		fmt.Println(code.Kind)
	}
	// Output:
	// loyalty card
	// weight label
}

func FuzzLoyaltyRecognizer(f *testing.F) {
	for _, tc := range loyaltyCases {
		f.Add(tc.in)
	}
	r, _ := LoyaltyRecognizer([]string{DefaultLoyaltyCardPrefix})
	f.Fuzz(func(t *testing.T, s string) {
		code, ok, err := r(s)
		switch {
		case err != nil && !errors.Is(err, pos.ErrInvalidBarcode):
			t.Errorf("%q: error %v does not wrap ErrInvalidBarcode", s, err)
		case ok && code.Kind == KindLoyaltyCard && (len(code.Item) != 13 || code.Item[:7] != DefaultLoyaltyCardPrefix):
			t.Errorf("%q: card %+v outside the range", s, code)
		case ok && code.Kind != KindLoyaltyCard && code.Kind != KindLoyaltyQR:
			t.Errorf("%q: kind %v", s, code.Kind)
		}
	})
}
