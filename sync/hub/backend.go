package hub

import (
	"context"
	"encoding/json"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Backend is the storage a Server serves from. *Storage (bbolt) implements it; a PostgreSQL implementation
// can sit behind the same methods. It is composed of small interfaces so that a handler's tests can fake
// only what they use.
type Backend interface {
	EventStore
	FeedReader
	PickupStore
	BasketStore
	ReportSource
}

// AdminStore is a Backend with the operations of kassahub's admin commands. *Storage (bbolt) and
// pgstore.Store (PostgreSQL) both implement it, and storetest runs the same cases against both.
type AdminStore interface {
	Backend
	AddTerminal(store, name string) (string, error)
	EnsureTerminal(store, name, tokenSHA256 string) (bool, error)
	Terminals() ([]TerminalInfo, error)
	Sales(store string) ([]StoredSale, error)
	ImportCatalog(ctx context.Context, store string, products []wire.Product, full bool) (ImportStats, error)
	ImportOffers(ctx context.Context, store string, offers []wire.Offer, full bool) (ImportStats, error)
	ImportCustomers(ctx context.Context, customers []CustomerImport, full bool) (ImportStats, error)
	DeleteProducts(ctx context.Context, store string, ids []string) (int, error)
	PickupOrder(ctx context.Context, id string) (wire.PickupOrder, error)
	Ledger(ctx context.Context, customer string) ([]LedgerEntry, error)
}

// EventStore authenticates terminals and stores their events.
type EventStore interface {
	// Authenticate returns the terminal a bearer token belongs to, or an error wrapping ErrUnknownToken.
	// It runs on every request, so an implementation keeps it cheap (bbolt reads from memory; a SQL one
	// would cache the few hundred terminals).
	Authenticate(token string) (Terminal, error)
	// Append stores the valid events of one batch from term atomically and records the refused ones. It
	// answers one EventResult per incoming event, in order.
	Append(ctx context.Context, term Terminal, batch []Incoming, received time.Time) (AppendResult, error)
}

// FeedReader answers the pull feeds. A feed's changes carry a per-scope sequence assigned in the same
// transaction as the change, and the cursor is that sequence: an implementation must make sequence order
// equal commit order (bbolt serialises writers; SQL would lock the scope's counter row) so that a reader
// never skips a change committed after it read.
type FeedReader interface {
	// Feed returns up to limit changes of feed (a wire.Feed* name) for store after cursor ("" = from the
	// start). A cursor of another database, or one ahead of the feed, starts over from the beginning; one
	// that does not parse is ErrBadCursor.
	Feed(ctx context.Context, feed, store, cursor string, limit int) (FeedPage, error)
}

// PickupStore creates click&collect orders for the web shop's endpoint.
type PickupStore interface {
	// FindProduct returns the store's product with the barcode or id code, or ErrNotFound.
	FindProduct(ctx context.Context, store, code string) (wire.Product, error)
	// PutPickupOrder stores a new order, or returns the stored one if the store already has an identical
	// order of that number (created false); a different order of the same number is ErrConflict.
	PutPickupOrder(ctx context.Context, o wire.PickupOrder, phoneHash string) (stored wire.PickupOrder, created bool, err error)
}

// Incoming is an event of a batch as the Server hands it to the EventStore: valid, or refused with Reason.
// A refused event is not stored, but its id is remembered, so that storing it after a fix is not taken
// for a terminal whose sequence went back.
type Incoming struct {
	wire.Event
	Reason string
}

// Status is what the storage did with one event.
type Status uint8

// Event outcomes.
const (
	Stored    Status = iota // new to the hub and stored
	Duplicate               // already stored from the same terminal: acknowledged again
	Rejected                // refused, with a reason
)

// EventResult is the outcome of one incoming event.
type EventResult struct {
	Status Status
	Reason string // for Rejected
}

// Warning is a business conflict an event revealed; the event is stored all the same, because it happened
// at the till, and an operator settles it.
type Warning struct {
	Kind    string // WarnLoyaltyOverdraft or WarnPickupConflict
	EventID string
	Detail  string
}

// Warning kinds.
const (
	WarnLoyaltyOverdraft = "loyalty_overdraft" // a redemption took the balance below zero (offline redemptions)
	WarnPickupConflict   = "pickup_conflict"   // an order handed over twice, or after it was cancelled
)

// AppendResult is what Append did with a batch.
type AppendResult struct {
	Events   []EventResult
	Gaps     []wire.SeqGap // seq discontinuities among the new events
	Warnings []Warning
}

// FeedPage is one page of a feed with items as stored JSON, so a large pull is not decoded and encoded
// again. It encodes like wire.Page.
type FeedPage = wire.Page[json.RawMessage]
