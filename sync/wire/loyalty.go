package wire

// Loyalty is the payload of "loyalty_accrual" and "loyalty_redemption" events: points a customer earned or
// spent with a sale. Points are always positive; the event type says which way they go. A customer's
// balance at the backend is the balance of the last customer import plus accruals minus redemptions since,
// so an accrual replayed twice (same event id) still counts once.
type Loyalty struct {
	Customer string `json:"customer"`       // Customer.ID
	Points   int64  `json:"points"`         // kopecks of discount they are worth, > 0
	Sale     string `json:"sale,omitempty"` // the sale (Sale.ID) that earned or spent them
}

// PickupHandover is the payload of a "pickup_handover" event: a click&collect order handed to the
// customer. The backend marks the order collected; a second hand-over of the same order from another
// terminal is stored and reported as a conflict.
type PickupHandover struct {
	Order string `json:"order"`          // PickupOrder.ID
	Sale  string `json:"sale,omitempty"` // the sale that settled the rest of the payment, if any
	// Refund is the refund receipt (payment method "online") returning the prepayment of goods the
	// customer refused at the desk: the backend pays it back to the customer's online payment.
	Refund string `json:"refund,omitempty"`
}
