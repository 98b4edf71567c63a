package loyalty_test

import (
	"reflect"
	"testing"

	"github.com/kassa-pos/kassa/pos/offers"
)

// TestPersonalOffers: the feed's structured offers reach the till's customer, an offer the till cannot
// check is left out, and the old free texts stay beside them.
func TestPersonalOffers(t *testing.T) {
	s := newService(t, demoDirectory())
	c, err := s.Identify("2700000000014")
	if err != nil {
		t.Fatal(err)
	}
	want := []offers.Offer{{ID: "milk", Text: "−10 % на молоко", Kind: offers.Percent, Value: 1000, Product: "100002"}}
	if !reflect.DeepEqual(c.Personal, want) {
		t.Errorf("personal offers %+v, want %+v", c.Personal, want)
	}
	if !reflect.DeepEqual(c.Offers, []string{"−15 % на кофе"}) {
		t.Errorf("the old feed's free texts %q", c.Offers)
	}
	other, err := s.Identify("2700000000021")
	if err != nil || other.Personal != nil || other.Offers != nil {
		t.Errorf("a customer without offers: %+v, %v", other, err)
	}
}
