package checkout

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/cart"
)

// Errors of basket QR codes; the UI says each in plain words.
var (
	// ErrBasketForged: the code is not signed by the chain (unknown key, bad signature, damaged content).
	ErrBasketForged = errors.New("basket qr not signed by the chain")
	// ErrBasketExpired: the basket's time is over; the customer builds it again at the kiosk or online.
	ErrBasketExpired = errors.New("basket qr expired")
	// ErrBasketForeignStore: the basket was made for another store, whose prices this till does not give.
	ErrBasketForeignStore = errors.New("basket qr of another store")
	// ErrBasketRedeemed: the basket is on this receipt already.
	ErrBasketRedeemed = errors.New("basket qr already on the receipt")
	// ErrBasketUnusable: none of the basket's products could be added (see BasketResult.Skipped).
	ErrBasketUnusable = errors.New("no product of the basket can be added")
	// ErrBasketsOff: the till has no keys to verify baskets with.
	ErrBasketsOff = errors.New("this till does not take basket qr codes")
	// ErrBasketKeyPurpose: the code is signed with a key of the chain that may not sign baskets (a pickup
	// key): a forgery with a stolen key, or a misconfigured kiosk.
	ErrBasketKeyPurpose = errors.New("basket qr signed with a key not allowed for baskets")
	// ErrBasketPrice: a line is priced below anything the chain offers for the product now (the store's
	// price, a running online offer): a kiosk that signs what it should not. The line is not sold from
	// the basket.
	ErrBasketPrice = errors.New("basket price below every valid offer")
)

// Basket is a verified basket QR (sync/wire.BasketQR, adapted by the wiring): products and the prices the
// chain promised for them, for one store, until Expires.
type Basket struct {
	ID      string
	Store   string
	Source  string // "kiosk", "web" or "app"
	Items   []BasketItem
	Expires time.Time
}

// BasketItem is a product of a basket at its offer price.
type BasketItem struct {
	ProductID string
	Qty       pos.Qty
	Price     pos.Money // per unit, while the offer lasts
	Until     time.Time // the offer's end; zero: as long as the basket
}

// BasketOpener verifies a basket QR payload offline (format, signature under the chain's key ring and the
// key's purpose, expiry at now) and decodes it; its errors wrap ErrBasketForged, ErrBasketKeyPurpose or
// ErrBasketExpired. LowestPrice is the least the chain asks per unit of p at a time: the store's price,
// or the price of an online offer running then when that is lower (sync/wire.Offer.OfferPrice), from the
// pulled catalog and offers. A basket line priced below it is refused with ErrBasketPrice.
type BasketOpener interface {
	OpenBasket(payload string, now time.Time) (Basket, error)
	LowestPrice(p pos.Product, at time.Time) (pos.Money, error)
}

// ChannelRecorder queues omnichannel analytics events (pos/store implements it). Losing one costs the
// report a count, never a sale, so the till does not stop for its errors.
type ChannelRecorder interface {
	RecordChannelEvent(e pos.ChannelEvent) error
}

// BasketResult says what scanning a basket did.
type BasketResult struct {
	Basket     Basket
	Lines      []int        // the cart lines added, in basket order
	AtOffer    int          // of them, lines priced below the store's price
	Saving     pos.Money    // the discount the basket gives against the store's prices
	OfferEnded []string     // names of products whose offer ended: added at the store's price
	Skipped    []BasketSkip // items not added
	// Marked are the packs of marked products the basket holds, not added yet: the till asks for each
	// pack's code (ScanBasketMarking).
	Marked []BasketUnit
}

// BasketSkip is a basket item the till could not add, and why: pos.ErrProductNotFound (not in this
// store's catalog), ErrBasketPrice (priced below every valid offer), pos.ErrBadQuantity (part of a piece),
// pos.ErrMarkedQuantity / pos.ErrMarkingLimit (marked goods by weight, or more packs than a receipt
// takes), or pos.ErrAgeRefused (18+ goods when the cashier did not confirm the buyer's age).
type BasketSkip struct {
	ProductID string
	Name      string // "" when the product is unknown
	Qty       pos.Qty
	Reason    error
}

// basketMarkPrefix starts the Barcode of a line a basket added: "basket:<id>:<source>". The receipt itself
// remembers which basket it holds, through deferral and recall, and the completed sale says which basket
// it redeemed.
const basketMarkPrefix = "basket:"

func basketMark(b Basket) string { return basketMarkPrefix + b.ID + ":" + b.Source }

// BasketOf returns the basket id and source a line's Barcode marks, if a basket added the line.
func BasketOf(l pos.Line) (id, source string, ok bool) {
	rest, found := strings.CutPrefix(l.Barcode, basketMarkPrefix)
	if !found {
		return "", "", false
	}
	id, source, _ = strings.Cut(rest, ":")
	return id, source, id != ""
}

// scanBasket adds a basket's products: each line at the store's price with the difference to the offer
// price as the line's discount, so the receipt shows what the basket saves. It refuses a basket that is
// forged, expired, of another store or on the receipt already; an item whose own offer ended is added at
// the store's price. A basket with an 18+ product asks for the buyer's age first (*pos.AgeCheckNeeded with
// Basket set) unless it is confirmed for the receipt already.
func (t *Till) scanBasket(code barcode.Code) (ScanResult, error) {
	res := ScanResult{Code: code, Line: -1}
	if t.cfg.Baskets == nil {
		return res, ErrBasketsOff
	}
	now := t.cfg.Now()
	b, err := t.cfg.Baskets.OpenBasket(code.Raw, now)
	if err != nil {
		return res, err
	}
	if b.Store != t.cfg.StoreID {
		return res, fmt.Errorf("%w: basket of store %q at store %q", ErrBasketForeignStore, b.Store, t.cfg.StoreID)
	}
	br := &BasketResult{Basket: b}
	res.Basket = br
	lines, discount := t.cart.Snapshot()
	for _, l := range lines {
		if id, _, ok := BasketOf(l); ok && id == b.ID && !l.Cancelled {
			return res, fmt.Errorf("%w: basket %s", ErrBasketRedeemed, b.ID)
		}
	}
	mark := basketMark(b)
	var last pos.Product
	for _, it := range b.Items {
		p, err := t.productByID(it.ProductID)
		if err != nil {
			br.Skipped = append(br.Skipped, BasketSkip{ProductID: it.ProductID, Qty: it.Qty, Reason: err})
			continue
		}
		var price pos.Money
		reason := basketRefusal(p, it.Qty)
		if reason == nil {
			price, reason = t.basketPrice(p, it, now)
		}
		if reason != nil {
			br.Skipped = append(br.Skipped, BasketSkip{ProductID: p.ID, Name: p.Name, Qty: it.Qty, Reason: reason})
			continue
		}
		if p.AgeRestricted() && !t.ageOK {
			if !t.declineAge { // nothing is on the receipt yet: the cashier answers, then the basket scans again
				return ScanResult{Code: code, Line: -1}, &pos.AgeCheckNeeded{Product: p, Basket: true}
			}
			br.Skipped = append(br.Skipped, BasketSkip{ProductID: p.ID, Name: p.Name, Qty: it.Qty,
				Reason: fmt.Errorf("%w: %s", pos.ErrAgeRefused, p.Name)})
			continue
		}
		if len(lines) >= cart.MaxLines {
			br.Skipped = append(br.Skipped, BasketSkip{ProductID: p.ID, Name: p.Name, Qty: it.Qty,
				Reason: fmt.Errorf("%w: receipt already has %d lines", pos.ErrBadQuantity, cart.MaxLines)})
			continue
		}
		if !it.Until.IsZero() && !now.Before(it.Until) {
			br.OfferEnded = append(br.OfferEnded, p.Name)
		}
		if p.Marked { // each pack's code at the till, at the basket's price (basket_marked.go)
			br.Marked = append(br.Marked, basketUnits(b, p, it, price)...)
			continue
		}
		l := pos.Line{ProductID: p.ID, Name: p.Name, Barcode: mark, Price: p.Price, Qty: it.Qty, Unit: p.Unit, VAT: p.VAT}
		if price < p.Price {
			l.Discount = p.Price.Times(it.Qty) - price.Times(it.Qty)
			br.AtOffer++
			br.Saving += l.Discount
		}
		br.Lines = append(br.Lines, len(lines))
		lines = append(lines, l)
		last = p
	}
	if len(br.Lines) == 0 && len(br.Marked) == 0 {
		return res, unusable(br)
	}
	if len(br.Lines) == 0 { // only marked goods: the cashier scans their packs next
		res.Product = br.Marked[0].Product
		return res, nil
	}
	t.cart.Restore(lines, discount)
	res.Line, res.Product = br.Lines[len(br.Lines)-1], last
	return res, nil
}

// basketRefusal says why a product cannot come from a basket as a line of qty, or nil. Weighed goods come
// with the weight the kiosk read from their label, in thousandths of a kilogram; marked goods in whole
// packs, each scanned at the till; other goods in whole pieces.
func basketRefusal(p pos.Product, qty pos.Qty) error {
	switch {
	case qty <= 0:
		return fmt.Errorf("%w: %s of %s", pos.ErrBadQuantity, qty, p.Name)
	case p.Weighed() && p.Marked:
		return fmt.Errorf("%w: %s", pos.ErrMarkedQuantity, p.Name)
	case p.Weighed():
		return nil
	case !qty.Whole():
		return fmt.Errorf("%w: %s of %s", pos.ErrBadQuantity, qty, p.Name)
	case p.Marked && qty > MaxMarkedLines*pos.QtyOne:
		return fmt.Errorf("%w: %s packs of %s", pos.ErrMarkingLimit, qty, p.Name)
	}
	return nil
}

// productByID finds a product by its article (the id a basket names).
func (t *Till) productByID(id string) (pos.Product, error) {
	found, err := t.cfg.Store.SearchProducts(id, 1)
	if err != nil {
		return pos.Product{}, err
	}
	for _, p := range found {
		if p.ID == id {
			return p, nil
		}
	}
	return pos.Product{}, fmt.Errorf("%w: article %s", pos.ErrProductNotFound, id)
}

// recordBaskets reports each basket a completed sale redeemed, with what its lines came to, for the
// kiosk-to-till conversion and the sales-by-channel report.
func (t *Till) recordBaskets(s pos.Sale) {
	if t.cfg.Channel == nil || s.Kind != pos.KindSale {
		return
	}
	type redeemed struct {
		source string
		amount pos.Money
	}
	var order []string
	seen := map[string]*redeemed{}
	for _, l := range s.ActiveLines() {
		id, source, ok := BasketOf(l)
		if !ok {
			continue
		}
		r := seen[id]
		if r == nil {
			r = &redeemed{source: source}
			seen[id] = r
			order = append(order, id)
		}
		r.amount += l.Sum
	}
	for _, id := range order {
		r := seen[id]
		_ = t.cfg.Channel.RecordChannelEvent(pos.ChannelEvent{Kind: pos.ChannelBasketRedeemed, At: s.CreatedAt,
			Basket: id, Sale: s.ID, Via: r.source, Amount: r.amount})
	}
}
