package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ErrPhone means a phone number is not a +7 (Russia, Kazakhstan) number of 10 digits after the code.
var ErrPhone = errors.New("not a +7 phone number")

// NormalizePhone returns a phone number as "+7XXXXXXXXXX". It accepts the usual ways of writing one:
// "+7 (912) 345-67-89", "8 912 345 67 89", "79123456789", "9123456789".
func NormalizePhone(s string) (string, error) {
	digits := make([]byte, 0, 11)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '\t':
		case c == '+' && len(digits) == 0 && !strings.Contains(s[:i], "+"):
		default:
			return "", fmt.Errorf("%w: %q", ErrPhone, s)
		}
	}
	plus := strings.HasPrefix(strings.TrimSpace(s), "+")
	switch {
	case len(digits) == 11 && digits[0] == '7':
	case len(digits) == 11 && digits[0] == '8' && !plus:
	case len(digits) == 10 && !plus:
		digits = append([]byte{'7'}, digits...)
	default:
		return "", fmt.Errorf("%w: %q", ErrPhone, s)
	}
	return "+7" + string(digits[1:]), nil
}

// PhoneHash is how a customer's phone travels and rests outside the CRM (152-ФЗ): the hex HMAC-SHA256 of
// the normalised number under the chain's key. A terminal hashes the number a customer dictates the same
// way to find them in its copy of the customers feed.
func PhoneHash(key []byte, phone string) (string, error) {
	n, err := NormalizePhone(phone)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(n))
	return hex.EncodeToString(m.Sum(nil)), nil
}
