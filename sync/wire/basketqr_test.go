package wire_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

var basketGood = wire.BasketQR{ID: "b-7Q2XK9", Store: "s1", Source: wire.BasketFromKiosk,
	Expires: qrNow.Add(24 * time.Hour),
	Items: []wire.BasketItem{
		{ProductID: "100001", Qty: 2000, Price: 5990},
		{ProductID: "100007", Qty: 1000, Price: 12990, Until: qrNow.Add(6 * time.Hour)},
	}}

func mustSignBasket(t testing.TB, b wire.BasketQR, kid string, key []byte) string {
	t.Helper()
	s, err := wire.SignBasketQR(b, kid, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// reBody replaces the body of a signed payload, keeping its key id and signature.
func reBody(signed, json string) string {
	p := strings.Split(signed, ".")
	return p[0] + "." + p[1] + "." + base64.RawURLEncoding.EncodeToString([]byte(json)) + "." + p[3]
}

// basketCases are payloads and what VerifyBasketQR says of them at qrNow; FuzzVerifyBasketQR starts from
// them. A foreign store's basket verifies: the till refuses it (pos/checkout).
func basketCases(t testing.TB) []struct {
	name, payload string
	want          error
} {
	good := mustSignBasket(t, basketGood, "k1", qrKeyA)
	expired := basketGood
	expired.Expires = qrNow
	foreign := basketGood
	foreign.Store = "s2"
	body, _ := base64.RawURLEncoding.DecodeString(strings.Split(good, ".")[2])
	tampered := strings.Replace(string(body), "5990", "599", 1)
	moreQty := strings.Replace(string(body), "2000", "9000", 1)
	return []struct {
		name, payload string
		want          error
	}{
		{"good", good, nil},
		{"second key", mustSignBasket(t, basketGood, "k2", qrKeyB), nil},
		{"foreign store verifies", mustSignBasket(t, foreign, "k1", qrKeyA), nil},
		{"expired", mustSignBasket(t, expired, "k1", qrKeyA), wire.ErrQRExpired},
		{"forged with another key", mustSignBasket(t, basketGood, "k1", qrKeyB), wire.ErrQRSignature},
		{"unknown key id", mustSignBasket(t, basketGood, "k9", qrKeyA), wire.ErrQRKey},
		{"tampered price", reBody(good, tampered), wire.ErrQRSignature},
		{"tampered qty", reBody(good, moreQty), wire.ErrQRSignature},
		{"pickup code", mustSign(t, qrGood, "k1", qrKeyA), wire.ErrQRFormat},
		{"mac truncated", good[:len(good)-3], wire.ErrQRFormat},
		{"not kb1", "4601234567893", wire.ErrQRFormat},
		{"empty", "", wire.ErrQRFormat},
	}
}

func TestVerifyBasketQR(t *testing.T) {
	for _, tc := range basketCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.VerifyBasketQR(tc.payload, qrKeys, qrNow)
			if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyBasketQR = %+v, %v; want %v", got, err, tc.want)
			}
			if err != nil || tc.name != "good" {
				return
			}
			want := basketGood
			want.Expires = want.Expires.UTC()
			want.Items[1].Until = want.Items[1].Until.UTC()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if got.Total() != 2*5990+12990 {
				t.Errorf("Total = %d", got.Total())
			}
		})
	}
}

// TestVerifyBasketQRRules signs bodies that break a rule with the right key: the signature holds, the
// content is refused all the same (a hub bug must not become a till's price).
func TestVerifyBasketQRRules(t *testing.T) {
	for _, body := range []string{
		`{"b":"x","s":"s1","exp":1900000000,"i":[]}`,
		`{"b":"","s":"s1","exp":1900000000,"i":[["1",1000,10,0]]}`,
		`{"b":"a b","s":"s1","exp":1900000000,"i":[["1",1000,10,0]]}`,
		`{"b":"x","s":"","exp":1900000000,"i":[["1",1000,10,0]]}`,
		`{"b":"x","s":"s1","exp":0,"i":[["1",1000,10,0]]}`,
		`{"b":"x","s":"s1","exp":1900000000,"i":[["1",0,10,0]]}`,
		`{"b":"x","s":"s1","exp":1900000000,"i":[["1",1000,-1,0]]}`,
		`{"b":"x","s":"s1","exp":1900000000,"i":[["1",1000,10,0],["1",1000,10,0]]}`,
		`{"b":"x","s":"s1","exp":1900000000,"i":[["1",1000,10]]}`,
		`{"b":"x","s":"s1","exp":1900000000,"i":[[1,1000,10,0]]}`,
		`{"b":"x","s":"s1","src":"fax","exp":1900000000,"i":[["1",1000,10,0]]}`,
	} {
		signed, err := wire.SignQR(wire.BasketQRPrefix, rawJSON(body), "k1", qrKeyA)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := wire.VerifyBasketQR(signed, qrKeys, qrNow); !errors.Is(err, wire.ErrQRFormat) {
			t.Errorf("%s: err = %v, want ErrQRFormat", body, err)
		}
	}
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func TestSignBasketQRRefuses(t *testing.T) {
	tooMany := basketGood
	tooMany.Items = nil
	for i := range wire.MaxBasketItems + 1 {
		tooMany.Items = append(tooMany.Items, wire.BasketItem{ProductID: fmt.Sprintf("p%d", i), Qty: 1000, Price: 1})
	}
	noExpiry := basketGood
	noExpiry.Expires = time.Time{}
	for name, b := range map[string]wire.BasketQR{"too many items": tooMany, "no expiry": noExpiry} {
		if _, err := wire.SignBasketQR(b, "k1", qrKeyA); !errors.Is(err, wire.ErrQRFormat) {
			t.Errorf("%s: err = %v, want ErrQRFormat", name, err)
		}
	}
	full := basketGood
	full.Items = nil
	for i := range wire.MaxBasketItems {
		full.Items = append(full.Items, wire.BasketItem{ProductID: fmt.Sprintf("1%05d", i), Qty: wire.MaxBasketQty,
			Price: wire.MaxBasketPrice, Until: qrNow.Add(time.Hour)})
	}
	if _, err := wire.SignBasketQR(full, "k1", qrKeyA); err != nil {
		t.Errorf("a full basket of the largest values does not fit a QR code: %v", err)
	}
}

func TestOfferPrice(t *testing.T) {
	for _, c := range []struct {
		offer       wire.Offer
		store, want int64
	}{
		{wire.Offer{OnlinePrice: 9000}, 10000, 9000},
		{wire.Offer{OnlinePrice: 9000, OnlineDiscount: 1000}, 10000, 8000},
		{wire.Offer{OnlinePrice: 11000}, 10000, 10000},
		{wire.Offer{OnlinePrice: 11000, OnlineDiscount: 2000}, 10000, 9000},
		{wire.Offer{}, 10000, 10000},
		{wire.Offer{OnlinePrice: 500, OnlineDiscount: 900}, 10000, 10000},
	} {
		if got := c.offer.OfferPrice(c.store); got != c.want {
			t.Errorf("%+v.OfferPrice(%d) = %d, want %d", c.offer, c.store, got, c.want)
		}
	}
}

func FuzzVerifyBasketQR(f *testing.F) {
	for _, tc := range basketCases(f) {
		f.Add(tc.payload)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := wire.VerifyBasketQR(s, qrKeys, qrNow)
		if err != nil {
			return
		}
		again, err := wire.SignBasketQR(b, strings.Split(s, ".")[1], map[string][]byte{"k1": qrKeyA, "k2": qrKeyB}[strings.Split(s, ".")[1]])
		if err != nil {
			t.Fatalf("a verified basket does not sign again: %v", err)
		}
		if _, err := wire.VerifyBasketQR(again, qrKeys, qrNow); err != nil {
			t.Fatalf("re-signed basket does not verify: %v", err)
		}
	})
}
