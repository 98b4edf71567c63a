package wire_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

var offerCases = []struct {
	name, in string
	want     []wire.PersonalOffer
	err      string
}{
	{"empty", "  ", nil, ""},
	{"percent on a group", "o-milk -10% group=1000: −10 % на молоко",
		[]wire.PersonalOffer{{ID: "o-milk", Text: "−10 % на молоко", Kind: wire.OfferPercent, Value: 1000, Group: "1000"}}, ""},
	{"fixed on a product with dates", "o2 -15,50 product=100002 from=2026-11-01 to=2026-11-30:",
		[]wire.PersonalOffer{{ID: "o2", Text: "−15,5 ₽ за единицу на товар 100002", Kind: wire.OfferFixed, Value: 1550,
			Product: "100002", From: time.Date(2026, 10, 31, 21, 0, 0, 0, time.UTC),
			Until: time.Date(2026, 11, 30, 21, 0, 0, 0, time.UTC)}}, ""},
	{"points on the receipt with a minimum", "o3 x2 receipt min=1000: двойные баллы | o4 -7.5% receipt: скидка",
		[]wire.PersonalOffer{
			{ID: "o3", Text: "двойные баллы", Kind: wire.OfferPoints, Value: 200, MinTotal: 100000},
			{ID: "o4", Text: "скидка", Kind: wire.OfferPercent, Value: 750}}, ""},
	{"rfc3339 bound", "o5 x1.5 receipt to=2026-12-01T10:00:00Z: к",
		[]wire.PersonalOffer{{ID: "o5", Text: "к", Kind: wire.OfferPoints, Value: 150,
			Until: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}}, ""},
	{"too short", "o1 -10%", nil, "want ID KIND TARGET"},
	{"bad kind", "o1 10% receipt: т", nil, "kind"},
	{"percent over 100", "o1 -101% receipt: т", nil, "percent"},
	{"three decimals", "o1 -1.005 receipt: т", nil, "two decimals"},
	{"multiplier one", "o1 x1 receipt: т", nil, "multiplier"},
	{"bad target", "o1 -10% shelf=3: т", nil, "target"},
	{"bad option", "o1 -10% receipt max=3: т", nil, "option"},
	{"bad date", "o1 -10% receipt to=31.12.2026: т", nil, "to"},
	{"inverted dates", "o1 -10% receipt from=2026-12-02 to=2026-12-01: т", nil, "validity"},
	{"bad id", "о1 -10% receipt: т", nil, "id"},
	{"twice", "o1 -10% receipt: а | o1 -5% receipt: б", nil, "twice"},
	{"empty item", "o1 -10% receipt: а | ", nil, "offer 2"},
	{"control text", "o1 -10% receipt: а\x07", nil, "text"},
}

func TestParsePersonalOffers(t *testing.T) {
	for _, tc := range offerCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.ParsePersonalOffers(tc.in)
			if tc.err != "" {
				if !errors.Is(err, wire.ErrPersonalOffer) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want ErrPersonalOffer about %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
			back, err := wire.ParsePersonalOffers(wire.FormatPersonalOffers(got))
			if err != nil || !reflect.DeepEqual(back, got) {
				t.Fatalf("formatted %q reads back as %+v, %v", wire.FormatPersonalOffers(got), back, err)
			}
		})
	}
}

func TestPersonalOfferValidAt(t *testing.T) {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	o := wire.PersonalOffer{From: from, Until: from.Add(time.Hour)}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{{from.Add(-time.Second), false}, {from, true}, {from.Add(59 * time.Minute), true}, {from.Add(time.Hour), false}} {
		if got := o.ValidAt(tc.at); got != tc.want {
			t.Errorf("ValidAt(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

// TestCustomerFeedCompat: a feed item of before personal offers still reads, and one with them keeps the
// old strings beside the new field.
func TestCustomerFeedCompat(t *testing.T) {
	var old wire.Customer
	if err := json.Unmarshal([]byte(`{"id":"c1","name":"А.","balance":5,"offers":["−5 % на хлеб"]}`), &old); err != nil {
		t.Fatal(err)
	}
	if len(old.Offers) != 1 || old.PersonalOffers != nil {
		t.Fatalf("old item: %+v", old)
	}
	c := wire.Customer{ID: "c1", Offers: []string{"x"}, PersonalOffers: []wire.PersonalOffer{{ID: "o1", Kind: wire.OfferPercent, Value: 500, Text: "т"}}}
	data, _ := json.Marshal(c)
	if !strings.Contains(string(data), `"offers":["x"]`) || !strings.Contains(string(data), `"personal_offers":[{"id":"o1"`) {
		t.Fatalf("encoded %s", data)
	}
}

// FuzzParsePersonalOffers: whatever a CRM writes in the column, the parser errs or gives offers that pass
// Check and read back the same after formatting.
func FuzzParsePersonalOffers(f *testing.F) {
	for _, tc := range offerCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := wire.ParsePersonalOffers(s)
		if err != nil {
			if !errors.Is(err, wire.ErrPersonalOffer) {
				t.Fatalf("error %v does not wrap ErrPersonalOffer", err)
			}
			return
		}
		for _, o := range got {
			if err := o.Check(); err != nil {
				t.Fatalf("parsed offer fails Check: %v", err)
			}
		}
		back, err := wire.ParsePersonalOffers(wire.FormatPersonalOffers(got))
		if err != nil || len(back) != len(got) {
			t.Fatalf("formatted %q: %v", wire.FormatPersonalOffers(got), err)
		}
		for i := range got {
			if back[i].ID != got[i].ID || back[i].Value != got[i].Value || !back[i].Until.Equal(got[i].Until) ||
				!back[i].From.Equal(got[i].From) || back[i].MinTotal != got[i].MinTotal {
				t.Fatalf("round trip: %+v became %+v", got[i], back[i])
			}
		}
	})
}
