package wire

import (
	"fmt"
	"strings"
	"time"
)

// PickupQRPrefix starts every pickup QR payload; the digit is the format version.
const PickupQRPrefix = "KP1."

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
	if q.Order == "" || q.Store == "" || q.Expires.Unix() <= 0 {
		return "", fmt.Errorf("%w: order, store and expiry are required", ErrQRFormat)
	}
	return SignQR(PickupQRPrefix, pickupQRBody{Order: q.Order, Number: q.Number, Store: q.Store,
		Expires: q.Expires.Unix()}, kid, key)
}

// VerifyPickupQR checks a scanned payload: its format, its signature under the key that keys returns for
// its key id, and that it has not expired at now. It returns the order reference; checking that the store
// is this terminal's is the caller's business.
func VerifyPickupQR(s string, keys func(kid string) (key []byte, ok bool), now time.Time) (PickupQR, error) {
	var b pickupQRBody
	if err := OpenQR(PickupQRPrefix, s, keys, &b); err != nil {
		return PickupQR{}, err
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
