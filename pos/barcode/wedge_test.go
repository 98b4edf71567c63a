package barcode

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
)

// typeRussian is what a keyboard wedge types for s while the Russian layout is active: each US key's
// character replaced by the one the same key makes in ЙЦУКЕН. Written from the key rows, independently
// of ruToUS, so that the two tables check each other.
func typeRussian(s string) string {
	rows := []struct{ us, ru string }{
		{"`qwertyuiop[]asdfghjkl;'zxcvbnm,./", "ёйцукенгшщзхъфывапролджэячсмитьбю."},
		{`~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?`, "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,"},
		{"!@#$%^&*()|", `!"№;%:?*()/`},
	}
	m := map[rune]rune{}
	for _, row := range rows {
		ru := []rune(row.ru)
		for i, r := range []rune(row.us) {
			m[r] = ru[i]
		}
	}
	var b strings.Builder
	for _, r := range s {
		if ru, ok := m[r]; ok {
			r = ru
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shoesTypedRussian is shoes as a wedge with the "<GS>" substitute types it under the Russian layout,
// spelled out by hand.
const shoesTypedRussian = "0104690257528523" + "21П+ьпыРцБВшДТ_" + "БПЫЮ" + "91УУ05" + "БПЫЮ" +
	"92" + "ыЩу6ан7Зц0.ЙяК1д3гМо+РлТчН8фЕйИ5вСьЛ2ыДпУш4="

var repairCases = []struct {
	name string
	w    WedgeRepair
	in   string
	want string
}{
	{name: "zero value", in: "021ab\x1d93xy", want: "021ab\x1d93xy"},
	{name: "zero value keeps Cyrillic", in: "молоко", want: "молоко"},
	{name: "substitute <GS>", w: WedgeRepair{GSSubstitute: "<GS>"},
		in: strings.ReplaceAll(shoes, "\x1d", "<GS>"), want: shoes},
	{name: "substitute |", w: WedgeRepair{GSSubstitute: "|"}, in: strings.ReplaceAll(water, "\x1d", "|"), want: water},
	{name: "substitute ^]", w: WedgeRepair{GSSubstitute: "^]"}, in: strings.ReplaceAll(milk, "\x1d", "^]"), want: milk},
	{name: "substitute with GS ignored", w: WedgeRepair{GSSubstitute: "\x1d"}, in: water, want: water},
	{name: "Latin code unchanged", w: WedgeRepair{GSSubstitute: "<GS>", FixLayout: true}, in: shoes, want: shoes},
	{name: "Latin code with symbols unchanged", w: WedgeRepair{FixLayout: true}, in: parenSerial, want: parenSerial},
	{name: "Russian layout shoes by hand", w: WedgeRepair{GSSubstitute: "<GS>", FixLayout: true},
		in: shoesTypedRussian, want: shoes},
	{name: "Russian layout milk", w: WedgeRepair{GSSubstitute: "^]", FixLayout: true},
		in: typeRussian(strings.ReplaceAll(milk, "\x1d", "^]")), want: milk},
	{name: "Russian layout tobacco block", w: WedgeRepair{GSSubstitute: "|", FixLayout: true},
		in: typeRussian(strings.ReplaceAll(tobaccoBlock, "\x1d", "|")), want: tobaccoBlock},
	{name: "Russian layout AIM prefix", w: WedgeRepair{GSSubstitute: "<GS>", FixLayout: true},
		in: typeRussian("]d2" + strings.ReplaceAll(water, "\x1d", "<GS>")), want: "]d2" + water},
	{name: "Russian layout tobacco pack", w: WedgeRepair{FixLayout: true}, in: typeRussian(tobaccoPack), want: tobaccoPack},
	{name: "digit row symbols", w: WedgeRepair{FixLayout: true}, in: `Ф"№;:?.,/`, want: "A@#$^&/?|"},
	{name: "layout without substitute keeps text", w: WedgeRepair{FixLayout: true},
		in: shoesTypedRussian, want: strings.ReplaceAll(shoes, "\x1d", "<GS>")},
	{name: "FixLayout off", w: WedgeRepair{GSSubstitute: "<GS>"}, in: shoesTypedRussian, want: shoesTypedRussian},
	{name: "Russian words kept", w: WedgeRepair{FixLayout: true}, in: "молоко 3,2%", want: "молоко 3,2%"},
	{name: "code with a space still mapped", w: WedgeRepair{FixLayout: true}, in: "0104612345678903" + "21ФИ С", want: "0104612345678903" + "21AB C"},
	{name: "single word is mapped", w: WedgeRepair{FixLayout: true}, in: "молоко", want: "vjkjrj"},
	{name: "mixed scripts untouched", w: WedgeRepair{FixLayout: true}, in: "0104612345678903" + "21ABФИ", want: "0104612345678903" + "21ABФИ"},
	{name: "other Cyrillic kept", w: WedgeRepair{FixLayout: true}, in: "їжак", want: "ї;fr"},
}

func TestRepair(t *testing.T) {
	if typeRussian(shoes) != strings.ReplaceAll(shoesTypedRussian, "БПЫЮ", "\x1d") {
		t.Fatalf("hand-typed code and typeRussian disagree:\n%q\n%q", typeRussian(shoes), shoesTypedRussian)
	}
	for _, tc := range repairCases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.w.Repair(tc.in)
			if got != tc.want {
				t.Fatalf("Repair(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := tc.w.Repair(got); again != got {
				t.Errorf("Repair is not idempotent: %q then %q", got, again)
			}
		})
	}
}

// Every key of the Russian layout maps back, so typing any printable US text and repairing it is the
// identity.
func TestRepairEveryKey(t *testing.T) {
	var us strings.Builder
	for c := byte('!'); c <= '~'; c++ {
		us.WriteByte(c)
	}
	in := "01" + us.String()
	w := WedgeRepair{FixLayout: true}
	if got := w.Repair(typeRussian(in)); got != in {
		t.Fatalf("Repair(typeRussian(%q)) = %q", in, got)
	}
}

func TestClassifierWedgeRepair(t *testing.T) {
	c := NewClassifier(DefaultWeightLayout())
	c.SetWedgeRepair(WedgeRepair{GSSubstitute: "<GS>", FixLayout: true})
	tests := []struct {
		name     string
		in       string
		wantKind Kind
		wantRaw  string
		wantErr  error
		errText  string
	}{
		{name: "Russian layout shoes", in: shoesTypedRussian + "\r\n", wantKind: KindMarking, wantRaw: shoes},
		{name: "substitute only", in: strings.ReplaceAll(water, "\x1d", "<GS>"), wantKind: KindMarking, wantRaw: water},
		{name: "EAN-13 untouched", in: "4607001771401", wantKind: KindEAN13, wantRaw: "4607001771401"},
		{name: "Russian word reported as typed", in: "молоко", wantErr: pos.ErrUnknownBarcode, errText: "молоко"},
		{name: "broken code reported repaired", in: typeRussian("0104690257528524" + "21abc"),
			wantErr: pos.ErrInvalidBarcode, errText: "0104690257528524" + "21abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Classify(tc.in)
			if tc.wantErr != nil {
				var e *Error
				if !errors.Is(err, tc.wantErr) || !errors.As(err, &e) || e.Text != tc.errText {
					t.Fatalf("Classify(%q) = %+v, %v; want %v about %q", tc.in, got, err, tc.wantErr, tc.errText)
				}
				return
			}
			if err != nil || got.Kind != tc.wantKind || got.Raw != tc.wantRaw {
				t.Fatalf("Classify(%q) = %+v, %v; want %v %q", tc.in, got, err, tc.wantKind, tc.wantRaw)
			}
		})
	}
	c.SetWedgeRepair(WedgeRepair{})
	if _, err := c.Classify(shoesTypedRussian); !errors.Is(err, pos.ErrInvalidBarcode) {
		t.Errorf("with repair off the mangled code gave %v, want invalid barcode", err)
	}
}

func FuzzRepair(f *testing.F) {
	for _, tc := range repairCases {
		f.Add(tc.in, tc.w.GSSubstitute, tc.w.FixLayout)
	}
	f.Fuzz(func(t *testing.T, s, sub string, fix bool) {
		w := WedgeRepair{GSSubstitute: sub, FixLayout: fix}
		got := w.Repair(s)
		if again := w.Repair(got); again != got {
			t.Fatalf("%+v.Repair not idempotent on %q: %q then %q", w, s, got, again)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("%+v.Repair(%q) = %q is not valid UTF-8", w, s, got)
		}
		// Text the Russian layout cannot have typed only loses its substitutes.
		if !typedRussian(w.restoreGS(s)) && got != w.restoreGS(s) {
			t.Fatalf("%+v.Repair(%q) = %q changed a non-Russian text", w, s, got)
		}
		if sub == "" && !typedRussian(s) && got != s {
			t.Fatalf("%+v.Repair(%q) = %q changed an already-Latin text", w, s, got)
		}
	})
}
