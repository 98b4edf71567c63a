package checkout

import (
	"errors"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// BasketUnit is one pack of a marked product a basket holds: the till sells it only with the code on the
// pack (ScanBasketMarking), at the basket's price.
type BasketUnit struct {
	Basket  string // the basket's id
	Product pos.Product
	Price   pos.Money // per pack, checked against the offers when the basket was scanned
	Until   time.Time // the item's offer end; zero: as long as the basket
	mark    string
}

// basketUnits are the packs of a marked basket item, one per piece.
func basketUnits(b Basket, p pos.Product, it BasketItem, price pos.Money) []BasketUnit {
	n := int(it.Qty / pos.QtyOne)
	out := make([]BasketUnit, n)
	for i := range out {
		out[i] = BasketUnit{Basket: b.ID, Product: p, Price: price, Until: it.Until, mark: basketMark(b)}
	}
	return out
}

// ScanBasketMarking adds a marked pack of a basket with the marking code the cashier scanned from it, the
// same way ScanMarking adds one (the code checked, one line per pack), then gives the line the basket's
// price while the item's offer runs, and the basket's mark.
func (t *Till) ScanBasketMarking(u BasketUnit, text string) (ScanResult, error) {
	res, err := t.ScanMarking(u.Product, text)
	if err != nil {
		return res, err
	}
	lines, rd := t.cart.Snapshot()
	if res.Line < 0 || res.Line >= len(lines) || lines[res.Line].Marking == "" {
		return res, nil // not a marked line after all (the catalog changed): sold at the store's price
	}
	l := &lines[res.Line]
	l.Barcode = u.mark
	if u.Price < l.Price && (u.Until.IsZero() || t.cfg.Now().Before(u.Until)) {
		l.Discount = l.Price.Times(l.Qty) - u.Price.Times(l.Qty)
	}
	t.cart.Restore(lines, rd)
	return res, nil
}

// basketPrice is what the till charges per unit for a basket item: the basket's price while the item's
// offer runs, the store's once it ended, and never below the least the chain allows now (LowestPrice):
// a lower price is refused with ErrBasketPrice.
func (t *Till) basketPrice(p pos.Product, it BasketItem, now time.Time) (pos.Money, error) {
	if !it.Until.IsZero() && !now.Before(it.Until) {
		return p.Price, nil
	}
	if it.Price >= p.Price {
		return p.Price, nil // a customer never pays more for a basket than at the shelf
	}
	floor, err := t.cfg.Baskets.LowestPrice(p, now)
	if err != nil {
		return 0, fmt.Errorf("price of %s: %w", p.Name, err)
	}
	if it.Price < floor {
		return 0, fmt.Errorf("%w: %s at %s, the least allowed now is %s", ErrBasketPrice, p.Name, it.Price, floor)
	}
	return it.Price, nil
}

// unusable is the error of a basket none of whose items can be sold: ErrBasketPrice when a price was the
// reason for every one of them (the cashier must hear that the basket is suspect), ErrBasketUnusable else.
func unusable(br *BasketResult) error {
	for _, sk := range br.Skipped {
		if !errors.Is(sk.Reason, ErrBasketPrice) {
			return fmt.Errorf("%w: basket %s", ErrBasketUnusable, br.Basket.ID)
		}
	}
	return fmt.Errorf("%w: basket %s: %w", ErrBasketUnusable, br.Basket.ID, ErrBasketPrice)
}
