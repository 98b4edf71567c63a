package loyalty_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/loyalty"
	"github.com/kassa-pos/kassa/sync/wire"
)

var (
	errNotFound = errors.New("not found")
	now         = time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC)
	appKey      = []byte("0123456789abcdef0123456789abcdef")
	phoneKey    = []byte("fedcba9876543210fedcba9876543210")
)

// directory is an in-memory customers feed with this terminal's unconfirmed points.
type directory struct {
	customers []wire.Customer
	spent     map[string]pos.Money
	credited  map[string]pos.Money
}

func (d *directory) find(match func(wire.Customer) bool) (wire.Customer, error) {
	for _, c := range d.customers {
		if match(c) {
			return c, nil
		}
	}
	return wire.Customer{}, fmt.Errorf("customer: %w", errNotFound)
}

func (d *directory) CustomerByCard(card string) (wire.Customer, error) {
	return d.find(func(c wire.Customer) bool {
		for _, k := range c.Cards {
			if k == card {
				return true
			}
		}
		return false
	})
}

func (d *directory) CustomerByPhoneHash(h string) (wire.Customer, error) {
	return d.find(func(c wire.Customer) bool { return c.PhoneHash == h })
}

func (d *directory) CustomerByID(id string) (wire.Customer, error) {
	return d.find(func(c wire.Customer) bool { return c.ID == id })
}

func (d *directory) HasCustomers() (bool, error) { return len(d.customers) > 0, nil }

func (d *directory) UnsettledLoyalty(id string) (pos.Money, pos.Money, error) {
	return d.spent[id], d.credited[id], nil
}

func hash(phone string) string {
	h, err := wire.PhoneHash(phoneKey, phone)
	if err != nil {
		panic(err)
	}
	return h
}

func demoDirectory() *directory {
	return &directory{
		customers: []wire.Customer{
			{ID: "c1", Cards: []string{"2700000000014"}, PhoneHash: hash("+79000000001"), Name: "Анна П.", Tier: "gold",
				Balance: 123450, Offers: []string{"−15 % на кофе"}, PersonalOffers: []wire.PersonalOffer{
					{ID: "milk", Text: "−10 % на молоко", Kind: wire.OfferPercent, Value: 1000, Product: "100002"},
					{ID: "broken", Text: "из будущего", Kind: "cashback", Value: 5}}},
			{ID: "c2", Cards: []string{"2700000000021"}, PhoneHash: hash("+79000000002"), Name: "Олег С.", Balance: 500},
		},
		spent:    map[string]pos.Money{"c1": 20000},
		credited: map[string]pos.Money{"c1": 1234},
	}
}

func newService(t testing.TB, d loyalty.Directory) *loyalty.Service {
	t.Helper()
	s, err := loyalty.New(loyalty.Config{
		Directory: d, NotFound: errNotFound, Rules: loyalty.DefaultRules(), PhoneKey: phoneKey,
		QRKeys: func(kid string) ([]byte, bool) { return appKey, kid == "app1" },
		Now:    func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func appCode(t testing.TB, customer string, issued time.Time, kid string, key []byte) string {
	t.Helper()
	s, err := wire.SignLoyaltyQR(wire.LoyaltyQR{Customer: customer, Issued: issued, Expires: issued.Add(wire.LoyaltyQRLifetime)}, kid, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type identifyCase struct {
	name string
	text string
	id   string // the customer recognised
	via  loyalty.Via
	err  error
}

func identifyCases(t testing.TB) []identifyCase {
	fresh := appCode(t, "c1", now.Add(-time.Minute), "app1", appKey)
	return []identifyCase{
		{"card", "2700000000014", "c1", loyalty.ViaCard, nil},
		{"card with spaces around", " 2700000000021\r\n", "c2", loyalty.ViaCard, nil},
		{"card misread", "2700000000015", "", "", loyalty.ErrBadCard},
		{"card not in the CRM", "2700000000038", "", "", loyalty.ErrUnknownCard},
		{"phone as dictated", "8 (900) 000-00-01", "c1", loyalty.ViaPhone, nil},
		{"phone, ten digits", "9000000002", "c2", loyalty.ViaPhone, nil},
		{"phone nobody has", "+7 900 000-00-09", "", "", loyalty.ErrUnknownPhone},
		{"neither", "молоко", "", "", loyalty.ErrBadPhone},
		{"product barcode", "4607001771401", "", "", loyalty.ErrBadPhone},
		{"app code", fresh, "c1", loyalty.ViaAppQR, nil},
		{"app code expired", appCode(t, "c1", now.Add(-6*time.Minute), "app1", appKey), "", "", loyalty.ErrQRExpired},
		{"app code forged", appCode(t, "c2", now, "app1", []byte("a key that is not the chain's!!!")), "", "", loyalty.ErrQRForged},
		{"app code of a foreign key", appCode(t, "c1", now, "other", appKey), "", "", loyalty.ErrQRKey},
		{"app code cut short", fresh[:len(fresh)-10], "", "", loyalty.ErrQRMalformed},
		{"app code of a customer not pulled", appCode(t, "c9", now, "app1", appKey), "", "", loyalty.ErrUnknownCustomer},
	}
}

func TestIdentify(t *testing.T) {
	s := newService(t, demoDirectory())
	for _, tc := range identifyCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			c, err := s.Identify(tc.text)
			if !errors.Is(err, tc.err) {
				t.Fatalf("Identify(%q) = %+v, %v; want %v", tc.text, c, err, tc.err)
			}
			if c.ID != tc.id || c.Via != tc.via {
				t.Errorf("Identify(%q) = %s via %s, want %s via %s", tc.text, c.ID, c.Via, tc.id, tc.via)
			}
		})
	}
}

func TestIdentifiedCustomer(t *testing.T) {
	s := newService(t, demoDirectory())
	c, err := s.Identify("+7 900 000 00 01")
	if err != nil {
		t.Fatal(err)
	}
	// The hub said 1 234,50; this terminal spent 200,00 since, which the hub has not counted yet.
	if c.Balance != 123450 || c.Unsettled != 20000 || c.Pending != 1234 || c.Available() != 103450 {
		t.Errorf("points: %+v", c)
	}
	if c.Phone != "+79000000001" || c.MaskedPhone() != "+7 ••• •••-••-01" || c.Card != "" || c.Tier != "gold" {
		t.Errorf("recognised as %+v", c)
	}
	if len(c.Offers) != 1 || c.DisplayName() != "Анна П." {
		t.Errorf("shown as %q with offers %q", c.DisplayName(), c.Offers)
	}
	byCard, _ := s.Identify("2700000000014")
	if byCard.MaskedCard() != "•••• 0014" || byCard.Phone != "" {
		t.Errorf("by card: %+v", byCard)
	}
	again, err := s.Refresh(byCard)
	if err != nil || again.Card != byCard.Card || again.Via != loyalty.ViaCard {
		t.Errorf("Refresh = %+v, %v", again, err)
	}
}

func TestIdentifyBeforeThePull(t *testing.T) {
	s := newService(t, &directory{})
	for _, text := range []string{"2700000000014", "+79000000001", appCode(t, "c1", now, "app1", appKey)} {
		if _, err := s.Identify(text); !errors.Is(err, loyalty.ErrNoCustomers) {
			t.Errorf("Identify(%.20q) = %v, want ErrNoCustomers", text, err)
		}
	}
}

func TestOffline(t *testing.T) {
	online := false
	s, err := loyalty.New(loyalty.Config{Directory: demoDirectory(), NotFound: errNotFound, Online: func() bool { return online }})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Offline() {
		t.Error("online with the hub out of reach")
	}
	online = true
	if s.Offline() {
		t.Error("offline with the hub in reach")
	}
	if _, err := s.Identify("+79000000001"); !errors.Is(err, loyalty.ErrUnknownPhone) {
		t.Errorf("a phone without the phone key: %v", err)
	}
	if _, err := s.Identify(appCode(t, "c1", now, "app1", appKey)); !errors.Is(err, loyalty.ErrQRKey) {
		t.Errorf("an app code without keys: %v", err)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, cfg := range []loyalty.Config{
		{},
		{Directory: demoDirectory()},
		{Directory: demoDirectory(), NotFound: errNotFound, Rules: loyalty.Rules{RedeemShare: -1}},
		{Directory: demoDirectory(), NotFound: errNotFound, CardPrefixes: []string{"27x"}},
	} {
		if _, err := loyalty.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// The barcode package repeats the app code's prefix; it must stay the wire's.
func TestQRPrefixInStep(t *testing.T) {
	if barcode.LoyaltyQRPrefix != wire.LoyaltyQRPrefix {
		t.Fatalf("barcode %q, wire %q", barcode.LoyaltyQRPrefix, wire.LoyaltyQRPrefix)
	}
}

func ExampleService_Identify() {
	d := &directory{customers: []wire.Customer{{ID: "c1", Cards: []string{"2700000000014"}, Name: "Анна П.",
		Tier: "gold", Balance: 123450}}}
	s, _ := loyalty.New(loyalty.Config{Directory: d, NotFound: errNotFound, Rules: loyalty.DefaultRules()})
	c, _ := s.Identify("2700000000014")
	fmt.Println(c.DisplayName(), c.MaskedCard(), c.Available())
	_, err := s.Identify("2700000000038")
	fmt.Println(err)
	// Output:
	// Анна П. •••• 0014 1 234,50
	// loyalty card not known
}

func FuzzIdentify(f *testing.F) {
	for _, tc := range identifyCases(f) {
		f.Add(tc.text)
	}
	s := newService(f, demoDirectory())
	known := []error{loyalty.ErrBadCard, loyalty.ErrUnknownCard, loyalty.ErrUnknownPhone, loyalty.ErrBadPhone,
		loyalty.ErrUnknownCustomer, loyalty.ErrQRForged, loyalty.ErrQRExpired, loyalty.ErrQRKey, loyalty.ErrQRMalformed}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := s.Identify(text)
		if err == nil {
			if !c.Known() || c.Via == "" {
				t.Errorf("%q: recognised %+v", text, c)
			}
			return
		}
		for _, k := range known {
			if errors.Is(err, k) {
				return
			}
		}
		t.Errorf("%q: unclassified error %v", text, err)
	})
}
