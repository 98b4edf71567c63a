package commerceml

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kassa-pos/kassa/sync/wire"
)

// MergeOptions choose which of 1C's price types the till sells at and which the kiosk shows as online.
type MergeOptions struct {
	PriceType       string // ТипЦены Ид or Наименование of the till price; "": the first type of the file
	OnlinePriceType string // of the online price; "": the till price
	DefaultVAT      string // wire VAT code for goods without СтавкиНалогов; "": such goods are skipped
}

// Result is a store's catalog and offers made from the two files.
type Result struct {
	Products []wire.Product
	Offers   []wire.Offer
	Deleted  []string // ids marked deleted in import.xml
	Full     bool     // both files are complete exports: goods missing from them are gone
	Warnings []string // goods skipped and why
}

// Merge joins the catalog with its offers. A good gets its till price from its offer; a variant offer
// ("good#variant") becomes a product of its own named after the offer. Goods without a price or a VAT rate
// cannot be sold and are skipped with a warning.
func Merge(cat Catalog, off Offers, opt MergeOptions) (Result, error) {
	res := Result{Full: !cat.OnlyChanges && !off.OnlyChanges}
	res.Warnings = append(append(res.Warnings, cat.Warnings...), off.Warnings...)
	till, err := priceType(off, opt.PriceType)
	if err != nil {
		return Result{}, err
	}
	online := till
	if opt.OnlinePriceType != "" {
		if online, err = priceType(off, opt.OnlinePriceType); err != nil {
			return Result{}, err
		}
	}
	if opt.DefaultVAT != "" {
		if _, err := vatCode(opt.DefaultVAT); err != nil {
			return Result{}, err
		}
	}
	goods := make(map[string]*Product, len(cat.Products))
	for i := range cat.Products {
		p := &cat.Products[i]
		if p.Deleted {
			res.Deleted = append(res.Deleted, p.ID)
			continue
		}
		goods[p.ID] = p
	}
	sold := map[string]bool{}    // product ids made
	offered := map[string]bool{} // goods with an offer, sold or not
	for _, o := range off.Offers {
		base, variant, _ := strings.Cut(o.ID, "#")
		g, ok := goods[o.ID]
		if !ok && variant != "" {
			g, ok = goods[base]
		}
		if !ok {
			res.Warnings = append(res.Warnings, fmt.Sprintf("предложение %s: no such товар in import.xml", o.ID))
			continue
		}
		offered[g.ID] = true
		price, ok := pick(o.Prices, till)
		if !ok || price <= 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("товар %s: no price of the till's type", o.ID))
			continue
		}
		vat := g.VAT
		if vat == "" {
			vat = opt.DefaultVAT
		}
		if vat == "" {
			res.Warnings = append(res.Warnings, fmt.Sprintf("товар %s: no VAT rate (СтавкиНалогов); give a default", o.ID))
			continue
		}
		p := wire.Product{ID: o.ID, Name: g.Name, Barcodes: g.Barcodes, Price: price, VAT: vat, Unit: g.Unit,
			AgeLimit: g.AgeLimit}
		if o.ID != g.ID {
			p.Barcodes = nil
			if o.Name != "" {
				p.Name = o.Name
			}
		}
		if o.Barcode != "" && !slices.Contains(p.Barcodes, o.Barcode) {
			p.Barcodes = append(p.Barcodes, o.Barcode)
		}
		if sold[p.ID] {
			res.Warnings = append(res.Warnings, fmt.Sprintf("предложение %s: listed twice, the first is kept", o.ID))
			continue
		}
		sold[p.ID] = true
		res.Products = append(res.Products, p)
		offer := wire.Offer{ProductID: p.ID, OnlinePrice: price}
		if op, ok := pick(o.Prices, online); ok && op > 0 {
			offer.OnlinePrice = op
		}
		if o.QtyKnown {
			offer.StockHere = max(o.Qty, 0)
		}
		res.Offers = append(res.Offers, offer)
	}
	for _, p := range cat.Products {
		if !p.Deleted && !offered[p.ID] {
			res.Warnings = append(res.Warnings, fmt.Sprintf("товар %s: no offer in offers.xml, not for sale", p.ID))
		}
	}
	return res, nil
}

// priceType resolves a price type by Ид or Наименование; "" is the first one of the file ("" if none, then
// an offer's first price is used).
func priceType(off Offers, want string) (string, error) {
	if want == "" {
		if len(off.PriceTypes) > 0 {
			return off.PriceTypes[0].ID, nil
		}
		return "", nil
	}
	for _, t := range off.PriceTypes {
		if t.ID == want || strings.EqualFold(t.Name, want) {
			return t.ID, nil
		}
	}
	names := make([]string, len(off.PriceTypes))
	for i, t := range off.PriceTypes {
		names[i] = t.Name
	}
	return "", fmt.Errorf("%w: price type %q is not in offers.xml (it has: %s)", ErrValue, want, strings.Join(names, ", "))
}

func pick(prices []Price, typeID string) (int64, bool) {
	for _, p := range prices {
		if typeID == "" || p.TypeID == typeID {
			return p.PerUnit, true
		}
	}
	return 0, false
}
