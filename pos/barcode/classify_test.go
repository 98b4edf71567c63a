package barcode

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
)

// Layouts used by the table besides the default one.
var (
	// PP CCCC WWWWWW K, weight in grams.
	layout4x6 = WeightLayout{Prefixes: []string{"22"}, ItemDigits: 4, ValueDigits: 6}
	// PP CCCC PPPPPP K, price in kopecks.
	layoutPrice = WeightLayout{Prefixes: []string{"22"}, ItemDigits: 4, ValueDigits: 6, Value: ValuePrice}
	// Only "21" marks labels: other 2x codes are ordinary EAN-13.
	layoutOnly21 = WeightLayout{Prefixes: []string{"21"}, ItemDigits: 5, ValueDigits: 5}
	// No scales in the store.
	layoutOff = WeightLayout{}
)

type classifyCase struct {
	name    string
	in      string
	layout  *WeightLayout // nil: DefaultWeightLayout
	want    Code
	wantErr error
}

var classifyCases = []classifyCase{
	{name: "EAN-13", in: "4607001771401", want: Code{Kind: KindEAN13, Raw: "4607001771401", GTIN: "4607001771401"}},
	{name: "EAN-13 ISBN", in: "9780201379624", want: Code{Kind: KindEAN13, Raw: "9780201379624", GTIN: "9780201379624"}},
	{name: "EAN-13 bad check", in: "4607001771409", wantErr: pos.ErrInvalidBarcode},
	{name: "EAN-13 one digit off", in: "4607001771501", wantErr: pos.ErrInvalidBarcode},
	{name: "EAN-8", in: "46009333", want: Code{Kind: KindEAN8, Raw: "46009333", GTIN: "46009333"}},
	{name: "EAN-8 second", in: "96385074", want: Code{Kind: KindEAN8, Raw: "96385074", GTIN: "96385074"}},
	{name: "EAN-8 bad check", in: "46009334", wantErr: pos.ErrInvalidBarcode},
	{name: "UPC-A", in: "036000291452", want: Code{Kind: KindUPCA, Raw: "036000291452", GTIN: "0036000291452"}},
	{name: "UPC-A bad check", in: "036000291453", wantErr: pos.ErrInvalidBarcode},
	{name: "UPC-A as 13 digits", in: "0036000291452", want: Code{Kind: KindEAN13, Raw: "0036000291452", GTIN: "0036000291452"}},

	{name: "weight label PROTOCOLS.md", in: "2112345012346",
		want: Code{Kind: KindWeight, Raw: "2112345012346", Prefix: "21", Item: "12345", Weight: 1234}},
	{name: "weight label max", in: "2299999999992",
		want: Code{Kind: KindWeight, Raw: "2299999999992", Prefix: "22", Item: "99999", Weight: 99999}},
	{name: "weight label bad check", in: "2112345012345", wantErr: pos.ErrInvalidBarcode},
	{name: "weight label zero weight", in: "2000001000007", wantErr: pos.ErrInvalidBarcode},
	{name: "layout 4+6 weight", in: "2212340012348", layout: &layout4x6,
		want: Code{Kind: KindWeight, Raw: "2212340012348", Prefix: "22", Item: "1234", Weight: 1234}},
	{name: "layout 4+6 price", in: "2212340012348", layout: &layoutPrice,
		want: Code{Kind: KindWeight, Raw: "2212340012348", Prefix: "22", Item: "1234", Price: 1234}},
	{name: "layout 4+6 other prefix is EAN-13", in: "2112345012346", layout: &layout4x6,
		want: Code{Kind: KindEAN13, Raw: "2112345012346", GTIN: "2112345012346"}},
	{name: "price label zero", in: "2212340000002", layout: &layoutPrice, wantErr: pos.ErrInvalidBarcode},
	{name: "only 21: 21 is a label", in: "2112345012346", layout: &layoutOnly21,
		want: Code{Kind: KindWeight, Raw: "2112345012346", Prefix: "21", Item: "12345", Weight: 1234}},
	{name: "only 21: 22 is EAN-13", in: "2201234567897", layout: &layoutOnly21,
		want: Code{Kind: KindEAN13, Raw: "2201234567897", GTIN: "2201234567897"}},
	{name: "labels off", in: "2112345012346", layout: &layoutOff,
		want: Code{Kind: KindEAN13, Raw: "2112345012346", GTIN: "2112345012346"}},
	{name: "labels off still checks", in: "2112345012345", layout: &layoutOff, wantErr: pos.ErrInvalidBarcode},

	{name: "article one digit", in: "7", want: Code{Kind: KindArticle, Raw: "7", Item: "7"}},
	{name: "article leading zeros", in: "00042", want: Code{Kind: KindArticle, Raw: "00042", Item: "00042"}},
	{name: "article seven digits", in: "1234567", want: Code{Kind: KindArticle, Raw: "1234567", Item: "1234567"}},

	{name: "AIM EAN-13", in: "]E04607001771401",
		want: Code{Kind: KindEAN13, Raw: "4607001771401", Symbology: "]E0", GTIN: "4607001771401"}},
	{name: "AIM EAN-13 UPC-A", in: "]E00036000291452",
		want: Code{Kind: KindEAN13, Raw: "0036000291452", Symbology: "]E0", GTIN: "0036000291452"}},
	{name: "AIM EAN-8", in: "]E446009333",
		want: Code{Kind: KindEAN8, Raw: "46009333", Symbology: "]E4", GTIN: "46009333"}},
	{name: "AIM Code 39 article", in: "]A012345",
		want: Code{Kind: KindArticle, Raw: "12345", Symbology: "]A0", Item: "12345"}},
	{name: "AIM weight label", in: "]E02112345012346\r\n",
		want: Code{Kind: KindWeight, Raw: "2112345012346", Symbology: "]E0", Prefix: "21", Item: "12345", Weight: 1234}},
	{name: "AIM QR digits", in: "]Q3123", want: Code{Kind: KindArticle, Raw: "123", Symbology: "]Q3", Item: "123"}},
	{name: "AIM bad check", in: "]E04607001771409", wantErr: pos.ErrInvalidBarcode},
	{name: "AIM GS1-128 unknown", in: "]C10104607001771401", wantErr: pos.ErrUnknownBarcode},
	{name: "AIM DataMatrix not GS1", in: "]d2ABCDEFGHIJKLM\x1d93abcd", wantErr: pos.ErrUnknownBarcode},
	{name: "AIM DataMatrix marking bad GTIN", in: "]d2010460700177140221ABCDEFGHIJKLM\x1d93abcd", wantErr: pos.ErrInvalidBarcode},
	{name: "AIM alone", in: "]E0", wantErr: pos.ErrUnknownBarcode},
	{name: "bracket not AIM", in: "]12", wantErr: pos.ErrUnknownBarcode},

	{name: "CR LF", in: "4607001771401\r\n",
		want: Code{Kind: KindEAN13, Raw: "4607001771401", GTIN: "4607001771401"}},
	{name: "CR", in: "46009333\r", want: Code{Kind: KindEAN8, Raw: "46009333", GTIN: "46009333"}},
	{name: "spaces and tab", in: " \t036000291452  ",
		want: Code{Kind: KindUPCA, Raw: "036000291452", GTIN: "0036000291452"}},
	{name: "space inside", in: "4607001 771401", wantErr: pos.ErrUnknownBarcode},

	{name: "empty", in: "", wantErr: pos.ErrUnknownBarcode},
	{name: "blank", in: "  \r\n", wantErr: pos.ErrUnknownBarcode},
	{name: "words", in: "hello", wantErr: pos.ErrUnknownBarcode},
	{name: "letter tail", in: "4607001771401x", wantErr: pos.ErrUnknownBarcode},
	{name: "dash", in: "4607-001771401", wantErr: pos.ErrUnknownBarcode},
	{name: "negative", in: "-42", wantErr: pos.ErrUnknownBarcode},
	{name: "fullwidth digits", in: "４６０", wantErr: pos.ErrUnknownBarcode},
	{name: "Cyrillic", in: "молоко", wantErr: pos.ErrUnknownBarcode},
	{name: "invalid UTF-8", in: "\xff\xfe46", wantErr: pos.ErrUnknownBarcode},
	{name: "9 digits", in: "460700177", wantErr: pos.ErrUnknownBarcode},
	{name: "11 digits", in: "46070017714", wantErr: pos.ErrUnknownBarcode},
	{name: "14 digits GTIN-14", in: "04607001771401", wantErr: pos.ErrUnknownBarcode},
	{name: "too long", in: strings.Repeat("1", maxTextLen+1), wantErr: pos.ErrUnknownBarcode},
}

func classifierFor(l *WeightLayout) *Classifier {
	if l == nil {
		return NewClassifier(DefaultWeightLayout())
	}
	return NewClassifier(*l)
}

func TestClassify(t *testing.T) {
	for _, tc := range classifyCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := classifierFor(tc.layout).Classify(tc.in)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Classify(%q) = %+v, %v; want error %v", tc.in, got, err, tc.wantErr)
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Classify(%q) error %T is not *Error", tc.in, err)
				}
				if got != (Code{}) {
					t.Errorf("Classify(%q) returned %+v with an error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Classify(%q) = %+v, %v\nwant %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestClassifyErrorText(t *testing.T) {
	c := NewClassifier(DefaultWeightLayout())
	tests := []struct {
		name, in   string
		wantText   string
		wantInMsg  string
		wantSuffix bool // Text ends with "…"
	}{
		{name: "check digit", in: "4607001771409", wantText: "4607001771409", wantInMsg: "wrong EAN-13 check digit 9, want 1"},
		{name: "EAN-8", in: "46009334\r\n", wantText: "46009334", wantInMsg: "EAN-8 check digit"},
		{name: "zero weight", in: "2000001000007", wantText: "2000001000007", wantInMsg: "zero weight"},
		{name: "length", in: "04607001771401", wantText: "04607001771401", wantInMsg: "14 digits"},
		{name: "control chars visible", in: "ab\x1dcd", wantText: "ab␝cd", wantInMsg: "not a code"},
		{name: "bidi override hidden", in: "ab\u202ecd", wantText: "ab\uFFFDcd"},
		{name: "invalid UTF-8", in: "a\xffb", wantText: "a\uFFFDb"},
		{name: "empty", in: "", wantText: "", wantInMsg: "empty input"},
		{name: "long", in: strings.Repeat("ж", 100), wantText: strings.Repeat("ж", maxShownRunes) + "…", wantSuffix: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Classify(tc.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Classify(%q) error = %v, want *Error", tc.in, err)
			}
			if e.Text != tc.wantText {
				t.Errorf("Text = %q, want %q", e.Text, tc.wantText)
			}
			if !strings.Contains(err.Error(), tc.wantInMsg) {
				t.Errorf("Error() = %q, want it to contain %q", err.Error(), tc.wantInMsg)
			}
			if tc.wantSuffix && utf8.RuneCountInString(e.Text) != maxShownRunes+1 {
				t.Errorf("Text has %d runes, want %d", utf8.RuneCountInString(e.Text), maxShownRunes+1)
			}
		})
	}
}

func TestRegister(t *testing.T) {
	const kindPickup = Kind(100) // stands in for a later kind
	pickup := func(text string) (Code, bool, error) {
		if !strings.HasPrefix(text, "PICKUP:") {
			return Code{}, false, nil
		}
		if len(text) == len("PICKUP:") {
			return Code{}, true, errors.New("no order number")
		}
		return Code{Kind: kindPickup, Item: text[len("PICKUP:"):]}, true, nil
	}
	// Claims a real EAN-13 to prove registered recognizers come before the built-in ones.
	override := func(text string) (Code, bool, error) {
		if text == "4607001771401" {
			return Code{Kind: KindArticle, Raw: "override", Item: "42"}, true, nil
		}
		return Code{}, false, nil
	}
	// Registered after override: must never see the text override claimed.
	late := func(text string) (Code, bool, error) {
		if text == "4607001771401" {
			return Code{Kind: KindArticle, Item: "late"}, true, nil
		}
		if text == "unknown-by-me" {
			return Code{}, false, fmt.Errorf("%w: mine, unreadable", pos.ErrUnknownBarcode)
		}
		return Code{}, false, nil
	}
	c := NewClassifier(DefaultWeightLayout())
	c.Register(nil)
	c.Register(pickup)
	c.Register(override)
	c.Register(late)

	tests := []struct {
		name    string
		in      string
		want    Code
		wantErr []error
	}{
		{name: "pickup", in: "]Q1PICKUP:A-17\r\n",
			want: Code{Kind: kindPickup, Raw: "PICKUP:A-17", Symbology: "]Q1", Item: "A-17"}},
		{name: "override wins over EAN-13 and later recognizer", in: "4607001771401",
			want: Code{Kind: KindArticle, Raw: "override", Item: "42"}},
		{name: "not claimed falls through", in: "46009333",
			want: Code{Kind: KindEAN8, Raw: "46009333", GTIN: "46009333"}},
		{name: "plain error becomes invalid", in: "PICKUP:", wantErr: []error{pos.ErrInvalidBarcode}},
		{name: "sentinel error kept", in: "unknown-by-me", wantErr: []error{pos.ErrUnknownBarcode}},
		{name: "nobody claims", in: "PICK", wantErr: []error{pos.ErrUnknownBarcode}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Classify(tc.in)
			if tc.wantErr != nil {
				for _, w := range tc.wantErr {
					if !errors.Is(err, w) {
						t.Errorf("Classify(%q) error = %v, want %v", tc.in, err, w)
					}
				}
				var e *Error
				if !errors.As(err, &e) || e.Text == "" {
					t.Errorf("Classify(%q) error %v carries no text", tc.in, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Classify(%q) = %+v, %v\nwant %+v", tc.in, got, err, tc.want)
			}
		})
	}
	if _, err := c.Classify("PICKUP:"); !strings.Contains(err.Error(), "no order number") {
		t.Errorf("recognizer's reason lost: %v", err)
	}
}

// TestRegisterConcurrent is for the race detector: a recognizer may be added while the till scans.
func TestRegisterConcurrent(t *testing.T) {
	c := NewClassifier(DefaultWeightLayout())
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				if _, err := c.Classify("4607001771401"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			c.Register(func(string) (Code, bool, error) { return Code{}, false, nil })
		}
	})
	wg.Wait()
	if n := len(c.recognizers); n != 50 {
		t.Errorf("%d recognizers registered, want 50", n)
	}
}

func BenchmarkClassify(b *testing.B) {
	c := NewClassifier(DefaultWeightLayout())
	for _, in := range []string{"4607001771401\r\n", "]E02112345012346", "036000291452", "123", "garbage text"} {
		b.Run(strings.TrimSpace(in), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = c.Classify(in)
			}
		})
	}
}
