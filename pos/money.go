package pos

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in kopecks. It is never a float: every sum on a receipt must add up to the kopeck.
type Money int64

// Rubles builds an amount from whole rubles and kopecks.
func Rubles(rub, kop int64) Money { return Money(rub*100 + kop) }

// ErrBadAmount is returned when typed text is not an amount of money or a quantity.
var ErrBadAmount = errors.New("not an amount")

// String formats the amount the Russian way: a space between thousands and a comma before kopecks
// ("1 234,50").
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + groupThousands(v/100) + fmt.Sprintf(",%02d", v%100)
}

// Plain formats the amount with a dot and no grouping ("1234.50"), as the ФНС receipt QR and the wire want.
func (m Money) Plain() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

func groupThousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// ParseMoney reads an amount typed by a cashier: "150", "150,5", "150.50", "1 500,00".
func ParseMoney(s string) (Money, error) {
	v, err := parseFixed(s, 2)
	if err != nil {
		return 0, err
	}
	return Money(v), nil
}

// parseFixed parses a non-negative decimal with at most frac digits after the separator into an integer
// scaled by 10^frac.
func parseFixed(s string, frac int) (int64, error) {
	clean := strings.NewReplacer(" ", "", "\u00a0", "", ",", ".").Replace(strings.TrimSpace(s))
	if clean == "" {
		return 0, fmt.Errorf("%w: empty", ErrBadAmount)
	}
	whole, part, hasDot := strings.Cut(clean, ".")
	if whole == "" {
		whole = "0"
	}
	if hasDot && (part == "" || len(part) > frac) {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
	}
	for _, r := range whole + part {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
		}
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("%w: %q is too large", ErrBadAmount, s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	part += strings.Repeat("0", frac-len(part))
	p, _ := strconv.ParseInt(part, 10, 64)
	scale := int64(1)
	for range frac {
		scale *= 10
	}
	return w*scale + p, nil
}

// divRound divides a by b (b > 0), rounding half away from zero: the rule for kopecks on a receipt.
func divRound(a, b int64) int64 {
	if a < 0 {
		return -divRound(-a, b)
	}
	return (a + b/2) / b
}
