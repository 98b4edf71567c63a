package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of a personal offer (PersonalOffer.Kind).
const (
	OfferPercent = "percent" // Value: hundredths of a per cent off the target lines (1000 = 10 %)
	OfferFixed   = "fixed"   // Value: kopecks off per unit of the target lines (per kilogram when weighed)
	OfferPoints  = "points"  // Value: the points earned on the target lines, in hundredths (200 = twice)
)

// Bounds of a personal offer.
const (
	MaxOffersPerCustomer = 16
	maxOfferIDLen        = 40
	maxOfferTextLen      = 120
	maxOfferTargetLen    = 64
	maxOfferFixed        = 100_000_00 // 100 000 ₽ per unit
	maxOfferMultiplier   = 10_00      // ten times the points
)

// ErrPersonalOffer is wrapped by every error of a personal offer's checks and of its text syntax.
var ErrPersonalOffer = errors.New("personal offer")

// PersonalOffer is one offer the CRM made to one customer, carried in the customers feed
// (Customer.PersonalOffers) and applied by the till when it recognises the customer. Its target is a
// product (Product), a group of articles (Group, a prefix of the article id) or, with neither, the whole
// receipt. Times bound it: From inclusive, Until exclusive, either zero for open.
type PersonalOffer struct {
	ID       string    `json:"id"`
	Text     string    `json:"text"`              // what the cashier and the customer read: "−10 % на молоко"
	Kind     string    `json:"kind"`              // OfferPercent, OfferFixed or OfferPoints
	Value    int64     `json:"value"`             // see the kinds
	Product  string    `json:"product,omitempty"` // one article id
	Group    string    `json:"group,omitempty"`   // an article id prefix
	MinTotal int64     `json:"min_total,omitempty"`
	From     time.Time `json:"from,omitzero"`
	Until    time.Time `json:"until,omitzero"`
}

// Check reports an offer the till could not apply safely; the error wraps ErrPersonalOffer.
func (o PersonalOffer) Check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %.40q: %s", ErrPersonalOffer, o.ID, fmt.Sprintf(format, a...))
	}
	switch {
	case o.ID == "" || len(o.ID) > maxOfferIDLen || strings.ContainsFunc(o.ID, notIDRune):
		return bad("id: want 1 to %d characters of A-Z a-z 0-9 _ -", maxOfferIDLen)
	case !utf8.ValidString(o.Text) || utf8.RuneCountInString(o.Text) > maxOfferTextLen || strings.ContainsFunc(o.Text, isControl):
		return bad("text: want at most %d printable characters", maxOfferTextLen)
	case o.Product != "" && o.Group != "":
		return bad("target: a product or a group, not both")
	case len(o.Product) > maxOfferTargetLen || len(o.Group) > maxOfferTargetLen ||
		strings.ContainsFunc(o.Product+o.Group, isControl) || strings.ContainsAny(o.Product+o.Group, " |:"):
		return bad("target: want an article id or prefix of at most %d bytes", maxOfferTargetLen)
	case o.MinTotal < 0 || o.MinTotal > MaxBasketPrice:
		return bad("minimum receipt out of range")
	case !o.From.IsZero() && !o.Until.IsZero() && !o.From.Before(o.Until):
		return bad("validity: from must be before until")
	}
	switch o.Kind {
	case OfferPercent:
		if o.Value <= 0 || o.Value > 10000 {
			return bad("percent: want 0,01 to 100 %%")
		}
	case OfferFixed:
		if o.Value <= 0 || o.Value > maxOfferFixed {
			return bad("fixed: want 1 kopeck to %d kopecks per unit", maxOfferFixed)
		}
	case OfferPoints:
		if o.Value <= 100 || o.Value > maxOfferMultiplier {
			return bad("points: want a multiplier above 1 and at most 10")
		}
	default:
		return bad("kind %q is none of percent, fixed, points", o.Kind)
	}
	return nil
}

// ValidAt reports whether the offer runs at t.
func (o PersonalOffer) ValidAt(t time.Time) bool {
	return (o.From.IsZero() || !t.Before(o.From)) && (o.Until.IsZero() || t.Before(o.Until))
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// offerZone is the zone of dates written without a time in the offers syntax: the chain's, Moscow.
var offerZone = time.FixedZone("MSK", 3*60*60)

// ParsePersonalOffers reads the offers column of a customers file: offers separated by '|', each
//
//	ID KIND TARGET [min=RUBLES] [from=DATE] [to=DATE]: TEXT
//
// KIND is "-10%" (percent off, up to two decimals), "-15.50" (rubles off per unit) or "x2" / "x1.5" (points
// multiplier, up to two decimals); TARGET is "product=ARTICLE", "group=PREFIX" or "receipt". A DATE is
// YYYY-MM-DD in Moscow time (from: that day's start; to: the end of that day, inclusive) or an RFC 3339
// time (to: exclusive). The first ':' followed by a space or the end ends the spec; TEXT is the rest of the offer up to the next '|', trimmed; empty means a text made
// from the kind. An empty column is no offers.
//
//	o-milk -10% group=1000: −10 % на молоко | o-pts x2 receipt min=1000 to=2026-12-31: двойные баллы
func ParsePersonalOffers(s string) ([]PersonalOffer, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, "|")
	if len(parts) > MaxOffersPerCustomer {
		return nil, fmt.Errorf("%w: %d offers, at most %d", ErrPersonalOffer, len(parts), MaxOffersPerCustomer)
	}
	out := make([]PersonalOffer, 0, len(parts))
	seen := map[string]bool{}
	for i, part := range parts {
		o, err := parseOffer(part)
		if err != nil {
			return nil, fmt.Errorf("offer %d: %w", i+1, err)
		}
		if seen[o.ID] {
			return nil, fmt.Errorf("offer %d: %w %s listed twice", i+1, ErrPersonalOffer, o.ID)
		}
		seen[o.ID] = true
		out = append(out, o)
	}
	return out, nil
}

func parseOffer(s string) (PersonalOffer, error) {
	spec, text := s, ""
	for i := 0; i < len(s); i++ { // the first ':' ending a word: RFC 3339 times hold colons too
		if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ') {
			spec, text = s[:i], s[i+1:]
			break
		}
	}
	f := strings.Fields(spec)
	if len(f) < 3 {
		return PersonalOffer{}, fmt.Errorf("%w: want ID KIND TARGET [options]: TEXT, not %.60q", ErrPersonalOffer, s)
	}
	o := PersonalOffer{ID: f[0], Text: strings.TrimSpace(text)}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %.40q: %s", ErrPersonalOffer, o.ID, fmt.Sprintf(format, a...))
	}
	var err error
	switch k := f[1]; {
	case strings.HasPrefix(k, "-") && strings.HasSuffix(k, "%"):
		o.Kind = OfferPercent
		o.Value, err = parseHundredths(k[1 : len(k)-1])
	case strings.HasPrefix(k, "-"):
		o.Kind = OfferFixed
		o.Value, err = parseHundredths(k[1:])
	case strings.HasPrefix(k, "x") || strings.HasPrefix(k, "×"):
		o.Kind = OfferPoints
		o.Value, err = parseHundredths(strings.TrimPrefix(strings.TrimPrefix(k, "x"), "×"))
	default:
		return o, bad("kind %.20q: want -10%%, -15.50 or x2", k)
	}
	if err != nil {
		return o, bad("kind %.20q: %v", f[1], err)
	}
	switch t := f[2]; {
	case t == "receipt":
	case strings.HasPrefix(t, "product=") && len(t) > len("product="):
		o.Product = t[len("product="):]
	case strings.HasPrefix(t, "group=") && len(t) > len("group="):
		o.Group = t[len("group="):]
	default:
		return o, bad("target %.40q: want product=ARTICLE, group=PREFIX or receipt", t)
	}
	for _, opt := range f[3:] {
		key, val, _ := strings.Cut(opt, "=")
		switch key {
		case "min":
			o.MinTotal, err = parseHundredths(val)
		case "from":
			o.From, err = parseOfferTime(val, false)
		case "to":
			o.Until, err = parseOfferTime(val, true)
		default:
			return o, bad("option %.20q: want min=, from= or to=", opt)
		}
		if err != nil {
			return o, bad("%s: %v", key, err)
		}
	}
	if o.Text == "" {
		o.Text = o.DefaultText()
	}
	return o, o.Check()
}

// parseHundredths reads "10", "7.5" or "15,50" as hundredths; at most two decimals, no sign.
func parseHundredths(s string) (int64, error) {
	whole, frac, dot := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" || len(whole) > 9 || !isDigits(whole) || dot && (frac == "" || len(frac) > 2 || !isDigits(frac)) {
		return 0, fmt.Errorf("%.20q: want a number with at most two decimals", s)
	}
	n, _ := strconv.ParseInt(whole+(frac + "00")[:2], 10, 64)
	return n, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseOfferTime reads a DATE (Moscow time; end of day for an upper bound) or an RFC 3339 time.
func parseOfferTime(s string, upper bool) (time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", s, offerZone); err == nil && d.Year() >= 2000 && d.Year() <= 2200 {
		if upper {
			d = d.AddDate(0, 0, 1)
		}
		return d.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}, fmt.Errorf("%.30q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// FormatPersonalOffers writes offers in ParsePersonalOffers' syntax (times as RFC 3339), so an export
// reads back the same.
func FormatPersonalOffers(offers []PersonalOffer) string {
	parts := make([]string, len(offers))
	for i, o := range offers {
		var b strings.Builder
		b.WriteString(o.ID + " " + o.kindSpec() + " ")
		switch {
		case o.Product != "":
			b.WriteString("product=" + o.Product)
		case o.Group != "":
			b.WriteString("group=" + o.Group)
		default:
			b.WriteString("receipt")
		}
		if o.MinTotal > 0 {
			b.WriteString(" min=" + hundredths(o.MinTotal))
		}
		if !o.From.IsZero() {
			b.WriteString(" from=" + o.From.UTC().Format(time.RFC3339))
		}
		if !o.Until.IsZero() {
			b.WriteString(" to=" + o.Until.UTC().Format(time.RFC3339))
		}
		b.WriteString(": " + o.Text)
		parts[i] = b.String()
	}
	return strings.Join(parts, " | ")
}

func (o PersonalOffer) kindSpec() string {
	switch o.Kind {
	case OfferPercent:
		return "-" + hundredths(o.Value) + "%"
	case OfferPoints:
		return "x" + hundredths(o.Value)
	}
	return "-" + hundredths(o.Value)
}

// hundredths writes 1050 as "10.5" and 1000 as "10".
func hundredths(v int64) string {
	s := strconv.FormatInt(v/100, 10)
	if f := v % 100; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%02d", f), "0")
	}
	return s
}

// DefaultText is the offer's text when the CRM wrote none: "−10 % на товар 100002", "×2 баллов на чек".
func (o PersonalOffer) DefaultText() string {
	var what string
	switch o.Kind {
	case OfferPercent:
		what = "−" + strings.Replace(hundredths(o.Value), ".", ",", 1) + " %"
	case OfferFixed:
		what = "−" + strings.Replace(hundredths(o.Value), ".", ",", 1) + " ₽ за единицу"
	default:
		what = "×" + strings.Replace(hundredths(o.Value), ".", ",", 1) + " баллов"
	}
	switch {
	case o.Product != "":
		return what + " на товар " + o.Product
	case o.Group != "":
		return what + " на группу " + o.Group
	}
	return what + " на чек"
}
