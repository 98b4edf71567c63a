package loyalty

import (
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/offers"
	"github.com/kassa-pos/kassa/sync/wire"
)

// personalOffers converts the customers feed's structured offers for the till. An offer the feed carries
// but that fails its checks (a newer hub's kind, a broken export) is left out rather than guessed at: the
// customer keeps the others.
func personalOffers(list []wire.PersonalOffer) []offers.Offer {
	var out []offers.Offer
	for _, o := range list {
		if o.Check() != nil {
			continue
		}
		out = append(out, offers.Offer{ID: o.ID, Text: o.Text, Kind: offers.Kind(o.Kind), Value: o.Value,
			Product: o.Product, Group: o.Group, MinTotal: pos.Money(o.MinTotal), From: o.From, Until: o.Until})
	}
	return out
}
