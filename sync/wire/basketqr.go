package wire

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// BasketQRPrefix starts every basket QR payload; the digit is the format version.
const BasketQRPrefix = "KB1."

// Where a basket was put together (BasketQR.Source).
const (
	BasketFromKiosk = "kiosk" // the store's price-checker kiosk
	BasketFromWeb   = "web"   // the web shop, signed by the hub
	BasketFromApp   = "app"   // the mobile app, signed by the hub
)

// Bounds of a basket QR: few enough lines for the code to stay scannable on screen and on 58 mm paper
// (a full basket is about 850 characters, QR version 24), sums exact in int64.
const (
	MaxBasketItems    = 16
	MaxBasketQty      = 99_000        // thousandths: 99 pieces of one product
	MaxBasketPrice    = 1_000_000_000 // kopecks per unit: 10 million rubles
	maxBasketIDLen    = 40
	maxBasketStoreLen = 64
	maxBasketProdLen  = 64
)

// BasketQR is a basket the customer takes to the till: products, quantities and the prices the chain
// promised for them (the online offer), for one store, until Expires. The kiosk signs it for the store's
// own tills, the hub for the web shop and the mobile app; a till verifies it offline with the same key ring
// as pickup codes (see SignQR) and adds its items at those prices.
//
// The payload is "KB1.<kid>.<body>.<mac>" with body the base64url JSON
// {"b":id,"s":store,"src":source,"exp":unix seconds,"i":[[product id,qty,price,until],…]}; qty is in
// thousandths, price in kopecks per unit, until the unix second the item's offer ends (0: it lasts as long
// as the basket). Arrays keep a full basket small enough for a QR code a phone camera and a till scanner
// read at arm's length.
type BasketQR struct {
	ID      string
	Store   string
	Source  string // BasketFromKiosk, BasketFromWeb or BasketFromApp
	Items   []BasketItem
	Expires time.Time // second precision
}

// BasketItem is one product of a basket.
type BasketItem struct {
	ProductID string
	Qty       int64     // thousandths
	Price     int64     // kopecks per unit: the offer price the till charges while the offer lasts
	Until     time.Time // the offer's end, before the basket's; zero: until the basket expires
}

// Total is what the basket costs at its prices, rounded to the kopeck per line.
func (b BasketQR) Total() int64 {
	var t int64
	for _, it := range b.Items {
		t += (it.Price*it.Qty + 500) / 1000
	}
	return t
}

type basketQRBody struct {
	ID      string           `json:"b"`
	Store   string           `json:"s"`
	Source  string           `json:"src,omitempty"`
	Expires int64            `json:"exp"`
	Items   []basketItemBody `json:"i"`
}

// basketItemBody is an item as a JSON array: [product id, qty, price, until].
type basketItemBody struct {
	ProductID        string
	Qty, Price, Till int64
}

func (it basketItemBody) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{it.ProductID, it.Qty, it.Price, it.Till})
}

func (it *basketItemBody) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != 4 {
		return fmt.Errorf("%w: a basket item is [product, qty, price, until]", ErrQRFormat)
	}
	if err := json.Unmarshal(raw[0], &it.ProductID); err != nil {
		return fmt.Errorf("%w: product id: %v", ErrQRFormat, err)
	}
	for i, dst := range []*int64{&it.Qty, &it.Price, &it.Till} {
		if err := json.Unmarshal(raw[i+1], dst); err != nil {
			return fmt.Errorf("%w: item field %d: %v", ErrQRFormat, i+1, err)
		}
	}
	return nil
}

// IsBasketQR reports whether a scanned code looks like a basket QR payload (it is not verified).
func IsBasketQR(s string) bool { return strings.HasPrefix(s, BasketQRPrefix) }

// SignBasketQR returns the signed QR payload of b under the key kid. The key must be at least 16 bytes.
// A basket that breaks a rule of the format (see VerifyBasketQR) or does not fit a QR code is an error
// wrapping ErrQRFormat.
func SignBasketQR(b BasketQR, kid string, key []byte) (string, error) {
	body := basketQRBody{ID: b.ID, Store: b.Store, Source: b.Source, Expires: b.Expires.Unix(),
		Items: make([]basketItemBody, len(b.Items))}
	for i, it := range b.Items {
		body.Items[i] = basketItemBody{ProductID: it.ProductID, Qty: it.Qty, Price: it.Price}
		if !it.Until.IsZero() {
			body.Items[i].Till = it.Until.Unix()
		}
	}
	if err := body.check(); err != nil {
		return "", err
	}
	return SignQR(BasketQRPrefix, body, kid, key)
}

// VerifyBasketQR checks a scanned payload: its format, its signature under the key that keys returns for
// its key id, and that it has not expired at now. Checking that the basket is for this store, and which
// item offers still run, is the caller's business.
func VerifyBasketQR(s string, keys func(kid string) (key []byte, ok bool), now time.Time) (BasketQR, error) {
	var body basketQRBody
	if err := OpenQR(BasketQRPrefix, s, keys, &body); err != nil {
		return BasketQR{}, err
	}
	if err := body.check(); err != nil {
		return BasketQR{}, err
	}
	b := BasketQR{ID: body.ID, Store: body.Store, Source: body.Source, Expires: time.Unix(body.Expires, 0).UTC(),
		Items: make([]BasketItem, len(body.Items))}
	for i, it := range body.Items {
		b.Items[i] = BasketItem{ProductID: it.ProductID, Qty: it.Qty, Price: it.Price}
		if it.Till > 0 {
			b.Items[i].Until = time.Unix(it.Till, 0).UTC()
		}
	}
	if !now.Before(b.Expires) {
		return b, fmt.Errorf("%w: at %s", ErrQRExpired, b.Expires.Format(time.RFC3339))
	}
	return b, nil
}

// check enforces the rules both signing and verifying hold a basket to.
func (b basketQRBody) check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: basket %s", ErrQRFormat, fmt.Sprintf(format, a...))
	}
	switch {
	case b.ID == "" || len(b.ID) > maxBasketIDLen || strings.ContainsFunc(b.ID, notIDRune):
		return bad("id: want 1 to %d characters of A-Z a-z 0-9 _ -", maxBasketIDLen)
	case b.Store == "" || len(b.Store) > maxBasketStoreLen:
		return bad("store: want 1 to %d bytes", maxBasketStoreLen)
	case b.Expires <= 0:
		return bad("expiry is required")
	case len(b.Items) == 0 || len(b.Items) > MaxBasketItems:
		return bad("items: want 1 to %d", MaxBasketItems)
	}
	switch b.Source {
	case "", BasketFromKiosk, BasketFromWeb, BasketFromApp:
	default:
		return bad("source %q is none of kiosk, web, app", b.Source)
	}
	seen := make(map[string]bool, len(b.Items))
	for i, it := range b.Items {
		switch {
		case it.ProductID == "" || len(it.ProductID) > maxBasketProdLen:
			return bad("item %d: want a product id of 1 to %d bytes", i+1, maxBasketProdLen)
		case seen[it.ProductID]:
			return bad("item %d: product %s is listed twice", i+1, it.ProductID)
		case it.Qty <= 0 || it.Qty > MaxBasketQty:
			return bad("item %d: qty must be 1 to %d thousandths", i+1, MaxBasketQty)
		case it.Price < 0 || it.Price > MaxBasketPrice:
			return bad("item %d: price must be 0 to %d kopecks", i+1, MaxBasketPrice)
		case it.Till < 0:
			return bad("item %d: until must not be negative", i+1)
		}
		seen[it.ProductID] = true
	}
	return nil
}

func notIDRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
}

// OfferPrice is what a basket charges per unit for a product of storePrice with offer o: the online price
// less the online-only discount when that is lower than the store's price, the store's price otherwise.
// A customer never pays more at the till for having built a basket.
func (o Offer) OfferPrice(storePrice int64) int64 {
	online := o.OnlinePrice - o.OnlineDiscount
	if o.OnlinePrice > 0 && online >= 0 && online < storePrice {
		return online
	}
	return storePrice
}

// BasketRequest is the body of POST /v1/admin/baskets: the web shop or the mobile app asks the hub to sign
// a basket the customer finishes at a store's till. Items name a product by barcode or id; the hub prices
// them from the store's catalog and offers.
type BasketRequest struct {
	Store      string              `json:"store"`
	Source     string              `json:"source"`                // "web" or "app"
	Items      []BasketRequestItem `json:"items"`                 // 1 to MaxBasketItems distinct products
	TTLMinutes int                 `json:"ttl_minutes,omitempty"` // default: the hub's basket lifetime
}

// BasketRequestItem is one product of a BasketRequest; Qty in thousandths (1000 = one piece).
type BasketRequestItem struct {
	Barcode   string `json:"barcode,omitempty"`
	ProductID string `json:"product_id,omitempty"`
	Qty       int64  `json:"qty"`
}

// BasketCreated answers POST /v1/admin/baskets: the signed payload to show as a QR code and what it holds.
type BasketCreated struct {
	ID        string        `json:"id"`
	Store     string        `json:"store"`
	Source    string        `json:"source"`
	Items     []BasketPrice `json:"items"`
	Total     int64         `json:"total"` // kopecks at the basket's prices
	ExpiresAt time.Time     `json:"expires_at"`
	QR        string        `json:"qr"` // KB1.<kid>.<body>.<mac>
}

// BasketPrice is a product of a signed basket with its store price beside the basket's.
type BasketPrice struct {
	ProductID  string    `json:"product_id"`
	Name       string    `json:"name"`
	Qty        int64     `json:"qty"`
	Price      int64     `json:"price"`       // the basket's price per unit
	StorePrice int64     `json:"store_price"` // the till's price per unit
	Until      time.Time `json:"until,omitzero"`
}
