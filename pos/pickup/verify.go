package pickup

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

// Verification is an order on the desk: the staff scans each item, the customer may refuse some, then
// HandOver settles it. Scanned and Refused never add up to more than a line's quantity.
type Verification struct {
	Order Order
	Via   string // ViaQR or ViaNumber
	Lines []LineCheck
	// Resume is the plan of a hand-over that began here and did not finish: HandOver finishes it as
	// planned, whatever the lines say now.
	Resume  *pos.PickupHandover
	resumed bool // opened on an unfinished hand-over: the lines show its plan, not scans
	ageOK   bool // the staff checked the buyer's document for the 18+ lines (age.go)
	desk    *Desk
}

// LineCheck is the verification of one order line.
type LineCheck struct {
	Line
	Scanned pos.Qty  // pieces scanned, or the whole weight of a weighed line once its label is scanned
	Codes   []string // the DataMatrix codes scanned, one per piece of a marked line
	Refused pos.Qty  // what the customer does not take
	Reason  string   // why (the staff's words)
}

// ToHand is what of the line goes to the customer.
func (c LineCheck) ToHand() pos.Qty { return c.Qty - c.Refused }

// Done reports whether everything to hand over of the line is scanned.
func (c LineCheck) Done() bool { return c.Scanned >= c.ToHand() }

// Weighed reports whether the line is sold by weight: one scan of its product confirms it whole, and it is
// taken or refused whole.
func (c LineCheck) Weighed() bool { return c.Unit == pos.UnitKg }

// Complete reports whether every line is scanned in full or refused.
func (v *Verification) Complete() bool { return v.Verify() == nil }

// Verify returns nil when every line is scanned in full or refused, else a *NotVerified naming the first
// line left.
func (v *Verification) Verify() error {
	for _, l := range v.Lines {
		if !l.Done() {
			return &NotVerified{Name: l.Name, Scanned: l.Scanned, Want: l.ToHand()}
		}
	}
	return nil
}

// Scan checks one scanned item against the order and counts it; it returns the index of its line. A
// product the order does not have is ErrNotInOrder; a marked product needs the DataMatrix on its pack
// (its EAN gives a *pos.MarkingNeeded, a code without the crypto tail too), each pack once; a line whose
// pieces are all scanned is ErrLineComplete. A weighed line is confirmed whole by its label, EAN or article.
func (v *Verification) Scan(text string) (int, error) {
	if v.Resume != nil {
		return -1, fmt.Errorf("%w: the hand-over of order %s is being finished", ErrLineComplete, v.Order.Number)
	}
	d := v.desk
	code, err := d.cfg.Classifier.Classify(d.cfg.Wedge.Repair(strings.TrimSpace(text)))
	if err != nil {
		return -1, err
	}
	p, err := d.productOf(code)
	i := -1
	switch {
	case err == nil:
		i = v.lineOf(p.ID)
	case errors.Is(err, pos.ErrUnknownBarcode):
		// Not in this terminal's catalog (yet): the order's own barcode still identifies its line.
		if i = v.lineByBarcode(code); i >= 0 {
			l := v.Lines[i].Line
			p, err = pos.Product{ID: l.ProductID, Name: l.Name, Unit: l.Unit, Marked: l.Marked}, nil
		}
	}
	if err != nil {
		return -1, err
	}
	if i < 0 {
		return -1, &NotInOrder{Name: p.Name}
	}
	l := &v.Lines[i]
	if l.Done() {
		return i, fmt.Errorf("%w: %s, %s of %s", ErrLineComplete, l.Name, l.Scanned, l.ToHand())
	}
	if l.Weighed() {
		l.Scanned = l.ToHand()
		return i, nil
	}
	if !l.Marked && !p.Marked {
		l.Scanned += pos.QtyOne
		return i, nil
	}
	if code.Kind != barcode.KindMarking || code.Marking == nil || code.Marking.Crypto == "" && code.Marking.Verify == "" {
		return i, &pos.MarkingNeeded{Product: p}
	}
	id := markingID(code.Raw)
	for _, other := range v.Lines {
		for _, c := range other.Codes {
			if markingID(c) == id {
				return i, fmt.Errorf("%w: %s", pos.ErrMarkingDuplicate, p.Name)
			}
		}
	}
	l.Codes = append(l.Codes, code.Raw)
	l.Scanned += pos.QtyOne
	return i, nil
}

// lineOf is the first line of the product with something left to scan, else its first line.
func (v *Verification) lineOf(productID string) int {
	first := -1
	for i, l := range v.Lines {
		if l.ProductID != productID {
			continue
		}
		if !l.Done() {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

// lineByBarcode is the line whose order barcode the scan carries (an EAN, or the GTIN of a marking code).
func (v *Verification) lineByBarcode(code barcode.Code) int {
	for i, l := range v.Lines {
		if l.Barcode != "" && (l.Barcode == code.Raw || strings.HasSuffix(code.GTIN, l.Barcode)) {
			return i
		}
	}
	return -1
}

// productOf finds the product a scan stands for, as the till does: a marking code and an EAN by their
// GTIN, a weight label by its PLU, a typed code as a PLU or an article.
func (d *Desk) productOf(code barcode.Code) (pos.Product, error) {
	var p pos.Product
	var err error
	switch code.Kind {
	case barcode.KindWeight:
		p, err = d.cfg.Store.ProductByPLU(code.Item)
	case barcode.KindArticle:
		if p, err = d.cfg.Store.ProductByPLU(code.Item); errors.Is(err, pos.ErrProductNotFound) {
			p, err = d.cfg.Store.ProductByID(code.Item)
		}
	case barcode.KindEAN13, barcode.KindEAN8, barcode.KindUPCA, barcode.KindMarking:
		p, err = d.byGTIN(code.GTIN)
		if errors.Is(err, pos.ErrProductNotFound) && code.GTIN != code.Raw && code.Kind != barcode.KindMarking {
			p, err = d.cfg.Store.ProductByBarcode(code.Raw)
		}
	default:
		return pos.Product{}, fmt.Errorf("%w: a %s, not a product", pos.ErrUnknownBarcode, code.Kind)
	}
	if errors.Is(err, pos.ErrProductNotFound) {
		return pos.Product{}, fmt.Errorf("%w: %s", pos.ErrUnknownBarcode, code.Raw)
	}
	return p, err
}

// byGTIN finds a product by a GTIN: as it is, then as the EAN-8 or UPC-A a GTIN-13 with leading zeros
// stands for.
func (d *Desk) byGTIN(gtin string) (pos.Product, error) {
	p, err := d.cfg.Store.ProductByBarcode(gtin)
	if !errors.Is(err, pos.ErrProductNotFound) {
		return p, err
	}
	for _, short := range []string{strings.TrimPrefix(gtin, "00000"), strings.TrimPrefix(gtin, "0")} {
		if len(short) < len(gtin) {
			if q, err2 := d.cfg.Store.ProductByBarcode(short); err2 == nil {
				return q, nil
			}
		}
	}
	return p, err
}

// markingID is what makes two scans the same pack: the GTIN and serial, whatever a scanner did to the
// separators and the crypto tail.
func markingID(km string) string {
	if g, err := barcode.ParseGS1(km); err == nil {
		return g.CIS()
	}
	return km
}

// Refuse records that the customer does not take qty of line i (0 takes the refusal back), with a reason.
// Piece goods are refused in whole pieces, a weighed line whole. Scans beyond what is left to hand over
// are dropped, the last marking codes first.
func (v *Verification) Refuse(i int, qty pos.Qty, reason string) error {
	if v.Resume != nil {
		return fmt.Errorf("%w: the hand-over of order %s is being finished", ErrLineComplete, v.Order.Number)
	}
	if i < 0 || i >= len(v.Lines) {
		return pos.ErrLineNotFound
	}
	l := &v.Lines[i]
	switch {
	case qty < 0 || qty > l.Qty:
		return fmt.Errorf("%w: refuse %s of %s", pos.ErrBadQuantity, qty, l.Qty)
	case l.Weighed() && qty != 0 && qty != l.Qty:
		return fmt.Errorf("%w: a weighed line is refused whole", pos.ErrBadQuantity)
	case !l.Weighed() && !qty.Whole():
		return fmt.Errorf("%w: %s is not a whole number of pieces", pos.ErrBadQuantity, qty)
	}
	l.Refused, l.Reason = qty, strings.TrimSpace(reason)
	if qty == 0 {
		l.Reason = ""
	}
	if l.Scanned > l.ToHand() {
		l.Scanned = l.ToHand()
	}
	if n := int(l.Scanned / pos.QtyOne); len(l.Codes) > n {
		l.Codes = l.Codes[:n]
	}
	return nil
}

// Amounts are the money of a verification as it stands.
type Amounts struct {
	Total   pos.Money // the order
	Handed  pos.Money // the goods handed over, at the order's prices
	Refused pos.Money // the goods refused
	Prepaid pos.Money // paid online
	Offset  pos.Money // the prepayment set off against the goods handed over
	Due     pos.Money // to pay at the desk
	Refund  pos.Money // the prepayment that goes back
}

// Amounts works out the settlement: the prepayment pays for the goods handed over first, the rest is paid
// at the desk, and a prepayment beyond the goods handed over goes back.
func (v *Verification) Amounts() Amounts {
	a := Amounts{Prepaid: v.Order.Prepaid}
	for _, l := range v.Lines {
		a.Total += l.Sum()
		a.Handed += l.Price.Times(l.ToHand())
	}
	a.Refused = a.Total - a.Handed
	a.Offset = min(a.Prepaid, a.Handed)
	a.Due = a.Handed - a.Offset
	a.Refund = a.Prepaid - a.Offset
	return a
}

// Counts are pieces (a weighed line counts one) to hand over, scanned and refused, for the screen.
func (v *Verification) Counts() (toHand, scanned, refused int) {
	for _, l := range v.Lines {
		if l.Weighed() {
			if l.Refused > 0 {
				refused++
			} else {
				toHand++
				if l.Done() {
					scanned++
				}
			}
			continue
		}
		toHand += int(l.ToHand() / pos.QtyOne)
		scanned += int(min(l.Scanned, l.ToHand()) / pos.QtyOne)
		refused += int(l.Refused / pos.QtyOne)
	}
	return toHand, scanned, refused
}
