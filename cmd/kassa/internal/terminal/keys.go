package terminal

import (
	"crypto/sha256"

	"github.com/kassa-pos/kassa/sync/hub"
)

// Keys are the chain's secrets a terminal needs offline: the HMAC keys of the QR codes the chain signs
// (pickup KP1, basket KB1, loyalty app KL1; one ring, found by key id) and the key of the phone hashes.
type Keys struct {
	QR    map[string][]byte // key id -> key
	Phone []byte
}

// QRKey finds a QR key by its id, for wire.OpenQR and the Verify functions.
func (k Keys) QRKey(kid string) ([]byte, bool) {
	key, ok := k.QR[kid]
	return key, ok && len(key) > 0
}

// DemoKeyID is the key id the demo signs QR codes with.
const DemoKeyID = "demo1"

// DemoKeys are the fixed secrets of demo mode, shared by the till and its embedded hub. They are derived
// from public strings on purpose: nothing signed with them is worth anything outside the demo.
func DemoKeys() Keys {
	qr := sha256.Sum256([]byte("kassa demo qr key"))
	phone := sha256.Sum256([]byte("kassa demo phone key"))
	return Keys{QR: map[string][]byte{DemoKeyID: qr[:]}, Phone: phone[:]}
}

// demoPickupOptions makes the embedded hub sign pickup codes and hash phones with the demo keys.
func demoPickupOptions() hub.PickupOptions {
	k := DemoKeys()
	return hub.PickupOptions{KeyID: DemoKeyID, Key: k.QR[DemoKeyID], PhoneKey: k.Phone}
}
