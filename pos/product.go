package pos

// Unit is how a product is counted.
type Unit uint8

const (
	// UnitPiece products are sold in whole pieces.
	UnitPiece Unit = iota
	// UnitKg products are weighed; their price is per kilogram and quantities have gram precision.
	UnitKg
)

// Short is the unit's abbreviation on the screen and the receipt.
func (u Unit) Short() string {
	if u == UnitKg {
		return "кг"
	}
	return "шт"
}

// Product is one article of the catalog.
type Product struct {
	ID       string   // the store's article number (артикул)
	Name     string   // as printed on the receipt
	Barcodes []string // EAN-13/EAN-8/UPC-A codes that identify it
	PLU      string   // item code inside weight labels (5 digits), for weighed goods
	Price    Money    // per piece, or per kilogram for UnitKg
	VAT      VATRate
	Unit     Unit
	// Marked goods (товары, подлежащие маркировке: tobacco, shoes, dairy, water …) are sold one unit per
	// scanned DataMatrix code, which the ККТ checks with Честный знак before the sale (ФФД 1.2).
	Marked bool
}

// Weighed reports whether the product is sold by weight.
func (p Product) Weighed() bool { return p.Unit == UnitKg }
