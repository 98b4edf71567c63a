package barcode

import (
	"strings"

	"github.com/kassa-pos/kassa/pos"
)

// BasketQRPrefix starts a basket QR payload (sync/wire.BasketQRPrefix): "KB1.<kid>.<body>.<mac>".
const BasketQRPrefix = "KB1."

// BasketQRRecognizer returns a Recognizer for signed basket QR codes made at the kiosk, by the web shop or
// the app: text that starts with "KB1.". It checks only the shape, three dot-separated parts of base64url
// after the prefix, so that a damaged scan asks for a rescan; the signature, the expiry and the store are
// the till's to check with the chain's keys (pos/checkout). The Code has Kind KindBasketQR and the payload
// in Raw. NewClassifier already includes it.
func BasketQRRecognizer() Recognizer { return recognizeBasketQR }

func recognizeBasketQR(text string) (Code, bool, error) {
	if !strings.HasPrefix(text, BasketQRPrefix) {
		return Code{}, false, nil
	}
	parts := strings.Split(text[len(BasketQRPrefix):], ".")
	if len(parts) != 3 {
		return Code{}, true, newError(text, pos.ErrInvalidBarcode, "a basket QR has a key id, a body and a signature")
	}
	for _, p := range parts {
		if p == "" || strings.ContainsFunc(p, notBase64URL) {
			return Code{}, true, newError(text, pos.ErrInvalidBarcode, "a basket QR holds base64url parts only")
		}
	}
	return Code{Kind: KindBasketQR, Raw: text}, true, nil
}

func notBase64URL(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}
