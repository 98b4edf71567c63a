package barcode

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kassa-pos/kassa/pos"
)

// GS is the ASCII group separator (FNC1 in the middle of a GS1 symbol) that ends a variable-length
// element.
const GS = '\x1d'

// GS1 is a marking code (код маркировки, Честный знак) read from a GS1 DataMatrix, or from the 29-character
// tobacco pack code that carries the same parts without application identifiers.
type GS1 struct {
	// GTIN is the 14-digit GTIN of AI 01, check digit verified.
	GTIN string
	// Serial is the serial number of AI 21 (up to 20 GS1 AI-82 characters; 7 on a tobacco pack).
	Serial string
	// KeyID is the verification key id of AI 91 (4 characters), Verify the verification code of AI 92
	// (44 or 88 characters), Crypto the crypto tail of AI 93 (4 characters); each "" when absent.
	KeyID, Verify, Crypto string
	// MRP is the maximum retail price as read: the 6 digits of AI 8005 or the 4 encoded characters of a
	// tobacco pack code.
	MRP string
	// Expiry is AI 17 as read (YYMMDD; DD may be 00, "end of month"); Batch is AI 10.
	Expiry, Batch string
	// Weight is the net weight of AI 310n (n = 0…3 decimals) in thousandths of a kilogram.
	Weight pos.Qty
	// Raw is the code as the scanner read it, inner GS separators intact, without the AIM symbology
	// identifier or a leading FNC1: what the ККТ takes as the marking code (tag 2000, FF61).
	Raw string
}

// CIS is the identification code (КИ) that ГИС МТ documents use: "01" + GTIN + "21" + Serial.
func (g GS1) CIS() string { return "01" + g.GTIN + "21" + g.Serial }

// tobaccoLen is the length of a cigarette pack code: GTIN 14 + serial 7 + MRP 4 + crypto 4.
const tobaccoLen = 29

// aiSpec says how one application identifier is read: fixed is its data length when the AI table fixes it
// (the element then needs no GS after it), otherwise the data runs to the next GS; min and max bound the
// data; digits restricts it to digits, else to the GS1 AI-82 character set.
type aiSpec struct {
	name          string
	fixed         int
	min, max      int
	digits        bool
	allowedLength []int // exact lengths the marking rules allow, when narrower than min…max
}

var aiTable = map[string]aiSpec{
	"01":   {name: "GTIN", fixed: 14, min: 14, max: 14, digits: true},
	"10":   {name: "batch", min: 1, max: 20},
	"17":   {name: "expiry date", fixed: 6, min: 6, max: 6, digits: true},
	"21":   {name: "serial", min: 1, max: 20},
	"91":   {name: "key id", min: 4, max: 4},
	"92":   {name: "verification code", min: 44, max: 88, allowedLength: []int{44, 88}},
	"93":   {name: "crypto tail", min: 4, max: 4},
	"3100": {name: "net weight", fixed: 6, min: 6, max: 6, digits: true},
	"3101": {name: "net weight", fixed: 6, min: 6, max: 6, digits: true},
	"3102": {name: "net weight", fixed: 6, min: 6, max: 6, digits: true},
	"3103": {name: "net weight", fixed: 6, min: 6, max: 6, digits: true},
	"8005": {name: "price per unit", fixed: 6, min: 6, max: 6, digits: true},
}

// ParseGS1 reads a marking code: a GS1 element string that starts with AI 01 and holds AI 21 (optionally
// behind an AIM identifier such as "]d2", "]C1", "]Q3" or a leading FNC1 sent as GS or as character 232),
// or a 29-character tobacco pack code. Text that is neither gives an *Error wrapping
// pos.ErrUnknownBarcode; a marking code with a wrong check digit, an unknown AI, a bad length or a
// character outside the GS1 set (a Cyrillic letter from a keyboard wedge, say) one wrapping
// pos.ErrInvalidBarcode.
func ParseGS1(s string) (GS1, error) {
	data := stripFNC1(s)
	if strings.HasPrefix(data, "01") {
		g, err := parseElements(data)
		if err == nil || !isTobaccoShape(data) {
			return g, err
		}
		// A tobacco GTIN may start with "01" too; the element reading is preferred when both fit.
		if t, terr := parseTobacco(data); terr == nil {
			return t, nil
		}
		return GS1{}, err
	}
	if isTobaccoShape(data) {
		return parseTobacco(data)
	}
	return GS1{}, newError(s, pos.ErrUnknownBarcode, "not a GS1 marking code")
}

// stripFNC1 removes an AIM symbology identifier and then a leading FNC1, which scanners send as GS, as
// byte 232 or as its Latin-1 reading "è".
func stripFNC1(s string) string {
	_, s = splitAIM(s)
	switch {
	case strings.HasPrefix(s, "\x1d"), strings.HasPrefix(s, "\xe8"):
		return s[1:]
	case strings.HasPrefix(s, "è"):
		return s[len("è"):]
	}
	return s
}

func parseElements(s string) (GS1, error) {
	g := GS1{Raw: s}
	seen := make(map[string]bool, 8)
	for i := 0; i < len(s); {
		if s[i] == GS {
			i++
			continue
		}
		ai, spec, ok := lookupAI(s[i:])
		if !ok {
			return GS1{}, invalidGS1(s, fmt.Sprintf("unknown application identifier at %q", clip(s[i:], 4)))
		}
		if seen[ai] {
			return GS1{}, invalidGS1(s, "AI "+ai+" repeated")
		}
		seen[ai] = true
		i += len(ai)
		var val string
		if spec.fixed > 0 {
			val = s[i:min(i+spec.fixed, len(s))]
		} else {
			end := strings.IndexByte(s[i:], GS)
			if end < 0 {
				end = len(s) - i
			}
			val = s[i : i+end]
		}
		i += len(val)
		if err := checkElement(ai, spec, val); err != "" {
			return GS1{}, invalidGS1(s, err)
		}
		if err := g.set(ai, val); err != "" {
			return GS1{}, invalidGS1(s, err)
		}
	}
	switch {
	case g.GTIN == "":
		return GS1{}, invalidGS1(s, "no GTIN (AI 01)")
	case g.Serial == "":
		return GS1{}, invalidGS1(s, "no serial (AI 21)")
	}
	return g, nil
}

// lookupAI finds the AI at the start of s. The table has no 2-digit AI that starts a 4-digit one, so
// the first match is the only one.
func lookupAI(s string) (string, aiSpec, bool) {
	for _, n := range [...]int{2, 4} {
		if len(s) >= n {
			if spec, ok := aiTable[s[:n]]; ok {
				return s[:n], spec, true
			}
		}
	}
	return "", aiSpec{}, false
}

// checkElement validates one element's data and returns what is wrong, or "".
func checkElement(ai string, spec aiSpec, val string) string {
	what := "AI " + ai + " (" + spec.name + ")"
	// Characters first: a Cyrillic letter says more about a keyboard wedge than the length it causes.
	for i := 0; i < len(val); i++ {
		c := val[i]
		if spec.digits && (c < '0' || c > '9') {
			return fmt.Sprintf("%s: %q is not a digit", what, clip(val[i:], 1))
		}
		if !isAI82(c) {
			return fmt.Sprintf("%s: character %q is not allowed in GS1 data (keyboard layout?)", what, clip(val[i:], 1))
		}
	}
	if len(val) < spec.min || len(val) > spec.max {
		hint := ""
		if spec.fixed == 0 && len(val) > spec.max {
			hint = ": GS separator missing?"
		}
		return fmt.Sprintf("%s has %d characters, want %s%s", what, len(val), wantLength(spec), hint)
	}
	if spec.allowedLength != nil && !slices.Contains(spec.allowedLength, len(val)) {
		return fmt.Sprintf("%s has %d characters, want %s", what, len(val), wantLength(spec))
	}
	return ""
}

func wantLength(spec aiSpec) string {
	switch {
	case spec.allowedLength != nil:
		parts := make([]string, len(spec.allowedLength))
		for i, n := range spec.allowedLength {
			parts[i] = fmt.Sprint(n)
		}
		return strings.Join(parts, " or ")
	case spec.min == spec.max:
		return fmt.Sprint(spec.min)
	}
	return fmt.Sprintf("%d to %d", spec.min, spec.max)
}

// set stores a checked element, or says what is wrong with its value.
func (g *GS1) set(ai, val string) string {
	switch ai {
	case "01":
		if !validGTIN14(val) {
			want, _ := CheckDigit(val[:13])
			return fmt.Sprintf("wrong GTIN check digit %c, want %d", val[13], want)
		}
		g.GTIN = val
	case "21":
		g.Serial = val
	case "91":
		g.KeyID = val
	case "92":
		g.Verify = val
	case "93":
		g.Crypto = val
	case "8005":
		g.MRP = val
	case "10":
		g.Batch = val
	case "17":
		if mm, dd := atoi2(val[2:4]), atoi2(val[4:6]); mm < 1 || mm > 12 || dd > 31 {
			return "AI 17 (expiry date) " + val + " is not a YYMMDD date"
		}
		g.Expiry = val
	default: // 310n: six digits with n decimals
		if g.Weight != 0 {
			return "net weight given twice"
		}
		var v int64
		for i := 0; i < len(val); i++ {
			v = v*10 + int64(val[i]-'0')
		}
		for range 3 - int(ai[3]-'0') {
			v *= 10
		}
		g.Weight = pos.Qty(v)
	}
	return ""
}

// isTobaccoShape reports whether s is laid out as a tobacco pack code: 29 characters, the first 14 of
// them digits. Such text is a tobacco code or a broken one, never another kind of barcode.
func isTobaccoShape(s string) bool {
	return len(s) == tobaccoLen && allDigits(s[:14])
}

func parseTobacco(s string) (GS1, error) {
	if !validGTIN14(s[:14]) {
		want, _ := CheckDigit(s[:13])
		return GS1{}, invalidGS1(s, fmt.Sprintf("wrong GTIN check digit %c, want %d", s[13], want))
	}
	for i := 14; i < len(s); i++ {
		if !isAI82(s[i]) {
			return GS1{}, invalidGS1(s, fmt.Sprintf("character %q is not allowed in a tobacco code (keyboard layout?)", clip(s[i:], 1)))
		}
	}
	return GS1{GTIN: s[:14], Serial: s[14:21], MRP: s[21:25], Crypto: s[25:], Raw: s}, nil
}

func invalidGS1(s, reason string) error {
	return newError(s, pos.ErrInvalidBarcode, "marking code: "+reason)
}

func validGTIN14(s string) bool { return validGS1(s, 14) }

// isAI82 reports whether c is in the GS1 AI encodable character set 82: digits, Latin letters and
// !"%&'()*+,-./:;<=>?_ — so '(' and '%' in a serial are data, not separators.
func isAI82(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return true
	}
	return strings.IndexByte(`!"%&'()*+,-./:;<=>?_`, c) >= 0
}

// clip returns the first n runes of s, for error messages.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
