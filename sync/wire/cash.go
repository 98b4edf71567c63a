package wire

import "time"

// TypeCash is a cash operation at the drawer: money put in (внесение) or taken out (изъятие) outside a
// receipt. The payload is a Cash.
const TypeCash = "cash"

// Cash kinds.
const (
	CashIn  = "in"
	CashOut = "out"
)

// Cash is the payload of a "cash" event. The register has registered it (KKTDoc is the ККТ's document
// number, 0 when the firmware did not tell it), so the backend can reconcile the store's cash.
type Cash struct {
	ID       string    `json:"id"`              // the operation's id (UUIDv7), the same as the event's
	Store    string    `json:"store,omitempty"` // the store as the hub names it, when the terminal knows it
	Terminal string    `json:"terminal"`
	Shift    int       `json:"shift"`
	Kind     string    `json:"kind"`   // CashIn or CashOut
	Amount   int64     `json:"amount"` // kopecks, > 0
	Cashier  string    `json:"cashier"`
	At       time.Time `json:"at"`
	KKTDoc   uint32    `json:"kkt_doc,omitempty"`
}
