package wire

import "time"

// Feeds a terminal pulls: GET /v1/{feed}?since=CURSOR&limit=N answers a Page of that feed's items.
const (
	FeedCatalog      = "catalog"
	FeedCustomers    = "customers"
	FeedOffers       = "offers"
	FeedPickupOrders = "pickup-orders"
)

// Page is one page of a delta feed: the items changed and the ids deleted after the cursor the terminal
// sent, and the cursor to send next. A terminal applies a page and stores Next in one transaction, so an
// interrupted pull resumes where it stopped and a change is never half-applied. An empty since starts from
// the beginning. Cursors are opaque to the terminal.
type Page[T any] struct {
	Items   []T      `json:"items"`
	Deleted []string `json:"deleted,omitempty"`
	Next    string   `json:"next"`
	More    bool     `json:"more"` // another page is ready at once: ask again with Next
}

// Product is an article of the store's catalog (feed "catalog"). Prices are the store's till prices.
type Product struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Barcodes []string `json:"barcodes,omitempty"`
	PLU      string   `json:"plu,omitempty"`
	Price    int64    `json:"price"`
	VAT      string   `json:"vat"`  // rate code as in SaleLine.VAT
	Unit     string   `json:"unit"` // "pcs" or "kg"
	Marked   bool     `json:"marked,omitempty"`
	AgeLimit uint8    `json:"age_limit,omitempty"` // the buyer's minimum age (18 for alcohol, tobacco); 0: none
}

// Customer is a loyalty customer as a terminal may keep it (feed "customers"): no phone or e-mail in clear
// (152-ФЗ), only a keyed hash of the normalised phone for lookup and a masked name for the screen.
type Customer struct {
	ID        string   `json:"id"`
	Cards     []string `json:"cards,omitempty"`      // loyalty card barcodes
	PhoneHash string   `json:"phone_hash,omitempty"` // hex HMAC-SHA256 of "+7XXXXXXXXXX" under the chain's key
	Name      string   `json:"name"`                 // masked: "Анна П."
	Tier      string   `json:"tier,omitempty"`
	Balance   int64    `json:"balance"`          // points, in kopecks of discount they are worth
	Offers    []string `json:"offers,omitempty"` // free texts of older feeds: shown, never applied
	// PersonalOffers are the structured offers the till applies (customers.go); a terminal of before them
	// ignores the field, one after them still shows Offers.
	PersonalOffers []PersonalOffer `json:"personal_offers,omitempty"`
}

// Offer is the omnichannel view of one product (feed "offers"): the online price and stock beside the
// store's, for the kiosk and for basket QR codes.
type Offer struct {
	ProductID      string       `json:"product_id"`
	OnlinePrice    int64        `json:"online_price"`
	OnlineDiscount int64        `json:"online_discount,omitempty"` // an online-only discount, kopecks per unit
	StockHere      int64        `json:"stock_here"`                // thousandths of the unit
	StockOnline    int64        `json:"stock_online"`
	StockNearby    []StoreStock `json:"stock_nearby,omitempty"`
	Related        []string     `json:"related,omitempty"` // product ids
	URL            string       `json:"url,omitempty"`
	ValidUntil     time.Time    `json:"valid_until,omitzero"`
}

// StoreStock is the stock of a product in another store.
type StoreStock struct {
	Store string `json:"store"`
	Name  string `json:"name"`
	Qty   int64  `json:"qty"`
}

// PickupOrder is a click&collect order to hand over at this store (feed "pickup-orders").
type PickupOrder struct {
	ID         string       `json:"id"`
	Number     string       `json:"number"` // what the customer says: "W-10234"
	Store      string       `json:"store"`
	Customer   string       `json:"customer"`    // masked name
	PhoneLast4 string       `json:"phone_last4"` // checked when the number is typed instead of scanning the QR
	Lines      []PickupLine `json:"lines"`
	Total      int64        `json:"total"`
	Prepaid    int64        `json:"prepaid"` // paid online; the rest is paid at pickup
	Status     string       `json:"status"`  // "ready", "collected", "cancelled"
	ReadyAt    time.Time    `json:"ready_at"`
	ExpiresAt  time.Time    `json:"expires_at,omitzero"`
}

// PickupLine is one line of a pickup order.
type PickupLine struct {
	ProductID string `json:"product_id"`
	Name      string `json:"name"`
	Barcode   string `json:"barcode,omitempty"`
	Price     int64  `json:"price"`
	Qty       int64  `json:"qty"` // thousandths
	VAT       string `json:"vat"`
	Marked    bool   `json:"marked,omitempty"`
	AgeLimit  uint8  `json:"age_limit,omitempty"` // the staff checks the buyer's document before the hand-over
}
