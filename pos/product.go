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
	// AgeLimit is the buyer's minimum age, 0 for none: 18 for alcohol, tobacco and energy drinks, which
	// may not be sold to minors (171-ФЗ, 15-ФЗ, regional bans on energy drinks). The till asks the cashier to
	// check the buyer's document once per receipt.
	AgeLimit uint8
}

// AgeRestricted reports whether the product is sold only after the buyer's age is checked.
func (p Product) AgeRestricted() bool { return p.AgeLimit > 0 }

// Weighed reports whether the product is sold by weight.
func (p Product) Weighed() bool { return p.Unit == UnitKg }
