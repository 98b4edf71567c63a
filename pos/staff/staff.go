// Package staff is who may work the terminal: users with a role (cashier, senior cashier, administrator)
// and an argon2id-hashed PIN, the table of which actions need which role, a rate limiter for wrong PINs
// whose state survives a restart, and the audit entries that record every privileged action. It knows
// its storage only through the small interfaces of service.go.
package staff

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors of the package; check them with errors.Is.
var (
	ErrWrongPIN    = errors.New("staff: wrong pin")
	ErrLocked      = errors.New("staff: pin entry locked after too many wrong tries")
	ErrNotAllowed  = errors.New("staff: the role may not do this")
	ErrBadPIN      = errors.New("staff: a pin is 4 to 8 digits")
	ErrPINTaken    = errors.New("staff: another active user has this pin")
	ErrBadINN      = errors.New("staff: an inn is 12 digits with valid check digits")
	ErrBadName     = errors.New("staff: a name is 1 to 64 printable characters")
	ErrBadRole     = errors.New("staff: role is cashier, senior or admin")
	ErrUnknownUser = errors.New("staff: no such user")
	ErrHashFormat  = errors.New("staff: not an argon2id pin hash")
	ErrNoUsers     = errors.New("staff: no active users")
)

// Role is what a user may do; a higher role may do everything a lower one may.
type Role int8

// Roles, lowest first.
const (
	RoleCashier Role = 1 + iota
	RoleSenior
	RoleAdmin
)

var roleNames = map[Role]string{RoleCashier: "cashier", RoleSenior: "senior", RoleAdmin: "admin"}

func (r Role) String() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return fmt.Sprintf("role(%d)", int8(r))
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// ParseRole reads "cashier", "senior" or "admin" (also "senior_cashier", "administrator").
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "cashier":
		return RoleCashier, nil
	case "senior", "senior_cashier", "senior-cashier":
		return RoleSenior, nil
	case "admin", "administrator":
		return RoleAdmin, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrBadRole, s)
}

// User is a person who works the terminal. PINHash is an argon2id PHC string (HashPIN); the PIN itself is
// never kept.
type User struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"` // printed on receipts as the cashier (tag 1021)
	Role     Role      `json:"role"`
	INN      string    `json:"inn,omitempty"` // the cashier's own INN (tag 1203), optional
	PINHash  string    `json:"pin_hash"`
	Disabled bool      `json:"disabled,omitempty"`
	Created  time.Time `json:"created"`
}

// Can reports whether the user's role allows the action (a disabled user may do nothing).
func (u User) Can(a Action) bool { return !u.Disabled && u.Role >= MinRole(a) }

// NewID returns a random user id ("u" and 16 hex digits).
func NewID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("staff: user id: %w", err)
	}
	return "u" + hex.EncodeToString(b[:]), nil
}

// ValidName accepts 1 to 64 printable characters, as the ККТ prints them (tag 1021 holds up to 64).
func ValidName(name string) error {
	n := utf8.RuneCountInString(name)
	if strings.TrimSpace(name) == "" || n > 64 || strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return fmt.Errorf("%w: %q", ErrBadName, name)
	}
	return nil
}

// ValidINN accepts an empty INN (none) or a person's 12-digit INN with its two check digits.
func ValidINN(inn string) error {
	if inn == "" {
		return nil
	}
	if len(inn) != 12 || strings.ContainsFunc(inn, func(r rune) bool { return r < '0' || r > '9' }) {
		return fmt.Errorf("%w: %q", ErrBadINN, inn)
	}
	check := func(weights []int) byte {
		sum := 0
		for i, w := range weights {
			sum += int(inn[i]-'0') * w
		}
		return byte(sum%11%10) + '0'
	}
	if check([]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) != inn[10] || check([]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) != inn[11] {
		return fmt.Errorf("%w: %q (check digits)", ErrBadINN, inn)
	}
	return nil
}

// ValidPIN accepts 4 to 8 digits: what the numpad types.
func ValidPIN(pin string) error {
	if len(pin) < 4 || len(pin) > 8 || strings.ContainsFunc(pin, func(r rune) bool { return r < '0' || r > '9' }) {
		return ErrBadPIN
	}
	return nil
}
