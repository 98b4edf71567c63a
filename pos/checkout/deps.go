// Package checkout holds the till's use cases: open and close the shift, build the receipt from scans,
// take payment, fiscalise in the durability order of DESIGN.md, defer and recall receipts, and resolve
// every sale left pending by a crash before the till opens. It knows the store, the register and the
// barcode classifier only through the small interfaces below.
package checkout

import (
	"context"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

// Catalog finds products.
type Catalog interface {
	ProductByBarcode(code string) (pos.Product, error)
	ProductByPLU(plu string) (pos.Product, error)
	SearchProducts(query string, limit int) ([]pos.Product, error)
}

// Journal is the durable sales journal; CompleteSale writes the sale's outbox event in the same
// transaction.
type Journal interface {
	BeginSale(s pos.Sale) error
	CompleteSale(id string, f pos.FiscalResult) (pos.Sale, error)
	CancelSale(id, note string) error
	PendingSales() ([]pos.Sale, error)
}

// Shifts records shifts (with their outbox events).
type Shifts interface {
	OpenShift(sh pos.Shift) error
	CloseShift(number int, at time.Time) error
	CurrentShift() (pos.Shift, bool, error)
}

// Deferred keeps receipts put aside.
type Deferred interface {
	SaveDeferred(d pos.DeferredReceipt) error
	DeferredReceipts() ([]pos.DeferredReceipt, error)
	TakeDeferred(id string) (pos.DeferredReceipt, error)
}

// Store is everything the till keeps locally; pos/store implements it.
type Store interface {
	Catalog
	Journal
	RefundJournal
	Shifts
	Deferred
}

// ShiftRegister opens and closes the fiscal shift.
type ShiftRegister interface {
	OpenShift(ctx context.Context, cashier string) error
	CloseShift(ctx context.Context) error
}

// ReceiptRegister fiscalises receipts.
type ReceiptRegister interface {
	Fiscalise(ctx context.Context, s pos.Sale) (pos.FiscalResult, error)
	CancelReceipt(ctx context.Context) error
}

// Auditor answers what the register holds, which is how a pending sale is resolved.
type Auditor interface {
	State(ctx context.Context) (pos.RegisterState, error)
	FindDocument(ctx context.Context, fd uint32) (pos.FiscalDocument, error)
}

// Register is the fiscal register as the till uses it; pos/fiscal adapts the Shtrih-M driver to it.
type Register interface {
	ShiftRegister
	ReceiptRegister
	Auditor
}

// Step names a point of the durability order, reported to Config.Step (crash tests stop the process there).
type Step string

const (
	StepPending    Step = "pending"    // the sale is journalled as pending, the register not touched yet
	StepFiscalised Step = "fiscalised" // the register's answer and the outbox event are committed
)

// Config wires a till.
type Config struct {
	Store      Store
	Register   Register
	Classifier Classifier
	Terminal   string
	Now        func() time.Time // defaults to time.Now
	NewID      func() string    // the sale id generator (UUIDv7 in production)
	Notify     func()           // called after an outbox event was written (wakes the replayer)
	Step       func(Step)       // test hook
	// StoreID is the store the till belongs to, as the hub names it: basket QR codes of another are refused.
	StoreID string
	Baskets BasketOpener    // verifies basket QR codes offline; nil: the till refuses them
	Channel ChannelRecorder // queues analytics events (baskets redeemed, loyalty customers); nil: none
	Loyalty Loyalty         // the loyalty programme (loyalty.go); nil: none
}

// Classifier turns scanned text into a code; *barcode.Classifier implements it.
type Classifier interface {
	Classify(text string) (barcode.Code, error)
}
