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

var (
	qrKeyA = []byte("0123456789abcdef0123456789abcdef")
	qrKeyB = []byte("fedcba9876543210fedcba9876543210")
	qrNow  = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	qrGood = wire.PickupQR{Order: "po-1", Number: "W-10234", Store: "s1", Expires: qrNow.Add(72 * time.Hour)}
)

func qrKeys(kid string) ([]byte, bool) {
	switch kid {
	case "k1":
		return qrKeyA, true
	case "k2":
		return qrKeyB, true
	}
	return nil, false
}

func mustSign(t testing.TB, q wire.PickupQR, kid string, key []byte) string {
	t.Helper()
	s, err := wire.SignPickupQR(q, kid, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// qrCases are payloads and what VerifyPickupQR says of them at qrNow; FuzzVerifyPickupQR starts from them.
func qrCases(t testing.TB) []struct {
	name, payload string
	want          error
} {
	good := mustSign(t, qrGood, "k1", qrKeyA)
	parts := strings.Split(good, ".")
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"o":"po-2","s":"s1","exp":1900000000}`))
	return []struct {
		name, payload string
		want          error
	}{
		{"good", good, nil},
		{"second key", mustSign(t, qrGood, "k2", qrKeyB), nil},
		{"expired", mustSign(t, wire.PickupQR{Order: "po-1", Store: "s1", Expires: qrNow}, "k1", qrKeyA), wire.ErrQRExpired},
		{"unknown key id", mustSign(t, qrGood, "k9", qrKeyA), wire.ErrQRKey},
		{"key id swapped", strings.Replace(good, ".k1.", ".k2.", 1), wire.ErrQRSignature},
		{"body changed", parts[0] + "." + parts[1] + "." + forged + "." + parts[3], wire.ErrQRSignature},
		{"mac truncated", good[:len(good)-4], wire.ErrQRFormat},
		{"not kp1", "https://shop.example/o/1", wire.ErrQRFormat},
		{"version 2", "KP2" + good[3:], wire.ErrQRFormat},
		{"extra part", good + ".x", wire.ErrQRFormat},
		{"bad key id", "KP1.k!.e30." + parts[3], wire.ErrQRFormat},
		{"empty", "", wire.ErrQRFormat},
		{"too long", good + strings.Repeat("A", 1100), wire.ErrQRFormat},
	}
}

func TestVerifyPickupQR(t *testing.T) {
	for _, tc := range qrCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.VerifyPickupQR(tc.payload, qrKeys, qrNow)
			if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyPickupQR = %+v, %v; want %v", got, err, tc.want)
			}
			if err == nil && got != qrGood {
				t.Errorf("got %+v, want %+v", got, qrGood)
			}
		})
	}
}

func TestSignPickupQRRefuses(t *testing.T) {
	tests := []struct {
		name string
		q    wire.PickupQR
		kid  string
		key  []byte
		want error
	}{
		{"short key", qrGood, "k1", []byte("short"), wire.ErrQRKey},
		{"empty key id", qrGood, "", qrKeyA, wire.ErrQRKey},
		{"long key id", qrGood, strings.Repeat("k", 17), qrKeyA, wire.ErrQRKey},
		{"no order", wire.PickupQR{Store: "s1", Expires: qrNow}, "k1", qrKeyA, wire.ErrQRFormat},
		{"no store", wire.PickupQR{Order: "o", Expires: qrNow}, "k1", qrKeyA, wire.ErrQRFormat},
		{"no expiry", wire.PickupQR{Order: "o", Store: "s1"}, "k1", qrKeyA, wire.ErrQRFormat},
		{"huge", wire.PickupQR{Order: strings.Repeat("o", 900), Store: "s1", Expires: qrNow}, "k1", qrKeyA, wire.ErrQRFormat},
	}
	for _, tc := range tests {
		if _, err := wire.SignPickupQR(tc.q, tc.kid, tc.key); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func FuzzVerifyPickupQR(f *testing.F) {
	for _, tc := range qrCases(f) {
		f.Add(tc.payload)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		q, err := wire.VerifyPickupQR(payload, qrKeys, qrNow)
		if err == nil && (q.Order == "" || q.Store == "" || !qrNow.Before(q.Expires)) {
			t.Fatalf("accepted %q as %+v", payload, q)
		}
		if err != nil && !errors.Is(err, wire.ErrQRFormat) && !errors.Is(err, wire.ErrQRKey) &&
			!errors.Is(err, wire.ErrQRSignature) && !errors.Is(err, wire.ErrQRExpired) {
			t.Fatalf("error %v is none of the sentinels", err)
		}
	})
}

func ExampleVerifyPickupQR() {
	key := []byte("a chain secret of at least 16 bytes")
	exp := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	payload, _ := wire.SignPickupQR(wire.PickupQR{Order: "po-7", Number: "W-1", Store: "s1", Expires: exp}, "k1", key)
	keys := func(kid string) ([]byte, bool) { return key, kid == "k1" }

	q, err := wire.VerifyPickupQR(payload, keys, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC))
	fmt.Println(q.Order, q.Store, err)
	_, err = wire.VerifyPickupQR(payload, keys, exp)
	fmt.Println(errors.Is(err, wire.ErrQRExpired))
	// Output:
	// po-7 s1 <nil>
	// true
}
