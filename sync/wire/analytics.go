package wire

import "time"

// TypeAnalytics is an omnichannel analytics event: what connects the channels, reported by the kiosk and
// the till and turned into the hub's report (`kassahub report`). It carries no customer data.
const TypeAnalytics = "analytics"

// Analytics kinds.
const (
	AnalyticsKioskView       = "kiosk_view"         // a product card shown at the kiosk
	AnalyticsBasketCreated   = "basket_created"     // a kiosk basket QR made (Basket = its id)
	AnalyticsBasketRedeemed  = "basket_redeemed"    // a basket QR scanned at the till (Sale = the sale it joined)
	AnalyticsContinueOnline  = "continue_online"    // a "continue online" QR shown
	AnalyticsPickupHandedOut = "pickup_handed_out"  // a pickup order handed over (Wait = since it was ready)
	AnalyticsLoyaltyKnown    = "loyalty_recognised" // a loyalty customer recognised at the till
)

// Analytics is the payload of an "analytics" event.
type Analytics struct {
	Kind    string        `json:"kind"`
	Store   string        `json:"store,omitempty"`
	At      time.Time     `json:"at"`
	Product string        `json:"product,omitempty"` // product id
	Basket  string        `json:"basket,omitempty"`  // basket id
	Sale    string        `json:"sale,omitempty"`    // sale id
	Order   string        `json:"order,omitempty"`   // pickup order id
	Via     string        `json:"via,omitempty"`     // how: "card", "phone", "app_qr", "qr", "number"
	Wait    time.Duration `json:"wait,omitempty"`    // nanoseconds
	Amount  int64         `json:"amount,omitempty"`  // kopecks, where a sale or basket is concerned
}
