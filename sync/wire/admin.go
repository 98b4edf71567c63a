package wire

import "time"

// PickupRequest is the body of POST /v1/admin/pickup-orders: the web shop asks the backend to prepare a
// click&collect order at a store. Lines name a product by barcode or id; the backend fills in name, VAT
// and the store price unless Price gives the (online) price the customer paid. The pair (Store, Number)
// is the idempotency key: sending the same request again answers the same order.
type PickupRequest struct {
	Store     string       `json:"store"`
	Number    string       `json:"number"`             // the shop's order number, "W-10234"
	Phone     string       `json:"phone"`              // +7…; the backend keeps only the last 4 digits and a keyed hash
	Customer  string       `json:"customer,omitempty"` // full name; feeds carry it masked
	Items     []PickupItem `json:"items"`
	Prepaid   int64        `json:"prepaid"`             // kopecks paid online, at most the total
	ExpiresAt time.Time    `json:"expires_at,omitzero"` // default: the backend's pickup TTL after creation
}

// PickupItem is one line of a PickupRequest. Qty is in thousandths (1000 = one piece or one kilogram).
type PickupItem struct {
	Barcode   string `json:"barcode,omitempty"`
	ProductID string `json:"product_id,omitempty"`
	Qty       int64  `json:"qty"`
	Price     int64  `json:"price,omitempty"` // kopecks per unit; 0: the store's price
}

// PickupCreated answers POST /v1/admin/pickup-orders: the order as terminals will pull it and the signed
// QR payload (see PickupQR) the shop sends to the customer.
type PickupCreated struct {
	Order PickupOrder `json:"order"`
	QR    string      `json:"qr,omitempty"`
}

// PickupOrder.Status values.
const (
	PickupReady     = "ready"
	PickupCollected = "collected"
	PickupCancelled = "cancelled"
)
