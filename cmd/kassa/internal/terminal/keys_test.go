package terminal

import (
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

// TestKeyPurposes: the demo kiosk's key signs baskets and nothing else. A pickup code or a customer's app
// code signed with it is refused by their verifiers, a basket signed with a pickup-only key is refused by
// the till as such, and a kiosk cannot be set to sign with a key not meant for baskets.
func TestKeyPurposes(t *testing.T) {
	keys := DemoKeys()
	keys.QR["pick1"] = []byte("a pickup-only key, 32 bytes long")
	keys.Purposes["pick1"] = []string{wire.QRPurposePickup}
	kioskKey := keys.QR[DemoKioskKeyID]
	exp := basketNow.Add(time.Hour)

	basket, err := KioskSigner{Keys: keys, KeyID: DemoKioskKeyID}.SignBasket(demoBask)
	if err != nil {
		t.Fatal(err)
	}
	pickupByKiosk, err := wire.SignPickupQR(wire.PickupQR{Order: "o1", Number: "W-1", Store: "demo-store", Expires: exp},
		DemoKioskKeyID, kioskKey)
	if err != nil {
		t.Fatal(err)
	}
	appByKiosk, err := wire.SignLoyaltyQR(wire.LoyaltyQR{Customer: "c-1001", Issued: basketNow, Expires: basketNow.Add(time.Minute)},
		DemoKioskKeyID, kioskKey)
	if err != nil {
		t.Fatal(err)
	}
	basketByPickupKey, err := wire.SignBasketQR(wire.BasketQR{ID: "b1", Store: "demo-store", Source: wire.BasketFromKiosk,
		Expires: exp, Items: []wire.BasketItem{{ProductID: milk.ID, Qty: 1000, Price: 1}}}, "pick1", keys.QR["pick1"])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		try  func() error
		want error
	}{
		{"the kiosk's basket at the till", func() error { _, err := (BasketOpener{Keys: keys}).OpenBasket(basket, basketNow); return err }, nil},
		{"a pickup code signed by the kiosk", func() error {
			_, err := wire.VerifyPickupQR(pickupByKiosk, keys.For(wire.QRPurposePickup), basketNow)
			return err
		}, wire.ErrQRKey},
		{"the same through QRKey", func() error { _, err := wire.VerifyPickupQR(pickupByKiosk, keys.QRKey, basketNow); return err }, wire.ErrQRKey},
		{"an app code signed by the kiosk", func() error {
			_, err := wire.VerifyLoyaltyQR(appByKiosk, keys.For(wire.QRPurposeLoyalty), basketNow)
			return err
		}, wire.ErrQRKey},
		{"a basket signed by a pickup key", func() error {
			_, err := (BasketOpener{Keys: keys}).OpenBasket(basketByPickupKey, basketNow)
			return err
		}, checkout.ErrBasketKeyPurpose},
		{"a kiosk set to a pickup key", func() error { _, err := (KioskSigner{Keys: keys, KeyID: "pick1"}).SignBasket(demoBask); return err }, wire.ErrQRKey},
		{"the shared demo key still signs everything", func() error {
			_, err := (BasketOpener{Keys: keys}).OpenBasket(mustSign(t, keys, DemoKeyID), basketNow)
			return err
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.try(); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if err := keys.CheckPurposes(); err != nil {
		t.Errorf("demo keys: %v", err)
	}
	bad := Keys{QR: map[string][]byte{"k": kioskKey}, Purposes: map[string][]string{"k": {"baskets"}}}
	if err := bad.CheckPurposes(); err == nil {
		t.Error("an unknown purpose passed")
	}
	if err := (Keys{Purposes: map[string][]string{"k": {wire.QRPurposeBasket}}}).CheckPurposes(); err == nil {
		t.Error("purposes of a key not in the ring passed")
	}
}

func mustSign(t *testing.T, keys Keys, kid string) string {
	t.Helper()
	s, err := KioskSigner{Keys: keys, KeyID: kid}.SignBasket(demoBask)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type offerMap map[string]wire.Offer

func (m offerMap) OfferByProduct(id string) (wire.Offer, error) {
	if o, ok := m[id]; ok {
		return o, nil
	}
	return wire.Offer{}, store.ErrNotFound
}

// TestLowestPrice: what the till lets a basket charge at least, from the pulled offers.
func TestLowestPrice(t *testing.T) {
	offers := offerMap{
		"cheaper":   {ProductID: "cheaper", OnlinePrice: 9990, OnlineDiscount: 500},
		"ended":     {ProductID: "ended", OnlinePrice: 5000, ValidUntil: basketNow},
		"running":   {ProductID: "running", OnlinePrice: 5000, ValidUntil: basketNow.Add(time.Second)},
		"dearer":    {ProductID: "dearer", OnlinePrice: 20000},
		"no online": {ProductID: "no online"},
	}
	for _, tc := range []struct {
		id   string
		want pos.Money
	}{{"cheaper", 9490}, {"ended", 10990}, {"running", 5000}, {"dearer", 10990}, {"no online", 10990}, {"none", 10990}} {
		p := pos.Product{ID: tc.id, Price: 10990}
		got, err := BasketOpener{Offers: offers}.LowestPrice(p, basketNow)
		if err != nil || got != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.id, got, err, tc.want)
		}
	}
}
