package pos

import "time"

// PayOnline pays back, on a возврат прихода receipt, money the customer paid online before: the prepayment
// of a click&collect order for goods the store did not hand over (a refused item). The backend returns it
// to the customer's online payment. The register records it as безналичными (tag 1081), and every position
// of such a receipt as the return of a prepayment: 1214 = 1 (предоплата 100 %) for a position returned at
// its full price, 1214 = 2 (предоплата) for a part of one. Such a receipt carries no other tender and no
// marking code: the goods never changed hands.
const PayOnline PaymentMethod = "online"

// PickupHandover is this terminal's record of handing a click&collect order over: the plan of its
// receipts, written before the register is touched, so that a crash can never let the order be handed
// over twice and the hand-over can be finished after one. Done is set, together with the hand-over's
// outbox event, once every receipt of the plan is fiscalised.
type PickupHandover struct {
	Order   string    // the order's id
	Number  string    // what the customer says ("W-24001")
	Staff   string    // who handed it over
	Via     string    // how the order was found: "qr" or "number"
	ReadyAt time.Time // when the order was ready (the wait the analytics report)
	At      time.Time // when the hand-over began
	// Sale is the settlement receipt (приход, 1214 = 4) of the goods handed over, paid by the offset of the
	// prepayment (PayPrepaid) and the rest in cash or by card.
	Sale      string
	SaleLines []Line
	Payments  []Payment
	// Refund is the return of the prepayment for the goods refused (PayOnline); "" when nothing is due back.
	Refund      string
	RefundLines []Line
	Refused     []PickupRefusal // what the customer refused and why, for the slip and the backend
	Done        bool
	DoneAt      time.Time
}

// PickupRefusal is a part of an order line the customer did not take.
type PickupRefusal struct {
	ProductID string
	Name      string
	Qty       Qty
	Reason    string
}

// Amount is the value of the goods handed over.
func (h PickupHandover) Amount() Money {
	var m Money
	for _, l := range h.SaleLines {
		m += l.Sum
	}
	return m
}
