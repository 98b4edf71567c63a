package checkout

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
)

// maxContactLen is the longest value of tag 1008 (телефон или электронный адрес покупателя).
const maxContactLen = 64

// SetBuyer sets the buyer's phone or e-mail for the electronic receipt of the sale being built (tag 1008;
// the ОФД sends the receipt there). A phone is stored as +7XXXXXXXXXX, an e-mail with its domain in lower
// case; "" removes the contact. The contact belongs to the customer at the till: it is forgotten when the
// receipt is paid, abandoned or deferred.
func (t *Till) SetBuyer(contact string) error {
	c, err := NormalizeContact(contact)
	if err != nil {
		return err
	}
	t.buyer = c
	return nil
}

// Buyer is the electronic receipt's contact of the sale being built, "" when none.
func (t *Till) Buyer() string { return t.buyer }

// NormalizeContact checks a buyer's contact and writes it the way tag 1008 carries it. A phone is a Russian
// mobile number typed as +7…, 7…, 8… or its 10 digits starting with 9, with any spaces, dashes, dots and
// brackets; anything with an '@' is an e-mail address. Blank input gives "".
func NormalizeContact(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", nil
	case strings.Contains(s, "@"):
		return normalizeEmail(s)
	}
	return normalizePhone(s)
}

func normalizePhone(s string) (string, error) {
	digits := make([]byte, 0, 11)
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		case r == '+' && i == 0:
		default:
			return "", fmt.Errorf("%w: %q", pos.ErrBadBuyerContact, s)
		}
	}
	plus := s[0] == '+'
	switch {
	case len(digits) == 11 && digits[0] == '7':
		digits = digits[1:]
	case len(digits) == 11 && digits[0] == '8' && !plus:
		digits = digits[1:]
	case len(digits) == 10 && !plus:
	default:
		return "", fmt.Errorf("%w: %q is not a +7 number of 10 digits", pos.ErrBadBuyerContact, s)
	}
	if digits[0] != '9' {
		// The ОФД sends the receipt by SMS: only a mobile number (9XX) can take it.
		return "", fmt.Errorf("%w: %q is not a mobile number", pos.ErrBadBuyerContact, s)
	}
	return "+7" + string(digits), nil
}

// normalizeEmail accepts a plausible address: one '@', a local part of printable ASCII without spaces, and
// a domain of at least two dot-separated labels of letters, digits and hyphens.
func normalizeEmail(s string) (string, error) {
	bad := fmt.Errorf("%w: %q is not an e-mail address", pos.ErrBadBuyerContact, s)
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") || utf8.RuneCountInString(s) > maxContactLen {
		return "", bad
	}
	for _, r := range local {
		if r <= ' ' || r > '~' || strings.ContainsRune(`"(),:;<>[\]`, r) {
			return "", bad
		}
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", bad
	}
	domain = strings.ToLower(domain)
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", bad
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return "", bad
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r >= 'а' && r <= 'я' || r == 'ё') {
				return "", bad
			}
		}
	}
	return local + "@" + domain, nil
}
