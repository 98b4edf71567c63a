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
)

// Errors of OpenQR and the Verify functions of signed QR codes; check them with errors.Is.
var (
	ErrQRFormat    = errors.New("signed qr: malformed")
	ErrQRKey       = errors.New("signed qr: unknown or unusable key")
	ErrQRSignature = errors.New("signed qr: bad signature")
	ErrQRExpired   = errors.New("signed qr: expired")
)

const (
	maxQRLen    = 1024
	maxKeyIDLen = 16
	minQRKeyLen = 16 // bytes of HMAC key; shorter keys are refused when signing
)

// SignQR signs body (marshalled to JSON) as "<prefix><kid>.<body>.<mac>": every QR code the chain signs
// (pickup "KP1.", basket "KB1.", loyalty app "KL1.") shares this envelope and its key rotation by key id.
func SignQR(prefix string, body any, kid string, key []byte) (string, error) {
	if !ValidKeyID(kid) || len(key) < minQRKeyLen {
		return "", fmt.Errorf("%w: key id %q with %d bytes", ErrQRKey, kid, len(key))
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("signed qr: %w", err)
	}
	signed := prefix + kid + "." + base64.RawURLEncoding.EncodeToString(raw)
	out := signed + "." + base64.RawURLEncoding.EncodeToString(qrMAC(key, signed))
	if len(out) > maxQRLen {
		return "", fmt.Errorf("%w: %d bytes, at most %d", ErrQRFormat, len(out), maxQRLen)
	}
	return out, nil
}

// OpenQR checks a signed payload of the given prefix (format, key id, signature) and decodes its JSON body
// into body. Expiry and the meaning of the fields are the caller's to check.
func OpenQR(prefix, s string, keys func(kid string) (key []byte, ok bool), body any) error {
	if len(s) > maxQRLen || !strings.HasPrefix(s, prefix) {
		return fmt.Errorf("%w: not a %s payload", ErrQRFormat, strings.TrimSuffix(prefix, "."))
	}
	parts := strings.Split(s[len(prefix):], ".")
	if len(parts) != 3 || !ValidKeyID(parts[0]) {
		return fmt.Errorf("%w: want %skid.body.mac", ErrQRFormat, prefix)
	}
	kid, body64, mac64 := parts[0], parts[1], parts[2]
	mac, err := base64.RawURLEncoding.DecodeString(mac64)
	if err != nil || len(mac) != sha256.Size {
		return fmt.Errorf("%w: signature is not 32 bytes of base64url", ErrQRFormat)
	}
	key, ok := keys(kid)
	if !ok || len(key) == 0 {
		return fmt.Errorf("%w: key id %q", ErrQRKey, kid)
	}
	if !hmac.Equal(mac, qrMAC(key, prefix+kid+"."+body64)) {
		return ErrQRSignature
	}
	raw, err := base64.RawURLEncoding.DecodeString(body64)
	if err != nil {
		return fmt.Errorf("%w: body is not base64url", ErrQRFormat)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(body); err != nil || dec.More() {
		return fmt.Errorf("%w: body is not a JSON object", ErrQRFormat)
	}
	return nil
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

// Purposes of a QR key: which kind of code it may sign. A key ring limits a key to some of them (a
// kiosk's key signs baskets only); verifiers ask the ring for a key of their own purpose.
const (
	QRPurposePickup  = "pickup"
	QRPurposeBasket  = "basket"
	QRPurposeLoyalty = "loyalty"
)

// QRPurposePrefix is the payload prefix of a purpose's codes.
func QRPurposePrefix(purpose string) (string, bool) {
	switch purpose {
	case QRPurposePickup:
		return PickupQRPrefix, true
	case QRPurposeBasket:
		return BasketQRPrefix, true
	case QRPurposeLoyalty:
		return LoyaltyQRPrefix, true
	}
	return "", false
}

// QRKeyID returns the key id a payload of prefix names, without checking anything else: how a verifier
// tells "a key of ours used outside its purpose" from "a key we do not have".
func QRKeyID(prefix, s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return "", false
	}
	kid, _, _ := strings.Cut(rest, ".")
	return kid, ValidKeyID(kid)
}
