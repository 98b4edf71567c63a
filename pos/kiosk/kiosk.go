// Package kiosk is the logic of the store's price-checker stand (kassa --mode kiosk): a scanned product's
// card with the store's price beside the online offer and its exact conditions, stock here, nearby and
// online, related products, the "continue online" link with UTM tags, a basket the customer takes to the
// till as a signed QR code, the idle reset and the manager's PIN. It keeps nothing about the customer: a
// session lives in memory until the reset, and only anonymous analytics events leave it.
package kiosk

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

// Errors of a scan at the kiosk, besides pos.ErrUnknownBarcode and pos.ErrInvalidBarcode.
var (
	// ErrBasketCode: the customer scanned a basket QR; it is for the till.
	ErrBasketCode = errors.New("kiosk: a basket qr code is redeemed at the till")
	// ErrNotProduct: a code the till knows but which names no product (a receipt QR, a loyalty card …).
	ErrNotProduct = errors.New("kiosk: the code is not a product's")
)

// Offer is the online side of a product (the hub's offers feed): the online price and an online-only
// discount, stock here, online and in nearby stores, related products and the product's page.
type Offer struct {
	OnlinePrice    pos.Money
	OnlineDiscount pos.Money // online only, per unit
	StockHere      pos.Qty
	StockOnline    pos.Qty
	Nearby         []StoreStock
	Related        []string // product ids
	URL            string
	ValidUntil     time.Time // zero: no end announced
}

// StoreStock is a product's stock in another store.
type StoreStock struct {
	Store, Name string
	Qty         pos.Qty
}

// OnlineFinal is the online price less the online-only discount (zero without an online price).
func (o Offer) OnlineFinal() pos.Money {
	if o.OnlinePrice <= 0 {
		return 0
	}
	return max(o.OnlinePrice-o.OnlineDiscount, 0)
}

// Catalog is what the kiosk reads: the store's products and the pulled offers (pos/store, adapted by the
// wiring).
type Catalog interface {
	ProductByBarcode(code string) (pos.Product, error)
	ProductByPLU(plu string) (pos.Product, error)
	ProductByID(id string) (pos.Product, error)
	// OfferByProduct returns the product's offer, ok false when it has none.
	OfferByProduct(id string) (o Offer, ok bool, err error)
}

// Recorder queues anonymous analytics events (pos/store implements it).
type Recorder interface {
	RecordChannelEvent(e pos.ChannelEvent) error
}

// Classifier turns scanned text into a code (*barcode.Classifier).
type Classifier interface {
	Classify(text string) (barcode.Code, error)
}

// Defaults of Config.
const (
	DefaultProductURL = "https://shop.example/p/{id}?utm_source=kiosk&utm_medium=qr&utm_campaign={store}&utm_content={id}"
	DefaultBasketURL  = "https://shop.example/cart?items={items}&utm_source=kiosk&utm_medium=qr&utm_campaign={store}&utm_content={basket}"
	DefaultBasketTTL  = 24 * time.Hour
	maxRelated        = 6
)

// Config wires a kiosk.
type Config struct {
	Catalog    Catalog
	Classifier Classifier
	Signer     BasketSigner // signs basket QR codes; nil: the kiosk offers no basket QR, only "continue online"
	Events     Recorder     // nil: no analytics
	Store      string       // the store's name at the hub: baskets are for its tills, UTM campaign
	// ProductURL and BasketURL are the "continue online" links. Placeholders, URL-escaped: {id} product id,
	// {barcode} its first barcode, {url} the offer's own page, {store}; {basket} basket id and {items}
	// "id:qty,id:qty" (whole pieces) for the basket.
	ProductURL, BasketURL string
	BasketTTL             time.Duration // how long a basket QR is honoured at the till
	Clock                 Clock
	NewID                 func() string // basket ids; random when nil
}

// Kiosk looks products up and makes the links; it holds no customer state (see Session).
type Kiosk struct{ cfg Config }

// New returns a kiosk.
func New(cfg Config) *Kiosk {
	if cfg.ProductURL == "" {
		cfg.ProductURL = DefaultProductURL
	}
	if cfg.BasketURL == "" {
		cfg.BasketURL = DefaultBasketURL
	}
	if cfg.BasketTTL <= 0 {
		cfg.BasketTTL = DefaultBasketTTL
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.NewID == nil {
		cfg.NewID = randomID
	}
	return &Kiosk{cfg: cfg}
}

// Clock is the kiosk's clock.
func (k *Kiosk) Clock() Clock { return k.cfg.Clock }

// CanSign reports whether the kiosk makes basket QR codes.
func (k *Kiosk) CanSign() bool { return k.cfg.Signer != nil }

// Card is what the stand shows of a product.
type Card struct {
	Product  pos.Product
	Offer    Offer
	HasOffer bool
	// Basket is the price per unit a basket QR promises at the till: the online final price when it is
	// below the store's, the store's otherwise.
	Basket  pos.Money
	Related []Related
	// Sellable: the product can go into a basket. Weighed goods only when scanned by their weight label
	// (Weight); marked goods by the piece, the till asking for each pack's code.
	Sellable bool
	// Weight is what the scanned weight label says (a price label: what its sum buys), in thousandths of
	// a kilogram; 0 without a label.
	Weight pos.Qty
}

// Cheaper is how much less the product costs online than in the store; negative when the store is cheaper,
// zero without an online price.
func (c Card) Cheaper() pos.Money {
	if !c.HasOffer || c.Offer.OnlinePrice <= 0 {
		return 0
	}
	return c.Product.Price - c.Offer.OnlineFinal()
}

// Related is a product the offer suggests, with its basket price.
type Related struct {
	Product pos.Product
	Basket  pos.Money
}

// Scan finds the product of a scanned or typed code and builds its card; a found product is reported as a
// kiosk view. An unknown code wraps pos.ErrUnknownBarcode, a damaged one pos.ErrInvalidBarcode.
func (k *Kiosk) Scan(text string) (Card, error) {
	code, err := k.cfg.Classifier.Classify(text)
	if err != nil {
		return Card{}, err
	}
	var p pos.Product
	switch code.Kind {
	case barcode.KindBasketQR:
		return Card{}, ErrBasketCode
	case barcode.KindWeight:
		p, err = k.cfg.Catalog.ProductByPLU(code.Item)
	case barcode.KindArticle:
		if p, err = k.cfg.Catalog.ProductByPLU(code.Item); errors.Is(err, pos.ErrProductNotFound) {
			p, err = k.cfg.Catalog.ProductByID(code.Item)
		}
	case barcode.KindEAN13, barcode.KindEAN8, barcode.KindUPCA, barcode.KindMarking:
		p, err = k.productByGTIN(code)
	default:
		return Card{}, fmt.Errorf("%w: %v", ErrNotProduct, code.Kind)
	}
	if errors.Is(err, pos.ErrProductNotFound) {
		return Card{}, fmt.Errorf("%w: %s", pos.ErrUnknownBarcode, code.Raw)
	}
	if err != nil {
		return Card{}, err
	}
	c, err := k.Show(p)
	if err == nil && code.Kind == barcode.KindWeight && p.Weighed() {
		c.Weight = labelWeight(code, p)
		c.Sellable = c.Weight > 0 && c.Weight <= MaxLineQty && !p.Marked
	}
	return c, err
}

// labelWeight is the weight a weight label gives, or what a price label's sum buys at the product's price
// to the gram (the till's rule).
func labelWeight(code barcode.Code, p pos.Product) pos.Qty {
	switch {
	case code.Weight > 0:
		return code.Weight
	case code.Price > 0 && p.Price > 0:
		return pos.Qty((int64(code.Price)*1000 + int64(p.Price)/2) / int64(p.Price))
	}
	return 0
}

// productByGTIN tries the code's GTIN, its raw digits, and the shorter EAN a GTIN-13 with leading zeros
// stands for.
func (k *Kiosk) productByGTIN(code barcode.Code) (pos.Product, error) {
	tries := []string{code.GTIN, code.Raw, strings.TrimPrefix(code.GTIN, "0"), strings.TrimPrefix(code.GTIN, "00000")}
	var err error
	for _, c := range tries {
		if c == "" {
			continue
		}
		var p pos.Product
		if p, err = k.cfg.Catalog.ProductByBarcode(c); !errors.Is(err, pos.ErrProductNotFound) {
			return p, err
		}
	}
	return pos.Product{}, err
}

// Show builds the card of a product already found (a related product tapped) and reports the view.
func (k *Kiosk) Show(p pos.Product) (Card, error) {
	c := Card{Product: p, Sellable: !p.Weighed(), Basket: p.Price}
	o, ok, err := k.cfg.Catalog.OfferByProduct(p.ID)
	if err != nil {
		return Card{}, fmt.Errorf("kiosk: offer of %s: %w", p.ID, err)
	}
	if ok {
		c.Offer, c.HasOffer = o, true
		c.Basket = basketPrice(p.Price, o)
		for _, id := range o.Related {
			if len(c.Related) == maxRelated {
				break
			}
			rp, err := k.cfg.Catalog.ProductByID(id)
			if err != nil || id == p.ID {
				continue // a related product this store does not sell is left out
			}
			r := Related{Product: rp, Basket: rp.Price}
			if ro, ok, err := k.cfg.Catalog.OfferByProduct(id); err == nil && ok {
				r.Basket = basketPrice(rp.Price, ro)
			}
			c.Related = append(c.Related, r)
		}
	}
	k.record(pos.ChannelEvent{Kind: pos.ChannelKioskView, Product: p.ID})
	return c, nil
}

// basketPrice is what a basket charges per unit (sync/wire.Offer.OfferPrice): the online final price
// when it is below the store's.
func basketPrice(store pos.Money, o Offer) pos.Money {
	if f := o.OnlineFinal(); o.OnlinePrice > 0 && f < store {
		return f
	}
	return store
}

// ProductURL is the "continue online" link of a product; showing it is reported.
func (k *Kiosk) ProductURL(c Card) string {
	bc := ""
	if len(c.Product.Barcodes) > 0 {
		bc = c.Product.Barcodes[0]
	}
	u := expand(k.cfg.ProductURL, map[string]string{"id": c.Product.ID, "barcode": bc, "url": c.Offer.URL,
		"store": k.cfg.Store})
	k.record(pos.ChannelEvent{Kind: pos.ChannelContinueOnline, Product: c.Product.ID})
	return u
}

// expand fills {name} placeholders with URL-escaped values; {url} is put in as it is when the template
// starts with it (the offer's own page), escaped elsewhere.
func expand(tmpl string, vals map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		name := tmpl[i+1 : i+j]
		v, ok := vals[name]
		switch {
		case !ok:
			b.WriteString(tmpl[:i+j+1])
		case name == "url" && i == 0 && b.Len() == 0:
			b.WriteString(v)
		default:
			b.WriteString(tmpl[:i])
			b.WriteString(url.QueryEscape(v))
		}
		tmpl = tmpl[i+j+1:]
	}
}

func (k *Kiosk) record(e pos.ChannelEvent) {
	if k.cfg.Events == nil {
		return
	}
	e.At = k.cfg.Clock.Now()
	_ = k.cfg.Events.RecordChannelEvent(e) // analytics never stop the stand
}
