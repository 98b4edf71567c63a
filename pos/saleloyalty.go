package pos

// SaleLoyalty is the loyalty side of a sale: who the customer was and the points it moved. Points are
// kopecks of discount. Redeemed points are already inside the receipt discount (spread over the lines), so
// the fiscal receipt shows what the customer paid; the store queues the accrual and the redemption for the
// backend in the same transaction as the sale's fiscalisation. Of a refund, Redeemed are the points the
// goods returned had earned, taken back, and Earned the points spent on them, given back.
type SaleLoyalty struct {
	Customer string // the customer's id in the chain's loyalty programme; "" without one
	Redeemed Money  // points out of the customer's balance: spent as a discount (a refund: taken back)
	Earned   Money  // points into the customer's balance: earned (a refund: given back)
}

// SaleOffer is a loyalty customer's personal offer a sale applied: its id in the CRM and the discount it
// gave, which is already inside the lines' discounts (0 for a points multiplier).
type SaleOffer struct {
	ID       string
	Discount Money
}
