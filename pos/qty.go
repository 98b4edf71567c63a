package pos

import (
	"fmt"
	"strconv"
	"strings"
)

// Qty is a quantity in thousandths: 1000 is one piece or one kilogram, 734 is 0.734 kg.
type Qty int64

// QtyOne is a single piece (or one kilogram).
const QtyOne Qty = 1000

// Pieces returns n whole units.
func Pieces(n int64) Qty { return Qty(n * 1000) }

// ParseQty reads "2", "0,734" or "1.5".
func ParseQty(s string) (Qty, error) {
	v, err := parseFixed(s, 3)
	if err != nil {
		return 0, err
	}
	return Qty(v), nil
}

// Whole reports whether the quantity is a whole number of units.
func (q Qty) Whole() bool { return q%1000 == 0 }

// String formats "2" for whole quantities and "0,734" otherwise.
func (q Qty) String() string {
	sign := ""
	v := int64(q)
	if v < 0 {
		sign, v = "-", -v
	}
	if v%1000 == 0 {
		return sign + strconv.FormatInt(v/1000, 10)
	}
	return sign + strings.TrimRight(fmt.Sprintf("%d,%03d", v/1000, v%1000), "0")
}

// Times returns price × quantity rounded to the kopeck (half away from zero).
func (m Money) Times(q Qty) Money { return Money(divRound(int64(m)*int64(q), 1000)) }
