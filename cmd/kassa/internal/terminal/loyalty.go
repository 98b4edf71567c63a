package terminal

import (
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/loyalty"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

// LoyaltyOptions configure the loyalty programme at the till. The zero value is the demo programme
// (loyalty.DefaultRules, cards 2700000…); Off leaves it out, and loyalty cards are then unknown codes.
type LoyaltyOptions struct {
	Off          bool
	Rules        *loyalty.Rules // nil: loyalty.DefaultRules
	CardPrefixes []string       // nil: barcode.DefaultLoyaltyCardPrefix
}

// openLoyalty builds the loyalty service on the store's pulled customers and the chain's keys, online when
// the link to the hub is, and registers its cards and app codes with the classifier. It returns nil (no
// programme, not a typed nil) when the options turn it off.
func (t *Terminal) openLoyalty(o LoyaltyOptions, c *barcode.Classifier) (checkout.Loyalty, error) {
	if o.Off {
		return nil, nil
	}
	rules := loyalty.DefaultRules()
	if o.Rules != nil {
		rules = *o.Rules
	}
	svc, err := loyalty.New(loyalty.Config{
		Directory: t.Store, NotFound: store.ErrNotFound, Rules: rules, CardPrefixes: o.CardPrefixes,
		QRKeys: t.Keys.For(wire.QRPurposeLoyalty), PhoneKey: t.Keys.Phone,
		Online: func() bool { return t.Replayer != nil && t.Puller != nil && t.LinkStatus().Online },
	})
	if err != nil {
		return nil, err
	}
	c.Register(svc.Recognizer())
	t.Loyalty = svc
	return svc, nil
}
