package kiosk

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Errors of the manager PIN.
var (
	ErrPINWrong  = errors.New("kiosk: wrong manager pin")
	ErrPINLocked = errors.New("kiosk: manager pin locked after too many wrong tries")
	ErrPINHash   = errors.New("kiosk: manager_pin_hash is not a pbkdf2-sha256 hash made by `kassa kiosk-pin`")
)

// PIN hashing: PBKDF2-HMAC-SHA256 (crypto/pbkdf2) with a random salt. A PIN has few digits, so the hash
// in the config is slow on purpose; wrong tries at the stand are limited by PINGuard.
const (
	DefaultPINIterations = 210_000 // OWASP 2023 for PBKDF2-HMAC-SHA256 is 600,000; a kiosk CPU checks this in ~0.1 s
	minPINIterations     = 1_000
	pinHashScheme        = "pbkdf2-sha256"
	pinSaltLen           = 16
	pinKeyLen            = 32
	minPINLen            = 4
	maxPINLen            = 12
)

// HashPIN returns the config value of a manager PIN: "pbkdf2-sha256$<iterations>$<salt>$<key>", salt and
// key in unpadded base64.
func HashPIN(pin string) (string, error) { return HashPINWithCost(pin, DefaultPINIterations) }

// HashPINWithCost is HashPIN with another iteration count (at least 1000): fewer for tests, more for a
// fast machine.
func HashPINWithCost(pin string, iterations int) (string, error) {
	if err := validPIN(pin); err != nil {
		return "", err
	}
	if iterations < minPINIterations {
		return "", fmt.Errorf("kiosk: pin hash: %d iterations, want at least %d", iterations, minPINIterations)
	}
	salt := make([]byte, pinSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("kiosk: pin salt: %w", err)
	}
	key, err := pbkdf2.Key(sha256.New, pin, salt, iterations, pinKeyLen)
	if err != nil {
		return "", fmt.Errorf("kiosk: pin hash: %w", err)
	}
	enc := base64.RawStdEncoding
	return strings.Join([]string{pinHashScheme, strconv.Itoa(iterations), enc.EncodeToString(salt), enc.EncodeToString(key)}, "$"), nil
}

// validPIN accepts 4 to 12 digits: what the on-screen keypad can type.
func validPIN(pin string) error {
	if len(pin) < minPINLen || len(pin) > maxPINLen || strings.ContainsFunc(pin, func(r rune) bool { return r < '0' || r > '9' }) {
		return fmt.Errorf("kiosk: a manager pin is %d to %d digits", minPINLen, maxPINLen)
	}
	return nil
}

type pinHash struct {
	iterations int
	salt, key  []byte
}

// ParsePINHash checks a config value made by HashPIN.
func ParsePINHash(s string) error {
	_, err := parsePINHash(s)
	return err
}

func parsePINHash(s string) (pinHash, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 4 || parts[0] != pinHashScheme {
		return pinHash{}, ErrPINHash
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < minPINIterations || n > 100_000_000 {
		return pinHash{}, fmt.Errorf("%w: iterations %q", ErrPINHash, parts[1])
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[2])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) != pinKeyLen {
		return pinHash{}, fmt.Errorf("%w: salt or key", ErrPINHash)
	}
	return pinHash{iterations: n, salt: salt, key: key}, nil
}

// matches reports whether pin is the one the hash was made of, in constant time.
func (h pinHash) matches(pin string) bool {
	key, err := pbkdf2.Key(sha256.New, pin, h.salt, h.iterations, pinKeyLen)
	return err == nil && subtle.ConstantTimeCompare(key, h.key) == 1
}

// PIN guard defaults: five wrong tries lock the keypad for a minute.
const (
	DefaultPINTries   = 5
	DefaultPINLockout = time.Minute
)

// PINGuard checks the manager's PIN at the stand and locks the keypad for a while after repeated wrong
// tries, so a customer cannot guess it. It is safe for concurrent use.
type PINGuard struct {
	hash    pinHash
	clock   Clock
	tries   int
	lockout time.Duration

	mu          sync.Mutex
	wrong       int
	lockedUntil time.Time
}

// NewPINGuard returns a guard for a hash made by HashPIN.
func NewPINGuard(hash string, c Clock) (*PINGuard, error) {
	h, err := parsePINHash(hash)
	if err != nil {
		return nil, err
	}
	return &PINGuard{hash: h, clock: c, tries: DefaultPINTries, lockout: DefaultPINLockout}, nil
}

// PINRefusal says why a PIN was refused: Err is ErrPINWrong (Left tries remain before the lock) or
// ErrPINLocked (until Until).
type PINRefusal struct {
	Err   error
	Left  int
	Until time.Time
}

func (e *PINRefusal) Error() string {
	if errors.Is(e.Err, ErrPINLocked) {
		return fmt.Sprintf("%v until %s", e.Err, e.Until.Format("15:04:05"))
	}
	return fmt.Sprintf("%v, %d tries left", e.Err, e.Left)
}

func (e *PINRefusal) Unwrap() error { return e.Err }

// Check accepts the right PIN (and forgets earlier wrong tries) or returns a *PINRefusal. While locked,
// even the right PIN is refused.
func (g *PINGuard) Check(pin string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	if now.Before(g.lockedUntil) {
		return &PINRefusal{Err: ErrPINLocked, Until: g.lockedUntil}
	}
	if validPIN(pin) == nil && g.hash.matches(pin) {
		g.wrong = 0
		return nil
	}
	g.wrong++
	if g.wrong >= g.tries {
		g.wrong = 0
		g.lockedUntil = now.Add(g.lockout)
		return &PINRefusal{Err: ErrPINLocked, Until: g.lockedUntil}
	}
	return &PINRefusal{Err: ErrPINWrong, Left: g.tries - g.wrong}
}
