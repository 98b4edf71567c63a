package main

import (
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/wire"
)

// TestKeyPurposesConfig: [[keys.qr]] purposes reach the ring, and a purpose that is not one is refused.
func TestKeyPurposesConfig(t *testing.T) {
	secret := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name   string
		qr     []QRKeyConfig
		err    string
		basket map[string]bool // kid -> may sign baskets
		pickup map[string]bool
	}{
		{"a shared key and a kiosk key", []QRKeyConfig{{ID: "k1", Secret: secret}, {ID: "kiosk1", Secret: secret, Purposes: []string{"basket"}}},
			"", map[string]bool{"k1": true, "kiosk1": true}, map[string]bool{"k1": true, "kiosk1": false}},
		{"a pickup-only key", []QRKeyConfig{{ID: "p1", Secret: secret, Purposes: []string{"pickup", "loyalty"}}},
			"", map[string]bool{"p1": false}, map[string]bool{"p1": true}},
		{"a misspelt purpose", []QRKeyConfig{{ID: "k1", Secret: secret, Purposes: []string{"baskets"}}}, "purpose", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := KeysConfig{QR: tc.qr}.keys()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one about %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for kid, want := range tc.basket {
				if got := keys.Allows(kid, wire.QRPurposeBasket); got != want {
					t.Errorf("%s signs baskets: %v, want %v", kid, got, want)
				}
			}
			for kid, want := range tc.pickup {
				if _, got := keys.For(wire.QRPurposePickup)(kid); got != want {
					t.Errorf("%s signs pickup codes: %v, want %v", kid, got, want)
				}
			}
		})
	}
}
