package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. They are written into every hash (PHC string), so they can be raised later
// without invalidating the PINs already set.
type Params struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// DefaultParams follow OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): ~50 ms on a till's CPU. A PIN
// has few digits, so the hash alone does not protect it; the rate limiter does the rest.
var DefaultParams = Params{Time: 2, Memory: 19 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

// Bounds on the parameters a stored hash may ask for, so a tampered record cannot make a login take
// gigabytes or minutes.
const (
	maxMemory  = 1 << 20 // 1 GiB
	maxTime    = 16
	maxThreads = 16
)

var b64 = base64.RawStdEncoding

// HashPIN returns "$argon2id$v=19$m=…,t=…,p=…$salt$key" (unpadded base64) for a valid PIN.
func HashPIN(pin string, p Params) (string, error) {
	if err := ValidPIN(pin); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("staff: pin salt: %w", err)
	}
	return encodeHash([]byte(pin), salt, p)
}

func encodeHash(secret, salt []byte, p Params) (string, error) {
	if p.Time == 0 || p.Time > maxTime || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory ||
		p.Threads == 0 || p.Threads > maxThreads || p.KeyLen < 16 || p.KeyLen > 64 || len(salt) < 8 {
		return "", fmt.Errorf("staff: argon2id parameters out of range: %+v", p)
	}
	key := argon2.IDKey(secret, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// pinHash is a parsed PHC string.
type pinHash struct {
	p         Params
	salt, key []byte
}

// ParseHash checks a stored hash without a PIN.
func ParseHash(s string) (Params, error) {
	h, err := parseHash(s)
	return h.p, err
}

func parseHash(s string) (pinHash, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return pinHash{}, ErrHashFormat
	}
	var h pinHash
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return pinHash{}, fmt.Errorf("%w: parameter %q", ErrHashFormat, kv)
		}
		switch k {
		case "m":
			h.p.Memory = uint32(n)
		case "t":
			h.p.Time = uint32(n)
		case "p":
			if n > maxThreads {
				return pinHash{}, fmt.Errorf("%w: parameter %q", ErrHashFormat, kv)
			}
			h.p.Threads = uint8(n)
		default:
			return pinHash{}, fmt.Errorf("%w: parameter %q", ErrHashFormat, kv)
		}
	}
	var err1, err2 error
	h.salt, err1 = b64.DecodeString(parts[4])
	h.key, err2 = b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return pinHash{}, fmt.Errorf("%w: base64", ErrHashFormat)
	}
	h.p.KeyLen, h.p.SaltLen = uint32(len(h.key)), len(h.salt)
	p := h.p
	if p.Time == 0 || p.Time > maxTime || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory ||
		p.KeyLen < 16 || p.KeyLen > 64 || p.SaltLen < 8 {
		return pinHash{}, fmt.Errorf("%w: parameters out of range", ErrHashFormat)
	}
	return h, nil
}

// VerifyPIN reports whether pin is the one the hash was made of; the keys are compared in constant time.
// A hash that does not parse is an error wrapping ErrHashFormat.
func VerifyPIN(hash, pin string) (bool, error) {
	h, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	return h.matches([]byte(pin)), nil
}

func (h pinHash) matches(secret []byte) bool {
	key := argon2.IDKey(secret, h.salt, h.p.Time, h.p.Memory, h.p.Threads, h.p.KeyLen)
	return subtle.ConstantTimeCompare(key, h.key) == 1
}
