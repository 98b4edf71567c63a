// Package wire holds the JSON types of Kassa's sync API (version 1): what a terminal posts to
// POST /v1/events and what the backend answers. It imports only the standard library so that any backend,
// and every side of Kassa, can share it. The OpenAPI description is sync/openapi.yaml.
package wire

import (
	"encoding/json"
	"time"
)

// Event types a terminal sends.
const (
	TypeSale       = "sale"
	TypeRefund     = "refund" // a возврат прихода receipt; its payload is a Sale with RefundOf
	TypeShiftOpen  = "shift_open"
	TypeShiftClose = "shift_close"
	// Loyalty points earned or spent with a sale; the payload is a Loyalty.
	TypeLoyaltyAccrual    = "loyalty_accrual"
	TypeLoyaltyRedemption = "loyalty_redemption"
	// A click&collect order handed out at the desk; the payload is a PickupHandover.
	TypePickupHandover = "pickup_handover"
)

// Event is one entry of a terminal's outbox. ID is a UUIDv7 chosen by the terminal and is the idempotency
// key: the backend stores an id once and acknowledges it every time it sees it. Seq is the terminal's
// outbox sequence (1, 2, 3 … without gaps) so the backend can tell a lost or restored terminal.
type Event struct {
	ID       string          `json:"id"`
	Seq      uint64          `json:"seq"`
	Type     string          `json:"type"`
	Terminal string          `json:"terminal"`
	At       time.Time       `json:"at"`
	Payload  json.RawMessage `json:"payload"`
}

// Batch is the body of POST /v1/events.
type Batch struct {
	Events []Event `json:"events"`
}

// Rejection says why the backend refused an event for good (it will never accept it as it is).
type Rejection struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// BatchResult is the answer to POST /v1/events: every id of the batch is either acknowledged or rejected.
// Gaps, informational, lists the seq discontinuities the backend noticed among the batch's new events.
type BatchResult struct {
	Acked    []string    `json:"acked"`
	Rejected []Rejection `json:"rejected,omitempty"`
	Gaps     []SeqGap    `json:"gaps,omitempty"`
}

// SeqGap is a new event whose seq does not follow the highest seq the backend had from the terminal: a
// jump forward (Received > Last+1: events lost, or still to come) or back (Received <= Last: the terminal's
// database was restored or replaced). Either deserves an operator's look; the event is stored all the same.
type SeqGap struct {
	Last     uint64 `json:"last"`
	Received uint64 `json:"received"`
}

// Error is the body of every 4xx/5xx answer.
type Error struct {
	Error string `json:"error"`
}

// Sale is the payload of a "sale" event: a fiscalised receipt. Money is in kopecks, quantities in
// thousandths.
type Sale struct {
	ID        string      `json:"id"`
	Terminal  string      `json:"terminal"`
	Cashier   string      `json:"cashier"`
	Shift     int         `json:"shift"`
	CreatedAt time.Time   `json:"created_at"`
	Lines     []SaleLine  `json:"lines"`
	Total     int64       `json:"total"`
	VAT       []VATAmount `json:"vat"`
	Payments  []Payment   `json:"payments"`
	Change    int64       `json:"change"`
	Fiscal    Fiscal      `json:"fiscal"`
	RefundOf  string      `json:"refund_of,omitempty"` // a refund's original sale id, when the till knew it
	// Buyer is the contact the electronic receipt went to (tag 1008), masked by the terminal so the hub
	// keeps no personal data (152-ФЗ): "+7 ••• •••-••-01", "a•••@example.ru", or "•••" for anything else.
	// Terminals before the masking sent the phone or e-mail in clear; events they queued still do.
	Buyer string `json:"buyer,omitempty"`
	// Offers are the loyalty customer's personal offers the sale applied (PersonalOffer.ID), with the
	// discount each gave: already inside the lines' discounts, for the CRM's accounting of its offers.
	Offers []SaleOffer `json:"offers,omitempty"`
}

// SaleOffer is a personal offer a sale applied.
type SaleOffer struct {
	ID       string `json:"id"`
	Discount int64  `json:"discount"` // kopecks; 0 for a points multiplier
}

// SaleLine is one fiscalised line (cancelled lines are not sent).
type SaleLine struct {
	ProductID string `json:"product_id"`
	Name      string `json:"name"`
	Barcode   string `json:"barcode,omitempty"`
	Price     int64  `json:"price"`
	Qty       int64  `json:"qty"`
	Unit      string `json:"unit"` // "pcs" or "kg"
	VAT       string `json:"vat"`  // rate code: "22", "20", "10", "0", "none", "22/122", "20/120", "10/110"
	Discount  int64  `json:"discount"`
	Sum       int64  `json:"sum"`
	Marking   string `json:"marking,omitempty"` // the unit's marking code (GS as \u001d)
}

// VATAmount is one row of the VAT breakdown.
type VATAmount struct {
	Rate string `json:"rate"`
	Base int64  `json:"base"`
	Tax  int64  `json:"tax"`
}

// Payment is one tender.
type Payment struct {
	Method   string `json:"method"` // "cash", "card" or "prepaid"
	Amount   int64  `json:"amount"`
	Approval string `json:"approval,omitempty"` // card: the bank's authorisation code or RRN
}

// Fiscal holds the ККТ's attributes of the receipt.
type Fiscal struct {
	FDNumber   uint32    `json:"fd"`
	FiscalSign uint32    `json:"fp"`
	FNSerial   string    `json:"fn"`
	At         time.Time `json:"at"`
	QR         string    `json:"qr"` // the ФНС receipt QR string t=…&s=…&fn=…&i=…&fp=…&n=1
}

// Shift is the payload of "shift_open" and "shift_close" events.
type Shift struct {
	Number   int       `json:"number"`
	Cashier  string    `json:"cashier"`
	OpenedAt time.Time `json:"opened_at"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
}
