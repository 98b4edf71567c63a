package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PickupQRPrefix starts every pickup QR payload; the digit is the format version.
const PickupQRPrefix = "KP1."

// Errors of VerifyPickupQR; check them with errors.Is.
var (
	ErrQRFormat    = errors.New("pickup qr: malformed")
	ErrQRKey       = errors.New("pickup qr: unknown or unusable key")
	ErrQRSignature = errors.New("pickup qr: bad signature")
	ErrQRExpired   = errors.New("pickup qr: expired")
)

const (
	maxQRLen    = 1024
	maxKeyIDLen = 16
	minQRKeyLen = 16 // bytes of HMAC key; shorter keys are refused when signing
)

// PickupQR is what the customer's pickup QR code says: which order, for which store, until when. The
// backend signs it; a terminal verifies it offline with the same key, found by its key id.
//
// The payload is "KP1.<kid>.<body>.<mac>", where body is base64url (no padding) of the JSON
// {"o":order id,"n":order number,"s":store,"exp":unix seconds} and mac is base64url (no padding) of
// HMAC-SHA256(key, "KP1.<kid>.<body>"). kid is 1–16 characters of [A-Za-z0-9_-], so keys can be rotated:
// a terminal keeps the old key id beside the new one until the old codes have expired.
type PickupQR struct {
	Order   string
	Number  string
	Store   string
	Expires time.Time // second precision
}

type pickupQRBody struct {
	Order   string `json:"o"`
	Number  string `json:"n,omitempty"`
	Store   string `json:"s"`
	Expires int64  `json:"exp"`
}

// IsPickupQR reports whether a scanned code looks like a pickup QR payload (it is not verified).
func IsPickupQR(s string) bool { return strings.HasPrefix(s, PickupQRPrefix) }

// SignPickupQR returns the signed QR payload of q under the key kid. The key must be at least 16 bytes.
func SignPickupQR(q PickupQR, kid string, key []byte) (string, error) {
	if !ValidKeyID(kid) || len(key) < minQRKeyLen {
		return "", fmt.Errorf("%w: key id %q with %d bytes", ErrQRKey, kid, len(key))
	}
	if q.Order == "" || q.Store == "" || q.Expires.Unix() <= 0 {
		return "", fmt.Errorf("%w: order, store and expiry are required", ErrQRFormat)
	}
	body, err := json.Marshal(pickupQRBody{Order: q.Order, Number: q.Number, Store: q.Store, Expires: q.Expires.Unix()})
	if err != nil {
		return "", fmt.Errorf("pickup qr: %w", err)
	}
	signed := PickupQRPrefix + kid + "." + base64.RawURLEncoding.EncodeToString(body)
	out := signed + "." + base64.RawURLEncoding.EncodeToString(qrMAC(key, signed))
	if len(out) > maxQRLen {
		return "", fmt.Errorf("%w: %d bytes, at most %d", ErrQRFormat, len(out), maxQRLen)
	}
	return out, nil
}

// VerifyPickupQR checks a scanned payload: its format, its signature under the key that keys returns for
// its key id, and that it has not expired at now. It returns the order reference; checking that the store
// is this terminal's is the caller's business.
func VerifyPickupQR(s string, keys func(kid string) (key []byte, ok bool), now time.Time) (PickupQR, error) {
	if len(s) > maxQRLen || !IsPickupQR(s) {
		return PickupQR{}, fmt.Errorf("%w: not a KP1 payload", ErrQRFormat)
	}
	parts := strings.Split(s[len(PickupQRPrefix):], ".")
	if len(parts) != 3 || !ValidKeyID(parts[0]) {
		return PickupQR{}, fmt.Errorf("%w: want KP1.kid.body.mac", ErrQRFormat)
	}
	kid, body64, mac64 := parts[0], parts[1], parts[2]
	mac, err := base64.RawURLEncoding.DecodeString(mac64)
	if err != nil || len(mac) != sha256.Size {
		return PickupQR{}, fmt.Errorf("%w: signature is not 32 bytes of base64url", ErrQRFormat)
	}
	key, ok := keys(kid)
	if !ok || len(key) == 0 {
		return PickupQR{}, fmt.Errorf("%w: key id %q", ErrQRKey, kid)
	}
	if !hmac.Equal(mac, qrMAC(key, PickupQRPrefix+kid+"."+body64)) {
		return PickupQR{}, ErrQRSignature
	}
	raw, err := base64.RawURLEncoding.DecodeString(body64)
	if err != nil {
		return PickupQR{}, fmt.Errorf("%w: body is not base64url", ErrQRFormat)
	}
	var b pickupQRBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&b); err != nil || dec.More() {
		return PickupQR{}, fmt.Errorf("%w: body is not a JSON object", ErrQRFormat)
	}
	if b.Order == "" || b.Store == "" || b.Expires <= 0 {
		return PickupQR{}, fmt.Errorf("%w: order, store and expiry are required", ErrQRFormat)
	}
	q := PickupQR{Order: b.Order, Number: b.Number, Store: b.Store, Expires: time.Unix(b.Expires, 0).UTC()}
	if !now.Before(q.Expires) {
		return q, fmt.Errorf("%w: at %s", ErrQRExpired, q.Expires.Format(time.RFC3339))
	}
	return q, nil
}

func qrMAC(key []byte, signed string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signed))
	return m.Sum(nil)
}

// ValidKeyID reports whether kid can name a pickup QR key: 1–16 characters of [A-Za-z0-9_-].
func ValidKeyID(kid string) bool {
	if kid == "" || len(kid) > maxKeyIDLen {
		return false
	}
	for i := 0; i < len(kid); i++ {
		c := kid[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
