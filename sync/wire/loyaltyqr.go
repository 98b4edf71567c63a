package wire

import (
	"fmt"
	"strings"
	"time"
)

// LoyaltyQRPrefix starts every loyalty QR payload of the store's mobile app; the digit is the format version.
const LoyaltyQRPrefix = "KL1."

// LoyaltyQRLifetime is how long one loyalty QR is valid. The app shows a new code before the old one
// expires, so a photo of the screen is worth nothing a few minutes later.
const LoyaltyQRLifetime = 5 * time.Minute

// loyaltyQRSkew is how far the phone's clock may run ahead of the till's: a code may still have up to
// LoyaltyQRLifetime plus this left when the till reads it.
const loyaltyQRSkew = 2 * time.Minute

// LoyaltyQR is what the rotating QR code of the store's app says: whose it is, and when it was made and
// stops being valid. The chain's backend signs it for the app; a till verifies it offline with the same
// key, found by its key id.
//
// The payload is "KL1.<kid>.<body>.<mac>" (the envelope of SignQR), where body is base64url of the JSON
// {"c":customer id,"iat":unix seconds,"exp":unix seconds}. The issue time makes every rotation's code
// different.
type LoyaltyQR struct {
	Customer string    // Customer.ID
	Issued   time.Time // second precision
	Expires  time.Time // second precision; at most LoyaltyQRLifetime after Issued
}

type loyaltyQRBody struct {
	Customer string `json:"c"`
	Issued   int64  `json:"iat"`
	Expires  int64  `json:"exp"`
}

// IsLoyaltyQR reports whether a scanned code looks like a loyalty QR payload (it is not verified).
func IsLoyaltyQR(s string) bool { return strings.HasPrefix(s, LoyaltyQRPrefix) }

// SignLoyaltyQR returns the signed QR payload of q under the key kid. The key must be at least 16 bytes and
// the code may live at most LoyaltyQRLifetime.
func SignLoyaltyQR(q LoyaltyQR, kid string, key []byte) (string, error) {
	b := loyaltyQRBody{Customer: q.Customer, Issued: q.Issued.Unix(), Expires: q.Expires.Unix()}
	if err := b.check(); err != nil {
		return "", err
	}
	return SignQR(LoyaltyQRPrefix, b, kid, key)
}

// VerifyLoyaltyQR checks a scanned payload: its format, its signature under the key that keys returns for
// its key id, that it has not expired at now and that it does not claim to live longer than a rotating
// code may (LoyaltyQRLifetime, plus a little for the phone's clock). Errors wrap ErrQRFormat, ErrQRKey,
// ErrQRSignature or ErrQRExpired.
func VerifyLoyaltyQR(s string, keys func(kid string) (key []byte, ok bool), now time.Time) (LoyaltyQR, error) {
	var b loyaltyQRBody
	if err := OpenQR(LoyaltyQRPrefix, s, keys, &b); err != nil {
		return LoyaltyQR{}, err
	}
	if err := b.check(); err != nil {
		return LoyaltyQR{}, err
	}
	q := LoyaltyQR{Customer: b.Customer, Issued: time.Unix(b.Issued, 0).UTC(), Expires: time.Unix(b.Expires, 0).UTC()}
	if !now.Before(q.Expires) {
		return q, fmt.Errorf("%w: at %s", ErrQRExpired, q.Expires.Format(time.RFC3339))
	}
	if q.Expires.Sub(now) > LoyaltyQRLifetime+loyaltyQRSkew {
		return q, fmt.Errorf("%w: valid until %s, longer than a rotating code lives", ErrQRFormat,
			q.Expires.Format(time.RFC3339))
	}
	return q, nil
}

func (b loyaltyQRBody) check() error {
	switch {
	case b.Customer == "" || len(b.Customer) > 128:
		return fmt.Errorf("%w: customer id of 1–128 bytes is required", ErrQRFormat)
	case b.Issued <= 0 || b.Expires <= b.Issued:
		return fmt.Errorf("%w: issue time and a later expiry are required", ErrQRFormat)
	case b.Expires-b.Issued > int64(LoyaltyQRLifetime/time.Second):
		return fmt.Errorf("%w: a loyalty code lives at most %v", ErrQRFormat, LoyaltyQRLifetime)
	}
	return nil
}
