package wire_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

var loyaltyGood = wire.LoyaltyQR{Customer: "c-1001", Issued: qrNow.Add(-time.Minute), Expires: qrNow.Add(4 * time.Minute)}

func mustSignLoyalty(t testing.TB, q wire.LoyaltyQR, kid string, key []byte) string {
	t.Helper()
	s, err := wire.SignLoyaltyQR(q, kid, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// loyaltyCases are payloads and what VerifyLoyaltyQR says of them at qrNow; FuzzVerifyLoyaltyQR starts
// from them.
func loyaltyCases(t testing.TB) []struct {
	name, payload string
	want          error
} {
	good := mustSignLoyalty(t, loyaltyGood, "k1", qrKeyA)
	parts := strings.Split(good, ".")
	other := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"c":"c-2002","iat":%d,"exp":%d}`,
		loyaltyGood.Issued.Unix(), loyaltyGood.Expires.Unix())))
	// A code the backend would never sign (a year long), made by hand with the right key: refused anyway.
	year := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"c":"c-1001","iat":%d,"exp":%d}`,
		qrNow.Unix(), qrNow.AddDate(1, 0, 0).Unix())))
	longLived, err := wire.SignQR(wire.LoyaltyQRPrefix, map[string]any{"c": "c-1001", "iat": qrNow.Unix() + 3600,
		"exp": qrNow.Unix() + 3900}, "k1", qrKeyA)
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name, payload string
		want          error
	}{
		{"good", good, nil},
		{"second key", mustSignLoyalty(t, loyaltyGood, "k2", qrKeyB), nil},
		{"expired", mustSignLoyalty(t, wire.LoyaltyQR{Customer: "c-1001", Issued: qrNow.Add(-5 * time.Minute),
			Expires: qrNow}, "k1", qrKeyA), wire.ErrQRExpired},
		{"foreign key id", mustSignLoyalty(t, loyaltyGood, "k9", qrKeyA), wire.ErrQRKey},
		{"signed with another key", mustSignLoyalty(t, loyaltyGood, "k1", qrKeyB), wire.ErrQRSignature},
		{"customer swapped", parts[0] + "." + parts[1] + "." + other + "." + parts[3], wire.ErrQRSignature},
		{"year-long body", parts[0] + "." + parts[1] + "." + year + "." + parts[3], wire.ErrQRSignature},
		{"valid far ahead of the till's clock", longLived, wire.ErrQRFormat},
		{"pickup prefix", "KP1" + good[3:], wire.ErrQRFormat},
		{"mac truncated", good[:len(good)-4], wire.ErrQRFormat},
		{"card number", "2700000000015", wire.ErrQRFormat},
		{"empty", "", wire.ErrQRFormat},
	}
}

func TestVerifyLoyaltyQR(t *testing.T) {
	for _, tc := range loyaltyCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.VerifyLoyaltyQR(tc.payload, qrKeys, qrNow)
			if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyLoyaltyQR = %+v, %v; want %v", got, err, tc.want)
			}
			if err == nil && got != loyaltyGood {
				t.Errorf("got %+v, want %+v", got, loyaltyGood)
			}
		})
	}
}

func TestSignLoyaltyQRRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    wire.LoyaltyQR
		kid  string
		key  []byte
		want error
	}{
		{"no customer", wire.LoyaltyQR{Issued: qrNow, Expires: qrNow.Add(time.Minute)}, "k1", qrKeyA, wire.ErrQRFormat},
		{"no issue time", wire.LoyaltyQR{Customer: "c", Expires: qrNow}, "k1", qrKeyA, wire.ErrQRFormat},
		{"expires before issued", wire.LoyaltyQR{Customer: "c", Issued: qrNow, Expires: qrNow}, "k1", qrKeyA, wire.ErrQRFormat},
		{"lives too long", wire.LoyaltyQR{Customer: "c", Issued: qrNow, Expires: qrNow.Add(6 * time.Minute)}, "k1", qrKeyA, wire.ErrQRFormat},
		{"short key", loyaltyGood, "k1", []byte("short"), wire.ErrQRKey},
		{"bad key id", loyaltyGood, "k 1", qrKeyA, wire.ErrQRKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s, err := wire.SignLoyaltyQR(tc.q, tc.kid, tc.key); !errors.Is(err, tc.want) {
				t.Errorf("SignLoyaltyQR = %q, %v; want %v", s, err, tc.want)
			}
		})
	}
}

// A till whose clock is behind the phone's by a minute or two still accepts a fresh code.
func TestVerifyLoyaltyQRClockSkew(t *testing.T) {
	q := wire.LoyaltyQR{Customer: "c-1", Issued: qrNow.Add(90 * time.Second), Expires: qrNow.Add(90*time.Second + wire.LoyaltyQRLifetime)}
	if _, err := wire.VerifyLoyaltyQR(mustSignLoyalty(t, q, "k1", qrKeyA), qrKeys, qrNow); err != nil {
		t.Fatal(err)
	}
}

func ExampleVerifyLoyaltyQR() {
	key := []byte("0123456789abcdef0123456789abcdef")
	keys := func(kid string) ([]byte, bool) { return key, kid == "app1" }
	issued := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	code, _ := wire.SignLoyaltyQR(wire.LoyaltyQR{Customer: "c-1001", Issued: issued,
		Expires: issued.Add(wire.LoyaltyQRLifetime)}, "app1", key)
	q, err := wire.VerifyLoyaltyQR(code, keys, issued.Add(time.Minute))
	fmt.Println(q.Customer, err)
	_, err = wire.VerifyLoyaltyQR(code, keys, issued.Add(10*time.Minute))
	fmt.Println(errors.Is(err, wire.ErrQRExpired))
	// Output:
	// c-1001 <nil>
	// true
}

func FuzzVerifyLoyaltyQR(f *testing.F) {
	for _, tc := range loyaltyCases(f) {
		f.Add(tc.payload)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := wire.VerifyLoyaltyQR(s, qrKeys, qrNow)
		if err == nil && (q.Customer == "" || !qrNow.Before(q.Expires)) {
			t.Errorf("accepted %q as %+v", s, q)
		}
		if err != nil && !errors.Is(err, wire.ErrQRFormat) && !errors.Is(err, wire.ErrQRKey) &&
			!errors.Is(err, wire.ErrQRSignature) && !errors.Is(err, wire.ErrQRExpired) {
			t.Errorf("%q: unclassified error %v", s, err)
		}
	})
}
