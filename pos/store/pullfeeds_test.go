package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestCustomerFeed(t *testing.T) {
	anna := wire.Customer{ID: "c1", Cards: []string{"2770000000015", "2770000000022"}, PhoneHash: "aa11",
		Name: "Анна П.", Tier: "gold", Balance: 15000}
	tests := []struct {
		name    string
		pages   []wire.Page[wire.Customer]
		byCard  map[string]string
		byPhone map[string]string
		missing []string // cards or "phone:"+hash
		count   int
	}{
		{
			name:    "found by card and by phone",
			pages:   []wire.Page[wire.Customer]{{Items: []wire.Customer{anna}, Next: "1"}},
			byCard:  map[string]string{"2770000000015": "c1", "2770000000022": "c1"},
			byPhone: map[string]string{"aa11": "c1"},
			count:   1,
		},
		{
			name: "a card lost and the phone changed",
			pages: []wire.Page[wire.Customer]{
				{Items: []wire.Customer{anna}, Next: "1"},
				{Items: []wire.Customer{{ID: "c1", Cards: []string{"2770000000022"}, PhoneHash: "bb22", Name: "Анна П.", Balance: 500}}, Next: "2"},
			},
			byCard:  map[string]string{"2770000000022": "c1"},
			byPhone: map[string]string{"bb22": "c1"},
			missing: []string{"2770000000015", "phone:aa11"},
			count:   1,
		},
		{
			name: "a card passed on to another customer, then the first deleted",
			pages: []wire.Page[wire.Customer]{
				{Items: []wire.Customer{anna}, Next: "1"},
				{Items: []wire.Customer{{ID: "c2", Cards: []string{"2770000000015"}, Name: "Борис К."}}, Next: "2"},
				{Deleted: []string{"c1"}, Next: "3"},
			},
			byCard:  map[string]string{"2770000000015": "c2"},
			missing: []string{"2770000000022", "phone:aa11"},
			count:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openStore(t)
			applyAll(t, s.CustomerFeed(), tt.pages...)
			for card, id := range tt.byCard {
				if c, err := s.CustomerByCard(card); err != nil || c.ID != id {
					t.Errorf("card %s -> %q, %v; want %s", card, c.ID, err, id)
				}
			}
			for hash, id := range tt.byPhone {
				if c, err := s.CustomerByPhoneHash(hash); err != nil || c.ID != id {
					t.Errorf("phone %s -> %q, %v; want %s", hash, c.ID, err, id)
				}
			}
			for _, key := range tt.missing {
				var err error
				if len(key) > 6 && key[:6] == "phone:" {
					_, err = s.CustomerByPhoneHash(key[6:])
				} else {
					_, err = s.CustomerByCard(key)
				}
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s: %v, want not found", key, err)
				}
			}
			if n, err := s.CustomerCount(); err != nil || n != tt.count {
				t.Errorf("CustomerCount = %d, %v; want %d", n, err, tt.count)
			}
		})
	}
	s, _ := openStore(t)
	applyAll(t, s.CustomerFeed(), wire.Page[wire.Customer]{Items: []wire.Customer{anna}, Next: "1"})
	if c, err := s.CustomerByID("c1"); err != nil || c.Balance != 15000 || c.Tier != "gold" || len(c.Cards) != 2 {
		t.Errorf("CustomerByID = %+v, %v", c, err)
	}
}

func TestOfferFeed(t *testing.T) {
	s, _ := openStore(t)
	until := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	offer := wire.Offer{ProductID: "1001", OnlinePrice: 8490, OnlineDiscount: 500, StockHere: 12000, StockOnline: 340000,
		StockNearby: []wire.StoreStock{{Store: "s2", Name: "ТЦ Мега", Qty: 5000}}, URL: "https://shop.example/1001",
		ValidUntil: until}
	applyAll(t, s.OfferFeed(),
		wire.Page[wire.Offer]{Items: []wire.Offer{offer, {ProductID: "1002", OnlinePrice: 100}}, Next: "1"},
		wire.Page[wire.Offer]{Deleted: []string{"1002"}, Next: "2"})
	got, err := s.OfferByProduct("1001")
	if err != nil || got.OnlinePrice != 8490 || !got.ValidUntil.Equal(until) || len(got.StockNearby) != 1 {
		t.Errorf("OfferByProduct = %+v, %v", got, err)
	}
	if _, err := s.OfferByProduct("1002"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted offer: %v", err)
	}
	if n, err := s.OfferCount(); err != nil || n != 1 {
		t.Errorf("OfferCount = %d, %v", n, err)
	}
	if err := s.OfferFeed().Apply(t.Context(), "2", wire.Page[wire.Offer]{Items: []wire.Offer{{OnlinePrice: 1}}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("offer without product id: %v", err)
	}
}

func TestPickupFeed(t *testing.T) {
	s, _ := openStore(t)
	order := wire.PickupOrder{ID: "o-1", Number: "W-10234", Store: "s1", Customer: "Анна П.", PhoneLast4: "6789",
		Lines: []wire.PickupLine{{ProductID: "1001", Name: "Молоко", Price: 8990, Qty: 2000, VAT: "10"}},
		Total: 17980, Prepaid: 17980, Status: "ready"}
	renumbered := order
	renumbered.Number, renumbered.Status = "W-10235", "collected"
	applyAll(t, s.PickupFeed(),
		wire.Page[wire.PickupOrder]{Items: []wire.PickupOrder{order, {ID: "o-2", Number: "W-2", Status: "ready"}}, Next: "1"},
		wire.Page[wire.PickupOrder]{Items: []wire.PickupOrder{renumbered}, Deleted: []string{"o-9"}, Next: "2"})
	tests := []struct {
		by, key string
		wantID  string // "" means not found
	}{
		{"number", "W-10235", "o-1"},
		{"number", "W-10234", ""},
		{"id", "o-1", "o-1"},
		{"id", "o-9", ""},
		{"number", "W-2", "o-2"},
	}
	for _, tt := range tests {
		var (
			o   wire.PickupOrder
			err error
		)
		if tt.by == "id" {
			o, err = s.PickupOrderByID(tt.key)
		} else {
			o, err = s.PickupOrderByNumber(tt.key)
		}
		switch {
		case tt.wantID == "" && !errors.Is(err, store.ErrNotFound):
			t.Errorf("by %s %s: %+v, %v; want not found", tt.by, tt.key, o, err)
		case tt.wantID != "" && (err != nil || o.ID != tt.wantID):
			t.Errorf("by %s %s: %q, %v; want %s", tt.by, tt.key, o.ID, err, tt.wantID)
		}
	}
	ready, err := s.PickupOrders("ready")
	if err != nil || len(ready) != 1 || ready[0].ID != "o-2" {
		t.Errorf("ready orders %+v, %v", ready, err)
	}
	all, err := s.PickupOrders("")
	if err != nil || len(all) != 2 || all[0].Lines[0].Qty != 2000 {
		t.Errorf("all orders %+v, %v", all, err)
	}
	applyAll(t, s.PickupFeed(), wire.Page[wire.PickupOrder]{Deleted: []string{"o-1"}, Next: "3"})
	if _, err := s.PickupOrderByNumber("W-10235"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("number of a deleted order: %v", err)
	}
}
