package barcode

import (
	"errors"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

// Marking codes shaped after PROTOCOLS.md §6 (GS written as \x1d, as a serial scanner sends it).
const (
	verify44 = "sOe6fy7Pw0/QzR1l3uVj+HkNxY8aTqB5dCmK2sLgEi4="
	// Shoes: 21 serial 13, GS, 91 key id 4, GS, 92 verification code 44.
	shoes = "0104690257528523" + "21G+mgsHw<DiLN_" + "\x1d91EE05" + "\x1d92" + verify44
	// Water: 21 serial 13, GS, 93 crypto tail 4.
	water = "0104640043463309" + "215UWtYHQ3hiHnm" + "\x1d93dGVz"
	// Milk: 21 serial 6, GS, 93 crypto tail 4.
	milk = "0104607009780139" + "21i'Rq%5" + "\x1d93AbC1"
	// Variable-weight cheese: 3103 net weight 1.234 kg after the crypto tail.
	cheese = "0104607049752042" + "21Xm4Tq8" + "\x1d93k9Zs" + "\x1d3103001234"
	// Tobacco pack: GTIN 14 + serial 7 + MRP 4 + crypto 4, no AIs.
	tobaccoPack = "04606203084623" + "-UQ5y6%" + "AAAB" + "6jLF"
	// Tobacco block: 01, 21 serial 7, GS, 8005 MRP 6 digits, GS, 93 crypto tail 4.
	tobaccoBlock = "0114606203084620" + "21Ab(c)%3" + "\x1d8005123000" + "\x1d93Tb0c"
	// Parentheses and '%' in the serial are data, not HRI brackets.
	parenSerial = "0104612345678903" + "21(91)%(92)abc=" + "\x1d93Q(%)"
)

var gs1Cases = []struct {
	name    string
	in      string
	want    GS1
	wantErr error
	inMsg   string // part of the error message
}{
	{name: "shoes 91 92", in: shoes, want: GS1{GTIN: "04690257528523", Serial: "G+mgsHw<DiLN_", KeyID: "EE05", Verify: verify44, Raw: shoes}},
	{name: "shoes 92 of 88", in: "0104690257528523" + "21G+mgsHw<DiLN_" + "\x1d91EE05" + "\x1d92" + verify44 + verify44,
		want: GS1{GTIN: "04690257528523", Serial: "G+mgsHw<DiLN_", KeyID: "EE05", Verify: verify44 + verify44,
			Raw: "0104690257528523" + "21G+mgsHw<DiLN_" + "\x1d91EE05" + "\x1d92" + verify44 + verify44}},
	{name: "water 93", in: water, want: GS1{GTIN: "04640043463309", Serial: "5UWtYHQ3hiHnm", Crypto: "dGVz", Raw: water}},
	{name: "milk 93", in: milk, want: GS1{GTIN: "04607009780139", Serial: "i'Rq%5", Crypto: "AbC1", Raw: milk}},
	{name: "cheese 3103", in: cheese, want: GS1{GTIN: "04607049752042", Serial: "Xm4Tq8", Crypto: "k9Zs", Weight: 1234, Raw: cheese}},
	{name: "3102 two decimals", in: "0104607049752042" + "21Xm4Tq8" + "\x1d3102000150",
		want: GS1{GTIN: "04607049752042", Serial: "Xm4Tq8", Weight: 1500, Raw: "0104607049752042" + "21Xm4Tq8" + "\x1d3102000150"}},
	{name: "tobacco pack", in: tobaccoPack, want: GS1{GTIN: "04606203084623", Serial: "-UQ5y6%", MRP: "AAAB", Crypto: "6jLF", Raw: tobaccoPack}},
	{name: "tobacco block 8005", in: tobaccoBlock, want: GS1{GTIN: "14606203084620", Serial: "Ab(c)%3", MRP: "123000", Crypto: "Tb0c", Raw: tobaccoBlock}},
	{name: "8005 fixed needs no GS", in: "0114606203084620" + "21Ab(c)%3" + "\x1d8005123000" + "93Tb0c",
		want: GS1{GTIN: "14606203084620", Serial: "Ab(c)%3", MRP: "123000", Crypto: "Tb0c", Raw: "0114606203084620" + "21Ab(c)%3" + "\x1d8005123000" + "93Tb0c"}},
	{name: "parentheses and percent are data", in: parenSerial,
		want: GS1{GTIN: "04612345678903", Serial: "(91)%(92)abc=", Crypto: "Q(%)", Raw: parenSerial}},
	{name: "expiry and batch", in: "0104612345678903" + "21SER1" + "\x1d17261231" + "10LOT-42",
		want: GS1{GTIN: "04612345678903", Serial: "SER1", Expiry: "261231", Batch: "LOT-42", Raw: "0104612345678903" + "21SER1" + "\x1d17261231" + "10LOT-42"}},
	{name: "expiry end of month", in: "0104612345678903" + "21SER1" + "\x1d17260200",
		want: GS1{GTIN: "04612345678903", Serial: "SER1", Expiry: "260200", Raw: "0104612345678903" + "21SER1" + "\x1d17260200"}},
	{name: "serial only", in: "0104612345678903" + "21A",
		want: GS1{GTIN: "04612345678903", Serial: "A", Raw: "0104612345678903" + "21A"}},

	{name: "AIM ]d2", in: "]d2" + water, want: GS1{GTIN: "04640043463309", Serial: "5UWtYHQ3hiHnm", Crypto: "dGVz", Raw: water}},
	{name: "AIM ]C1", in: "]C1" + milk, want: GS1{GTIN: "04607009780139", Serial: "i'Rq%5", Crypto: "AbC1", Raw: milk}},
	{name: "AIM ]Q3", in: "]Q3" + milk, want: GS1{GTIN: "04607009780139", Serial: "i'Rq%5", Crypto: "AbC1", Raw: milk}},
	{name: "FNC1 as GS", in: "\x1d" + water, want: GS1{GTIN: "04640043463309", Serial: "5UWtYHQ3hiHnm", Crypto: "dGVz", Raw: water}},
	{name: "FNC1 as byte 232", in: "\xe8" + water, want: GS1{GTIN: "04640043463309", Serial: "5UWtYHQ3hiHnm", Crypto: "dGVz", Raw: water}},
	{name: "FNC1 as è", in: "è" + water, want: GS1{GTIN: "04640043463309", Serial: "5UWtYHQ3hiHnm", Crypto: "dGVz", Raw: water}},
	{name: "AIM and FNC1", in: "]d2\x1d" + water, want: GS1{GTIN: "04640043463309", Serial: "5UWtYHQ3hiHnm", Crypto: "dGVz", Raw: water}},
	{name: "trailing GS kept in Raw", in: water + "\x1d", want: GS1{GTIN: "04640043463309", Serial: "5UWtYHQ3hiHnm", Crypto: "dGVz", Raw: water + "\x1d"}},

	{name: "empty", in: "", wantErr: pos.ErrUnknownBarcode},
	{name: "EAN-13", in: "4607001771401", wantErr: pos.ErrUnknownBarcode},
	{name: "words", in: "hello world", wantErr: pos.ErrUnknownBarcode},
	{name: "bad GTIN check digit", in: "0104690257528524" + "21G+mgsHw<DiLN_" + "\x1d93dGVz", wantErr: pos.ErrInvalidBarcode, inMsg: "check digit 4, want 3"},
	{name: "GTIN short", in: "01046902575", wantErr: pos.ErrInvalidBarcode, inMsg: "has 9 characters, want 14"},
	{name: "GS dropped", in: strings.ReplaceAll(shoes, "\x1d", ""), wantErr: pos.ErrInvalidBarcode, inMsg: "GS separator missing?"},
	{name: "91 too long", in: "0104690257528523" + "21G+mgsHw<DiLN_" + "\x1d91EE055", wantErr: pos.ErrInvalidBarcode, inMsg: "AI 91 (key id) has 5 characters, want 4"},
	{name: "92 of 50", in: "0104690257528523" + "21G+mgsHw<DiLN_" + "\x1d92" + verify44 + "abcdef", wantErr: pos.ErrInvalidBarcode, inMsg: "want 44 or 88"},
	{name: "92 of 60", in: "0104690257528523" + "21G+mgsHw<DiLN_" + "\x1d92" + verify44 + "0123456789abcdef", wantErr: pos.ErrInvalidBarcode, inMsg: "want 44 or 88"},
	{name: "93 short", in: "0104640043463309" + "215UWtYHQ3hiHnm" + "\x1d93dG", wantErr: pos.ErrInvalidBarcode, inMsg: "AI 93"},
	{name: "unknown AI", in: water + "\x1d99abc", wantErr: pos.ErrInvalidBarcode, inMsg: `unknown application identifier at "99ab"`},
	{name: "repeated serial", in: "0104640043463309" + "21AAA\x1d21BBB", wantErr: pos.ErrInvalidBarcode, inMsg: "AI 21 repeated"},
	{name: "no serial", in: "0104640043463309", wantErr: pos.ErrInvalidBarcode, inMsg: "no serial"},
	{name: "empty serial", in: "0104640043463309" + "21\x1d93dGVz", wantErr: pos.ErrInvalidBarcode, inMsg: "AI 21 (serial) has 0 characters"},
	{name: "Cyrillic in serial", in: "0104640043463309" + "215UWtYHQ3hiНnm" + "\x1d93dGVz", wantErr: pos.ErrInvalidBarcode, inMsg: "keyboard layout?"},
	{name: "space in serial", in: "0104640043463309" + "21AB CD", wantErr: pos.ErrInvalidBarcode, inMsg: "not allowed"},
	{name: "month 13", in: "0104612345678903" + "21SER1" + "\x1d17261301", wantErr: pos.ErrInvalidBarcode, inMsg: "not a YYMMDD date"},
	{name: "weight letters", in: "0104612345678903" + "21SER1" + "\x1d310300l234", wantErr: pos.ErrInvalidBarcode, inMsg: "is not a digit"},
	{name: "two weights", in: "0104612345678903" + "21SER1" + "\x1d3103000100" + "3102000100", wantErr: pos.ErrInvalidBarcode, inMsg: "net weight given twice"},
	{name: "tobacco bad check", in: "04606203084624" + "-UQ5y6%" + "AAAB" + "6jLF", wantErr: pos.ErrInvalidBarcode, inMsg: "check digit 4, want 3"},
	{name: "tobacco with GS", in: "04606203084623" + "-UQ5y6\x1d" + "AAAB" + "6jLF", wantErr: pos.ErrInvalidBarcode, inMsg: "not allowed in a tobacco code"},
}

func TestParseGS1(t *testing.T) {
	for _, tc := range gs1Cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseGS1(tc.in)
			if tc.wantErr != nil {
				var e *Error
				if !errors.Is(err, tc.wantErr) || !errors.As(err, &e) {
					t.Fatalf("ParseGS1(%q) = %+v, %v; want *Error wrapping %v", tc.in, got, err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.inMsg) {
					t.Errorf("error %q does not say %q", err, tc.inMsg)
				}
				if got != (GS1{}) {
					t.Errorf("ParseGS1(%q) returned %+v with an error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseGS1(%q) = %+v, %v\nwant %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestCIS(t *testing.T) {
	tests := []struct{ in, want string }{
		{shoes, "0104690257528523" + "21G+mgsHw<DiLN_"},
		{water, "0104640043463309" + "215UWtYHQ3hiHnm"},
		{tobaccoPack, "0104606203084623" + "21-UQ5y6%"},
		{tobaccoBlock, "0114606203084620" + "21Ab(c)%3"},
	}
	for _, tc := range tests {
		g, err := ParseGS1(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.CIS(); got != tc.want {
			t.Errorf("CIS(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestClassifyMarking checks that a plain Classifier reads marking codes and leaves alone what only
// starts like one.
func TestClassifyMarking(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantGTIN string
		wantRaw  string
		wantSym  string
		weight   pos.Qty
		wantErr  error
		wantKind Kind
	}{
		{name: "shoes", in: shoes + "\r\n", wantKind: KindMarking, wantGTIN: "4690257528523", wantRaw: shoes},
		{name: "water with AIM", in: "]d2" + water, wantKind: KindMarking, wantGTIN: "4640043463309", wantRaw: water, wantSym: "]d2"},
		{name: "cheese weight", in: cheese, wantKind: KindMarking, wantGTIN: "4607049752042", wantRaw: cheese, weight: 1234},
		{name: "tobacco pack", in: tobaccoPack, wantKind: KindMarking, wantGTIN: "4606203084623", wantRaw: tobaccoPack},
		{name: "block keeps GTIN-14", in: tobaccoBlock, wantKind: KindMarking, wantGTIN: "14606203084620", wantRaw: tobaccoBlock},
		{name: "bad check digit", in: "0104690257528524" + "21G+mgsHw<DiLN_", wantErr: pos.ErrInvalidBarcode},
		{name: "Russian layout unrepaired", in: "0104640043463309" + "215ГЦеНЙ3hiHnm", wantErr: pos.ErrInvalidBarcode},
		{name: "bare GTIN-14 not claimed", in: "0104607001771401", wantErr: pos.ErrUnknownBarcode},
		{name: "GS1-128 without serial not claimed", in: "]C1010460700177140117261231", wantErr: pos.ErrUnknownBarcode},
		{name: "EAN-13 still EAN-13", in: "4607001771401", wantKind: KindEAN13, wantGTIN: "4607001771401", wantRaw: "4607001771401"},
	}
	c := NewClassifier(DefaultWeightLayout())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Classify(tc.in)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Classify(%q) = %+v, %v; want %v", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != tc.wantKind || got.GTIN != tc.wantGTIN || got.Raw != tc.wantRaw ||
				got.Symbology != tc.wantSym || got.Weight != tc.weight {
				t.Fatalf("Classify(%q) = %+v", tc.in, got)
			}
			if tc.wantKind == KindMarking && (got.Marking == nil || got.Marking.Raw != tc.wantRaw) {
				t.Fatalf("Classify(%q) Marking = %+v, want the parsed code", tc.in, got.Marking)
			}
			if tc.wantKind != KindMarking && got.Marking != nil {
				t.Fatalf("Classify(%q) Marking = %+v on a %v", tc.in, got.Marking, got.Kind)
			}
		})
	}
	if KindMarking.String() != "marking code" {
		t.Errorf("KindMarking.String() = %q", KindMarking.String())
	}
}

// A recognizer registered by the store comes before the built-in marking one.
func TestMarkingOverridable(t *testing.T) {
	c := NewClassifier(DefaultWeightLayout())
	c.Register(func(text string) (Code, bool, error) {
		if strings.HasPrefix(text, "01") {
			return Code{Kind: KindArticle, Item: "own"}, true, nil
		}
		return Code{}, false, nil
	})
	got, err := c.Classify(water)
	if err != nil || got.Kind != KindArticle || got.Item != "own" {
		t.Fatalf("Classify = %+v, %v; want the registered recognizer's code", got, err)
	}
}

func FuzzParseGS1(f *testing.F) {
	for _, tc := range gs1Cases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGS1(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !(errors.Is(err, pos.ErrInvalidBarcode) || errors.Is(err, pos.ErrUnknownBarcode)) {
				t.Fatalf("ParseGS1(%q) error %v is not a barcode *Error", s, err)
			}
			return
		}
		if !validGTIN14(g.GTIN) || g.Serial == "" || !strings.Contains(s, g.Raw) || g.Weight < 0 {
			t.Fatalf("ParseGS1(%q) = %+v: inconsistent", s, g)
		}
		for _, part := range []string{g.Serial, g.KeyID, g.Verify, g.Crypto, g.MRP, g.Batch} {
			if !strings.Contains(g.Raw, part) || strings.ContainsRune(part, GS) {
				t.Fatalf("ParseGS1(%q) = %+v: part %q not taken from Raw", s, g, part)
			}
		}
		// Reading Raw again gives the same code: nothing depends on the stripped prefix.
		if again, err := ParseGS1(g.Raw); err != nil || again != g {
			t.Fatalf("ParseGS1(Raw %q) = %+v, %v; want %+v", g.Raw, again, err, g)
		}
	})
}
