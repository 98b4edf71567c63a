// Package pickup is the click&collect desk: the orders of this store ready for pickup and overdue (pulled
// ahead of time, so the desk works offline), finding an order by the customer's signed pickup QR (checked
// offline) or by its number and the last four digits of the phone, verifying the goods by scanning each
// (the DataMatrix of marked goods), partial hand-over when the customer refuses something, and the fiscal
// settlement through the till's use cases: the goods handed over settled by the prepayment's offset and
// the rest paid at the desk, the prepayment of refused goods returned. A hand-over is planned in the
// store's ledger before the register is touched and finished with its outbox event, so an order is never
// handed over twice from this terminal, and a crash half-way is finished, not repeated.
package pickup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/sync/wire"
)

// Refusals the desk gives; the UI says each in plain Russian. Wrap them with %w to add the details.
var (
	// ErrQRInvalid: the text starts like a pickup QR but is not one (damaged, cut, mistyped).
	ErrQRInvalid = errors.New("pickup qr: unreadable")
	// ErrQRForged: the QR's signature does not check out under the chain's key (or names a key unknown
	// here): it was not made by the backend.
	ErrQRForged = errors.New("pickup qr: forged")
	// ErrQRExpired: a genuine QR past its expiry; the order may still be found by number and phone.
	ErrQRExpired = errors.New("pickup qr: expired")
	// ErrForeignStore: the order is to be collected at another store.
	ErrForeignStore = errors.New("pickup order of another store")
	// ErrAlreadyCollected: the order was handed over, here (the ledger) or elsewhere (the feed).
	ErrAlreadyCollected = errors.New("pickup order already collected")
	// ErrOrderCancelled: the web shop cancelled the order.
	ErrOrderCancelled = errors.New("pickup order cancelled")
	// ErrNotReady: the order is not ready for pickup (only ready orders are handed over).
	ErrNotReady = errors.New("pickup order not ready")
	// ErrOrderNotFound: no pulled order has this id or number (not pulled yet, or mistyped).
	ErrOrderNotFound = errors.New("pickup order not found")
	// ErrNeedPhone: an order number was typed without the last four digits of the customer's phone.
	ErrNeedPhone = errors.New("order number needs the last 4 digits of the phone")
	// ErrWrongPhone: the four digits are not the end of the customer's phone.
	ErrWrongPhone = errors.New("phone digits do not match the order")
	// ErrTooManyAttempts: too many wrong phone digits for this order; wait or scan the customer's QR.
	ErrTooManyAttempts = errors.New("too many wrong phone digits")
	// ErrNotInOrder: the scanned product is not in the order (a *NotInOrder names it).
	ErrNotInOrder = errors.New("product not in the order")
	// ErrLineComplete: every piece of this line is scanned already.
	ErrLineComplete = errors.New("line already complete")
	// ErrNotVerified: a line is neither scanned in full nor refused (a *NotVerified names it).
	ErrNotVerified = errors.New("order not verified")
	// ErrNothingToHandOver: the customer refused everything; the web shop cancels the order.
	ErrNothingToHandOver = errors.New("nothing to hand over")
	// ErrAbandoned: an unfinished hand-over's settlement was never fiscalised; the order is ready again.
	ErrAbandoned = errors.New("unfinished hand-over dropped")
)

// NotInOrder is ErrNotInOrder for a product the desk knows.
type NotInOrder struct{ Name string }

func (e *NotInOrder) Error() string { return "product not in the order: " + e.Name }
func (e *NotInOrder) Unwrap() error { return ErrNotInOrder }

// NotVerified is ErrNotVerified naming the first line left.
type NotVerified struct {
	Name          string
	Scanned, Want pos.Qty
}

func (e *NotVerified) Error() string { return "order not verified: " + e.Name }
func (e *NotVerified) Unwrap() error { return ErrNotVerified }

// Collected is ErrAlreadyCollected with what is known of the hand-over: here (when and by whom, from the
// ledger) or elsewhere (the feed says so).
type Collected struct {
	Number string
	Here   bool
	At     time.Time
	Staff  string
}

func (e *Collected) Error() string {
	if e.Here {
		return fmt.Sprintf("pickup order already collected: %s here at %s by %s", e.Number, e.At.Format("02.01.2006 15:04"), e.Staff)
	}
	return "pickup order already collected: " + e.Number
}

func (e *Collected) Unwrap() error { return ErrAlreadyCollected }

// Orders are the pulled pickup orders; pos/store implements it.
type Orders interface {
	FindPickupOrderByID(id string) (wire.PickupOrder, bool, error)
	FindPickupOrderByNumber(number string) (wire.PickupOrder, bool, error)
	PickupOrders(status string) ([]wire.PickupOrder, error)
}

// Ledger keeps this terminal's hand-overs (pos.PickupHandover); pos/store implements it.
type Ledger interface {
	PickupHandover(order string) (pos.PickupHandover, bool, error)
	PickupHandovers() ([]pos.PickupHandover, error)
	BeginPickupHandover(h pos.PickupHandover) (pos.PickupHandover, bool, error)
	ReplacePickupHandover(h pos.PickupHandover) error
	DropPickupHandover(order string) error
	FinishPickupHandover(order string, at time.Time) (pos.PickupHandover, error)
}

// Journal reads the sales journal: where a hand-over's receipts stand.
type Journal interface {
	LookupSale(id string) (pos.Sale, bool, error)
}

// Catalog finds the products of the order's lines and of the scans.
type Catalog interface {
	ProductByID(id string) (pos.Product, error)
	ProductByBarcode(code string) (pos.Product, error)
	ProductByPLU(plu string) (pos.Product, error)
}

// Store is everything the desk keeps locally; pos/store implements it.
type Store interface {
	Orders
	Ledger
	Journal
	Catalog
}

// Till makes the hand-over's receipts in the durability order; *checkout.Till implements it.
type Till interface {
	SettlePickup(ctx context.Context, id string, lines []pos.Line, payments []pos.Payment) (pos.Sale, error)
	RefundPrepayment(ctx context.Context, id string, lines []pos.Line) (pos.Sale, error)
	ResolvePending(ctx context.Context) (pos.Sale, error)
	Shift() (pos.Shift, bool)
	OpenShift(ctx context.Context, cashier string) error
}

// Classifier turns a scan into a code; *barcode.Classifier implements it.
type Classifier interface {
	Classify(text string) (barcode.Code, error)
}

// ChannelRecorder queues the omnichannel analytics event of a hand-over; *store.Store implements it.
type ChannelRecorder interface {
	RecordChannelEvent(e pos.ChannelEvent) error
}

// Defaults of Config.
const (
	DefaultOverdueAfter = 3 * 24 * time.Hour
	maxPhoneAttempts    = 5
	phoneLockout        = 15 * time.Minute
)

// Config wires a desk.
type Config struct {
	Store      Store
	Till       Till
	Classifier Classifier
	// Keys finds the chain's QR key by its id (the pickup QR's signature is checked offline).
	Keys func(kid string) ([]byte, bool)
	// StoreID is this terminal's store as the backend names it: orders and QR codes of another are refused.
	StoreID string
	// Staff is who hands orders over: the receipts' cashier and the slip's name.
	Staff string
	// OverdueAfter: an order ready longer than this is overdue even before it expires.
	OverdueAfter time.Duration
	// Wedge repairs what a keyboard-wedge scanner typed (GS substitute, Russian layout) before a scan is read.
	Wedge   barcode.WedgeRepair
	Channel ChannelRecorder // nil: no analytics
	Now     func() time.Time
	NewID   func() string // receipt ids (UUIDv7 in production)
}

// Desk is the pickup desk's use cases. Its methods are called from one goroutine at a time (the UI
// serialises them); HandOver and Recover block on the register and take a context.
type Desk struct {
	cfg      Config
	attempts map[string]attempt // wrong phone digits by order id
}

type attempt struct {
	n     int
	since time.Time
}

// New returns a desk.
func New(cfg Config) *Desk {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.OverdueAfter <= 0 {
		cfg.OverdueAfter = DefaultOverdueAfter
	}
	return &Desk{cfg: cfg, attempts: map[string]attempt{}}
}

// StoreID is the store the desk hands orders over for.
func (d *Desk) StoreID() string { return d.cfg.StoreID }

// Staff is who hands orders over.
func (d *Desk) Staff() string { return d.cfg.Staff }

// SetStaff names who hands orders over from now on (the operator who logged in).
func (d *Desk) SetStaff(name string) { d.cfg.Staff = name }
