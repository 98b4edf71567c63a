package wire

// Report answers GET /v1/admin/report: the omnichannel report of `kassahub report`, one row per store and
// day (the day in the report's time zone), ordered by store then day, and one total row per store over the
// whole period (Day empty). Days without any event have no row. Money is in kopecks.
type Report struct {
	Zone   string      `json:"zone"`           // IANA time zone of the days, "Europe/Moscow"
	From   string      `json:"from,omitempty"` // first day, YYYY-MM-DD; empty: from the first event
	To     string      `json:"to,omitempty"`   // last day, inclusive; empty: to the last event
	Rows   []ReportRow `json:"rows"`
	Totals []ReportRow `json:"totals"`
}

// ReportRow is one store's day. Every sale is in exactly one channel: pickup (named by a pickup_handover or
// pickup_handed_out event, or paid with the "prepaid" tender), else kiosk basket (named by a
// basket_redeemed event), else till. Ratios are 0..1 (conversion may exceed 1 when baskets made on earlier
// days, or on the web, are redeemed) and absent when their denominator is zero; pickup waits are whole
// seconds, absent without a reported wait.
type ReportRow struct {
	Store string `json:"store"`
	Day   string `json:"day,omitempty"` // YYYY-MM-DD; empty in a total row

	TillSales   int   `json:"till_sales"`
	TillSum     int64 `json:"till_sum"`
	PickupSales int   `json:"pickup_sales"`
	PickupSum   int64 `json:"pickup_sum"`
	BasketSales int   `json:"basket_sales"`
	BasketSum   int64 `json:"basket_sum"`
	Refunds     int   `json:"refunds"`
	RefundSum   int64 `json:"refund_sum"`

	KioskViews      int      `json:"kiosk_views"`
	ContinueOnline  int      `json:"continue_online"`
	BasketsCreated  int      `json:"baskets_created"`
	BasketsRedeemed int      `json:"baskets_redeemed"`
	Conversion      *float64 `json:"conversion,omitempty"` // BasketsRedeemed / BasketsCreated

	PickupsHandedOut int    `json:"pickups_handed_out"`
	PickupWaitMedian *int64 `json:"pickup_wait_median,omitempty"` // seconds from ready to handed out
	PickupWaitP90    *int64 `json:"pickup_wait_p90,omitempty"`

	LoyaltyRecognised int      `json:"loyalty_recognised"`
	LoyaltySales      int      `json:"loyalty_sales"` // sales (any channel) linked to a loyalty customer
	LoyaltySum        int64    `json:"loyalty_sum"`
	LoyaltyShare      *float64 `json:"loyalty_share,omitempty"` // LoyaltySales / all sales
}
