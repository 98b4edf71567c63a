package pos

import "fmt"

// VATRate is the НДС rate of a product. Receipt prices include VAT; the rate decides how much of a sum is
// tax and which slot of the fiscal register the sum goes to.
type VATRate uint8

// The rates of 54-ФЗ. 20/120, 10/110 and 22/122 are the calculated rates used for prepayments; VAT22 and
// VAT22_122 are in force since 1 January 2026.
const (
	VAT20 VATRate = iota + 1
	VAT10
	VAT0
	VATNone
	VAT20_120
	VAT10_110
	VAT22
	VAT22_122
)

// VATRates lists every rate in display order.
var VATRates = []VATRate{VAT22, VAT20, VAT10, VAT0, VATNone, VAT22_122, VAT20_120, VAT10_110}

var vatInfo = map[VATRate]struct {
	percent int64
	label   string
	code    string
}{
	VAT20:     {20, "НДС 20%", "20"},
	VAT10:     {10, "НДС 10%", "10"},
	VAT0:      {0, "НДС 0%", "0"},
	VATNone:   {0, "Без НДС", "none"},
	VAT20_120: {20, "НДС 20/120", "20/120"},
	VAT10_110: {10, "НДС 10/110", "10/110"},
	VAT22:     {22, "НДС 22%", "22"},
	VAT22_122: {22, "НДС 22/122", "22/122"},
}

// Valid reports whether r is a known rate.
func (r VATRate) Valid() bool { _, ok := vatInfo[r]; return ok }

// String is the label printed on receipts ("НДС 20%").
func (r VATRate) String() string {
	if i, ok := vatInfo[r]; ok {
		return i.label
	}
	return fmt.Sprintf("VATRate(%d)", uint8(r))
}

// Code is the stable short name used in files and on the wire ("20", "none", "22/122").
func (r VATRate) Code() string { return vatInfo[r].code }

// ParseVATRate reads a rate code as written by Code.
func ParseVATRate(code string) (VATRate, error) {
	for r, i := range vatInfo {
		if i.code == code {
			return r, nil
		}
	}
	return 0, fmt.Errorf("unknown vat rate %q", code)
}

// TaxOf returns the VAT included in a price-inclusive sum: sum × p / (100 + p), rounded to the kopeck.
// The calculated rates (20/120 …) give the same figure as their plain rate; 0 % and без НДС give zero.
func (r VATRate) TaxOf(sum Money) Money {
	p := vatInfo[r].percent
	if p == 0 {
		return 0
	}
	return Money(divRound(int64(sum)*p, 100+p))
}

// VATAmount is one row of a receipt's VAT breakdown: the sum taxed at a rate and the tax within it.
type VATAmount struct {
	Rate VATRate
	Base Money // price-inclusive sum of the lines at this rate
	Tax  Money
}
