package terminal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/kiosk"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

// BasketOpener verifies basket QR codes at the till with the chain's key ring (checkout.BasketOpener)
// and prices their lines against the pulled catalog and offers.
type BasketOpener struct {
	Keys   Keys
	Offers OfferReader // nil: no offers pulled, every basket line is held to the store's price
}

// OfferReader reads the pulled offer of a product; *store.Store implements it.
type OfferReader interface {
	OfferByProduct(id string) (wire.Offer, error)
}

// OpenBasket verifies the payload offline and maps the envelope's errors onto the till's. A key of the
// ring that may not sign baskets (a pickup-only key) is refused as such.
func (o BasketOpener) OpenBasket(payload string, now time.Time) (checkout.Basket, error) {
	if kid, ok := wire.QRKeyID(wire.BasketQRPrefix, payload); ok && !o.Keys.Allows(kid, wire.QRPurposeBasket) {
		if _, known := o.Keys.QR[kid]; known {
			return checkout.Basket{}, fmt.Errorf("%w: key %q may not sign baskets", checkout.ErrBasketKeyPurpose, kid)
		}
	}
	q, err := wire.VerifyBasketQR(payload, o.Keys.For(wire.QRPurposeBasket), now)
	switch {
	case errors.Is(err, wire.ErrQRExpired):
		return checkout.Basket{}, fmt.Errorf("%w: %w", checkout.ErrBasketExpired, err)
	case err != nil:
		return checkout.Basket{}, fmt.Errorf("%w: %w", checkout.ErrBasketForged, err)
	}
	b := checkout.Basket{ID: q.ID, Store: q.Store, Source: q.Source, Expires: q.Expires,
		Items: make([]checkout.BasketItem, len(q.Items))}
	for i, it := range q.Items {
		b.Items[i] = checkout.BasketItem{ProductID: it.ProductID, Qty: pos.Qty(it.Qty), Price: pos.Money(it.Price), Until: it.Until}
	}
	return b, nil
}

// LowestPrice is the least the chain asks per unit of p at at: the pulled online offer's price
// (wire.Offer.OfferPrice) while it runs and is below the store's, the store's price otherwise.
func (o BasketOpener) LowestPrice(p pos.Product, at time.Time) (pos.Money, error) {
	if o.Offers == nil {
		return p.Price, nil
	}
	off, err := o.Offers.OfferByProduct(p.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return p.Price, nil
	case err != nil:
		return 0, fmt.Errorf("offer of %s: %w", p.ID, err)
	case !off.ValidUntil.IsZero() && !at.Before(off.ValidUntil):
		return p.Price, nil
	}
	return pos.Money(off.OfferPrice(int64(p.Price))), nil
}

// KioskSigner signs the kiosk's baskets with one key of the ring (kiosk.BasketSigner).
type KioskSigner struct {
	Keys  Keys
	KeyID string
}

// SignBasket signs b as a "KB1." payload from the kiosk.
func (s KioskSigner) SignBasket(b kiosk.Basket) (string, error) {
	key, ok := s.Keys.For(wire.QRPurposeBasket)(s.KeyID)
	if !ok {
		return "", fmt.Errorf("%w: no key %q for baskets in the ring", wire.ErrQRKey, s.KeyID)
	}
	q := wire.BasketQR{ID: b.ID, Store: b.Store, Source: wire.BasketFromKiosk, Expires: b.Expires,
		Items: make([]wire.BasketItem, len(b.Items))}
	for i, l := range b.Items {
		q.Items[i] = wire.BasketItem{ProductID: l.Product.ID, Qty: int64(l.Qty), Price: int64(l.Price), Until: l.Until}
	}
	return wire.SignBasketQR(q, s.KeyID, key)
}

// KioskCatalog is the terminal's store as the kiosk reads it (kiosk.Catalog).
type KioskCatalog struct{ Store *store.Store }

// ProductByBarcode finds a product by a scanned code.
func (c KioskCatalog) ProductByBarcode(code string) (pos.Product, error) {
	return c.Store.ProductByBarcode(code)
}

// ProductByPLU finds a weighed product.
func (c KioskCatalog) ProductByPLU(plu string) (pos.Product, error) { return c.Store.ProductByPLU(plu) }

// ProductByID finds a product by its article.
func (c KioskCatalog) ProductByID(id string) (pos.Product, error) { return c.Store.ProductByID(id) }

// OfferByProduct reads the pulled offer of a product.
func (c KioskCatalog) OfferByProduct(id string) (kiosk.Offer, bool, error) {
	o, err := c.Store.OfferByProduct(id)
	if errors.Is(err, store.ErrNotFound) {
		return kiosk.Offer{}, false, nil
	}
	if err != nil {
		return kiosk.Offer{}, false, err
	}
	return KioskOffer(o), true, nil
}

// KioskOffer converts a pulled offer.
func KioskOffer(o wire.Offer) kiosk.Offer {
	k := kiosk.Offer{OnlinePrice: pos.Money(o.OnlinePrice), OnlineDiscount: pos.Money(o.OnlineDiscount),
		StockHere: pos.Qty(o.StockHere), StockOnline: pos.Qty(o.StockOnline), Related: o.Related, URL: o.URL,
		ValidUntil: o.ValidUntil}
	for _, n := range o.StockNearby {
		k.Nearby = append(k.Nearby, kiosk.StoreStock{Store: n.Store, Name: n.Name, Qty: pos.Qty(n.Qty)})
	}
	return k
}

// basketSlipModule is the widest QR module, in dots, a basket slip uses: 0.5 mm at 203 dpi reads well
// with a till's 2D scanner; a full basket is drawn smaller to fit the paper.
const basketSlipModule = 4

// BasketSlip lays out the kiosk basket's slip: its products at the basket's and the store's prices, until
// when the till honours them; BasketDocument adds the QR code the cashier scans.
func BasketSlip(b kiosk.Basket, h SlipHeader) escpos.Slip {
	var lines []escpos.SlipLine
	if h.Shop != "" {
		lines = append(lines, escpos.SlipLine{Left: h.Shop})
	}
	for _, l := range b.Items {
		lines = append(lines, escpos.SlipLine{Left: l.Product.Name,
			Right: l.Qty.String() + " x " + l.Price.String()})
		if l.Price < l.Product.Price {
			lines = append(lines, escpos.SlipLine{Left: "  в магазине " + l.Product.Price.String()})
		}
	}
	lines = append(lines, escpos.SlipLine{}, escpos.SlipLine{Left: "Итого по корзине", Right: b.Total().String()})
	if save := b.StoreTotal() - b.Total(); save > 0 {
		lines = append(lines, escpos.SlipLine{Left: "Выгода против цен магазина", Right: save.String()})
	}
	return escpos.Slip{
		Title: "Корзина для кассы",
		Lines: lines,
		Footer: []string{"Покажите QR-код на кассе: цены действуют до " + b.Expires.Local().Format("02.01.2006 15:04"),
			"Корзина " + b.ID + " · " + h.Terminal, "Не является чеком"},
	}
}

// BasketDocument is the basket slip for the printer: SlipDocument's layout with the QR code as large as
// the paper allows (SlipDocument draws a slip's QR at the smallest legal receipt size, which a basket's
// long payload would make too fine to scan).
func BasketDocument(p escpos.Profile, b kiosk.Basket, payload string, h SlipHeader) (*escpos.Document, error) {
	qr, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("basket slip: %w", err)
	}
	qr.DisableBorder = true
	module := min(basketSlipModule, p.WidthDots/(len(qr.Bitmap())+8))
	if module < 1 {
		return nil, fmt.Errorf("basket slip: %w", escpos.ErrQRTooLarge)
	}
	s := BasketSlip(b, h)
	cols := p.Columns
	d := escpos.NewDocument(p).Init().Align(escpos.Center).Bold(true).Size(1, 2)
	for _, l := range escpos.Columns(s.Title, "", cols) {
		d.Line(l)
	}
	d.Size(1, 1).Bold(false).Align(escpos.Left).Line(strings.Repeat("-", cols))
	for _, l := range s.Lines {
		for _, row := range escpos.Columns(l.Left, l.Right, cols) {
			d.Line(row)
		}
	}
	d.Line(strings.Repeat("-", cols)).QR(payload, module).Align(escpos.Center)
	for _, f := range s.Footer {
		for _, l := range escpos.Columns(f, "", cols) {
			d.Line(strings.TrimRight(l, " "))
		}
	}
	d.Align(escpos.Left).Cut(escpos.CutPartial, 3)
	return d, d.Err()
}

// PrintBasket prints the kiosk basket's slip on the receipt printer.
func PrintBasket(ctx context.Context, p *Printer, b kiosk.Basket, payload string, h SlipHeader) error {
	d, err := BasketDocument(p.Profile(), b, payload, h)
	if err != nil {
		return err
	}
	if err := p.Print(ctx, d); err != nil {
		return fmt.Errorf("basket slip: %w", err)
	}
	return nil
}
