package barcode

import (
	"errors"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

func TestWeightLayoutValidate(t *testing.T) {
	tests := []struct {
		name    string
		layout  WeightLayout
		wantErr string // "" means valid
	}{
		{name: "default", layout: DefaultWeightLayout()},
		{name: "4+6 price", layout: layoutPrice},
		{name: "off", layout: WeightLayout{}},
		{name: "off ignores digits", layout: WeightLayout{ItemDigits: 3}},
		{name: "1+9", layout: WeightLayout{Prefixes: []string{"02"}, ItemDigits: 1, ValueDigits: 9}},
		{name: "too many digits", layout: WeightLayout{Prefixes: []string{"21"}, ItemDigits: 5, ValueDigits: 6},
			wantErr: "5 item + 6 value digits"},
		{name: "too few digits", layout: WeightLayout{Prefixes: []string{"21"}, ItemDigits: 4, ValueDigits: 5},
			wantErr: "must make the 12 digits"},
		{name: "no item", layout: WeightLayout{Prefixes: []string{"21"}, ItemDigits: 0, ValueDigits: 10},
			wantErr: "0 item"},
		{name: "negative value", layout: WeightLayout{Prefixes: []string{"21"}, ItemDigits: 11, ValueDigits: -1},
			wantErr: "-1 value"},
		{name: "one-digit prefix", layout: WeightLayout{Prefixes: []string{"2"}, ItemDigits: 5, ValueDigits: 5},
			wantErr: `prefix "2"`},
		{name: "letter prefix", layout: WeightLayout{Prefixes: []string{"21", "2x"}, ItemDigits: 5, ValueDigits: 5},
			wantErr: `prefix "2x"`},
		{name: "unknown value kind", layout: WeightLayout{Prefixes: []string{"21"}, ItemDigits: 5, ValueDigits: 5, Value: 7},
			wantErr: "ValueKind(7)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.layout.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrBadLayout) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate() = %v, want ErrBadLayout mentioning %q", err, tc.wantErr)
			}
			if _, rerr := WeightRecognizer(tc.layout); !errors.Is(rerr, ErrBadLayout) {
				t.Errorf("WeightRecognizer() error = %v, want ErrBadLayout", rerr)
			}
			defer func() {
				if r := recover(); r == nil {
					t.Error("NewClassifier accepted an invalid layout")
				}
			}()
			NewClassifier(tc.layout)
		})
	}
}

func TestDefaultWeightLayoutIsFresh(t *testing.T) {
	a := DefaultWeightLayout()
	a.Prefixes[0] = "99"
	if b := DefaultWeightLayout(); b.Prefixes[0] != "20" {
		t.Fatalf("DefaultWeightLayout shares its prefix slice: got %q", b.Prefixes[0])
	}
}

// TestClassifierOwnsLayout: changing the caller's slice after NewClassifier must not change the till.
func TestClassifierOwnsLayout(t *testing.T) {
	l := WeightLayout{Prefixes: []string{"21"}, ItemDigits: 5, ValueDigits: 5}
	c := NewClassifier(l)
	l.Prefixes[0] = "46"
	code, err := c.Classify("2112345012346")
	if err != nil || code.Kind != KindWeight {
		t.Fatalf("Classify = %+v, %v; want a weight label", code, err)
	}
}

// TestWeightRecognizer covers a store whose scales print weight labels under "21" and price labels
// under "22" at the same time.
func TestWeightRecognizer(t *testing.T) {
	price, err := WeightRecognizer(WeightLayout{Prefixes: []string{"22"}, ItemDigits: 5, ValueDigits: 5, Value: ValuePrice})
	if err != nil {
		t.Fatal(err)
	}
	c := NewClassifier(WeightLayout{Prefixes: []string{"21"}, ItemDigits: 5, ValueDigits: 5})
	c.Register(price)
	tests := []struct {
		in      string
		want    Code
		wantErr error
	}{
		{in: "2112345012346", want: Code{Kind: KindWeight, Raw: "2112345012346", Prefix: "21", Item: "12345", Weight: 1234}},
		{in: "2212345012343", want: Code{Kind: KindWeight, Raw: "2212345012343", Prefix: "22", Item: "12345", Price: 1234}},
		{in: "2212345012344", wantErr: pos.ErrInvalidBarcode},
		{in: "4607001771401", want: Code{Kind: KindEAN13, Raw: "4607001771401", GTIN: "4607001771401"}},
		{in: "221234501235", want: Code{Kind: KindUPCA, Raw: "221234501235", GTIN: "0221234501235"}},
	}
	for _, tc := range tests {
		got, err := c.Classify(tc.in)
		if tc.wantErr != nil {
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("Classify(%q) error = %v, want %v", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Classify(%q) = %+v, %v\nwant %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{KindUnknown.String(), "unknown"},
		{KindEAN13.String(), "EAN-13"},
		{KindEAN8.String(), "EAN-8"},
		{KindUPCA.String(), "UPC-A"},
		{KindWeight.String(), "weight label"},
		{KindArticle.String(), "article"},
		{Kind(100).String(), "Kind(100)"},
		{Kind(-1).String(), "Kind(-1)"},
		{ValueWeight.String(), "weight"},
		{ValuePrice.String(), "price"},
		{ValueKind(5).String(), "ValueKind(5)"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
}
