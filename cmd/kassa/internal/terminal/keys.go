package terminal

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// Keys are the chain's secrets a terminal needs offline: the HMAC keys of the QR codes the chain signs
// (pickup KP1, basket KB1, loyalty app KL1; one ring, found by key id) and the key of the phone hashes.
//
// A key may have purposes: the kinds of code it may sign (wire.QRPurposePickup, …Basket, …Loyalty). A
// key without any signs every kind, as before purposes existed. A kiosk's key signs baskets only, so a
// stolen kiosk key forges no pickup hand-over and no customer's app code: verification of any other kind
// refuses it (For, QRKey).
type Keys struct {
	QR       map[string][]byte   // key id -> key
	Purposes map[string][]string // key id -> the purposes it is limited to; none: every purpose
	Phone    []byte
}

// QRKey finds a QR key by its id among the keys without purposes, for verifiers that do not say which
// kind of code they read; a key limited to some purposes is refused here. Use For when the kind is known.
func (k Keys) QRKey(kid string) ([]byte, bool) {
	key, ok := k.QR[kid]
	return key, ok && len(key) > 0 && len(k.Purposes[kid]) == 0
}

// Allows reports whether the key kid exists and may sign codes of purpose.
func (k Keys) Allows(kid, purpose string) bool {
	if key, ok := k.QR[kid]; !ok || len(key) == 0 {
		return false
	}
	ps := k.Purposes[kid]
	return len(ps) == 0 || slices.Contains(ps, purpose)
}

// For is the key finder of the verifiers of one purpose (wire.VerifyBasketQR with wire.QRPurposeBasket,
// …): a key used outside its purposes is not found, so the code is refused as signed by an unknown key.
func (k Keys) For(purpose string) func(kid string) ([]byte, bool) {
	return func(kid string) ([]byte, bool) {
		if !k.Allows(kid, purpose) {
			return nil, false
		}
		return k.QR[kid], true
	}
}

// CheckPurposes reports a purpose the ring does not know (a typo in the config).
func (k Keys) CheckPurposes() error {
	for kid, ps := range k.Purposes {
		if _, ok := k.QR[kid]; !ok {
			return fmt.Errorf("keys: purposes for key %q, which is not in the ring", kid)
		}
		for _, p := range ps {
			if _, ok := wire.QRPurposePrefix(p); !ok {
				return fmt.Errorf("keys: key %q: purpose %q is none of pickup, basket, loyalty", kid, p)
			}
		}
	}
	return nil
}

// DemoKeyID is the key id the demo signs QR codes with.
const DemoKeyID = "demo1"

// DemoKioskKeyID is the demo kiosk's own key id: it signs baskets only.
const DemoKioskKeyID = "kiosk1"

// DemoKeys are the fixed secrets of demo mode, shared by the till and its embedded hub. They are derived
// from public strings on purpose: nothing signed with them is worth anything outside the demo. The demo
// kiosk signs its baskets with a key of its own, limited to baskets.
func DemoKeys() Keys {
	qr := sha256.Sum256([]byte("kassa demo qr key"))
	kiosk := sha256.Sum256([]byte("kassa demo kiosk basket key"))
	phone := sha256.Sum256([]byte("kassa demo phone key"))
	return Keys{QR: map[string][]byte{DemoKeyID: qr[:], DemoKioskKeyID: kiosk[:]},
		Purposes: map[string][]string{DemoKioskKeyID: {wire.QRPurposeBasket}}, Phone: phone[:]}
}

// demoPickupOptions makes the embedded hub sign pickup codes and hash phones with the demo keys.
func demoPickupOptions() hub.PickupOptions {
	k := DemoKeys()
	return hub.PickupOptions{KeyID: DemoKeyID, Key: k.QR[DemoKeyID], PhoneKey: k.Phone}
}
