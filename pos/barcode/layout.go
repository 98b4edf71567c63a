package barcode

import (
	"fmt"
	"strconv"

	"github.com/kassa-pos/kassa/pos"
)

// ValueKind says what the value part of an in-store label holds.
type ValueKind int

const (
	// ValueWeight is a weight in grams (the zero value, the common case for scales).
	ValueWeight ValueKind = iota
	// ValuePrice is a price in kopecks.
	ValuePrice
)

// String returns "weight" or "price".
func (v ValueKind) String() string {
	switch v {
	case ValueWeight:
		return "weight"
	case ValuePrice:
		return "price"
	}
	return "ValueKind(" + strconv.Itoa(int(v)) + ")"
}

// WeightLayout describes the EAN-13 labels printed by the store's scales: PP, then ItemDigits of item
// code, then ValueDigits of weight or price, then the EAN check digit. There is no national standard and
// every scale is configurable, so the layout comes from the store's settings.
//
// A layout without prefixes turns weight labels off (every 13-digit code is then an EAN-13); its other
// fields are ignored.
type WeightLayout struct {
	// Prefixes are the two-digit prefixes that mark a label, usually a subset of the GS1 in-store
	// range "20"–"29". A prefix that is also a real GS1 country prefix would hide that country's goods.
	Prefixes    []string
	ItemDigits  int
	ValueDigits int
	Value       ValueKind
}

// DefaultWeightLayout is the most common layout, PP CCCCC WWWWW K: prefixes "20"–"29", a five-digit
// item code and a five-digit weight in grams.
func DefaultWeightLayout() WeightLayout {
	return WeightLayout{
		Prefixes:    []string{"20", "21", "22", "23", "24", "25", "26", "27", "28", "29"},
		ItemDigits:  5,
		ValueDigits: 5,
		Value:       ValueWeight,
	}
}

// Validate reports an impossible layout with an error wrapping ErrBadLayout.
func (w WeightLayout) Validate() error {
	if len(w.Prefixes) == 0 {
		return nil
	}
	for _, p := range w.Prefixes {
		if len(p) != 2 || !allDigits(p) {
			return fmt.Errorf("%w: prefix %q is not two digits", ErrBadLayout, p)
		}
	}
	if w.ItemDigits < 1 || w.ValueDigits < 1 || 2+w.ItemDigits+w.ValueDigits != 12 {
		return fmt.Errorf("%w: 2 prefix + %d item + %d value digits must make the 12 digits before the check digit",
			ErrBadLayout, w.ItemDigits, w.ValueDigits)
	}
	if w.Value != ValueWeight && w.Value != ValuePrice {
		return fmt.Errorf("%w: unknown value kind %v", ErrBadLayout, w.Value)
	}
	return nil
}

// labels is a validated WeightLayout compiled for quick lookups.
type labels struct {
	prefix [100]bool
	item   int
	value  ValueKind
}

func compile(w WeightLayout) (labels, error) {
	var l labels
	if err := w.Validate(); err != nil {
		return l, err
	}
	for _, p := range w.Prefixes {
		l.prefix[int(p[0]-'0')*10+int(p[1]-'0')] = true
	}
	l.item, l.value = w.ItemDigits, w.Value
	return l, nil
}

// matches reports whether s, 13 digits, starts with one of the label prefixes.
func (l *labels) matches(s string) bool {
	return l.prefix[int(s[0]-'0')*10+int(s[1]-'0')]
}

// decode reads a 13-digit label whose check digit is already verified.
func (l *labels) decode(s string) (Code, error) {
	item, digits := s[2:2+l.item], s[2+l.item:12]
	var v int64
	for i := 0; i < len(digits); i++ {
		v = v*10 + int64(digits[i]-'0')
	}
	if v == 0 {
		// A zero weight or price is a scale fault; selling the item for nothing must not be silent.
		return Code{}, newError(s, pos.ErrInvalidBarcode, fmt.Sprintf("label with zero %v", l.value))
	}
	c := Code{Kind: KindWeight, Raw: s, Prefix: s[:2], Item: item}
	if l.value == ValuePrice {
		c.Price = pos.Money(v)
	} else {
		c.Weight = pos.Qty(v)
	}
	return c, nil
}

// WeightRecognizer returns a Recognizer for labels in layout w, for stores whose scales print more than
// one layout (say weight labels under "21" and price labels under "22"): register it on a Classifier
// built with the other layout. It claims only 13-digit text with one of w's prefixes.
func WeightRecognizer(w WeightLayout) (Recognizer, error) {
	l, err := compile(w)
	if err != nil {
		return nil, err
	}
	return func(text string) (Code, bool, error) {
		if len(text) != 13 || !allDigits(text) || !l.matches(text) {
			return Code{}, false, nil
		}
		if e := checkError(text, "EAN-13"); e != nil {
			return Code{}, true, e
		}
		c, err := l.decode(text)
		return c, true, err
	}, nil
}
