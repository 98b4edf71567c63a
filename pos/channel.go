package pos

import "time"

// ChannelEventKind names what links the store's channels (kiosk, till, pickup, loyalty) for the
// omnichannel report. Their values are the sync API's analytics kinds.
type ChannelEventKind string

const (
	ChannelKioskView       ChannelEventKind = "kiosk_view"         // a product card shown at the kiosk
	ChannelBasketCreated   ChannelEventKind = "basket_created"     // a kiosk basket QR made
	ChannelBasketRedeemed  ChannelEventKind = "basket_redeemed"    // a basket QR scanned at the till
	ChannelContinueOnline  ChannelEventKind = "continue_online"    // a "continue online" QR shown
	ChannelPickupHandedOut ChannelEventKind = "pickup_handed_out"  // a pickup order handed over
	ChannelLoyaltyKnown    ChannelEventKind = "loyalty_recognised" // a loyalty customer recognised
)

// ChannelEvent is one analytics fact. It never holds customer data: ids of products, baskets, sales and
// orders, how a code arrived, a wait and an amount.
type ChannelEvent struct {
	Kind    ChannelEventKind
	At      time.Time
	Product string
	Basket  string
	Sale    string
	Order   string
	Via     string        // "card", "phone", "app_qr", "qr", "number"
	Wait    time.Duration // pickup: from ready to handed over
	Amount  Money
}
