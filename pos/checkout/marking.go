package checkout

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/cart"
)

// MaxMarkedLines is how many marking codes one receipt may carry: the size of the ФН's table of checked
// codes (ФФД 1.2, error A3 beyond it).
const MaxMarkedLines = 128

// ScanMarking adds the marked product p with the marking code the cashier scanned from its pack, after
// the till asked for it (Scan or Add refused p with a *pos.MarkingNeeded). Text that is not a full marking
// code asks again (ErrNeedsMarking); a code of another product is refused with ErrMarkingMismatch.
func (t *Till) ScanMarking(p pos.Product, text string) (ScanResult, error) {
	code, err := t.cfg.Classifier.Classify(text)
	if err != nil {
		return ScanResult{Product: p}, err
	}
	if code.Kind != barcode.KindMarking {
		return ScanResult{Product: p, Code: code}, fmt.Errorf("%w: %s is not a marking code",
			&pos.MarkingNeeded{Product: p}, code.Raw)
	}
	return t.scanMarking(code, pos.QtyOne, &p)
}

// scanMarking sells the product a marking code stands for. The product is found by the code's GTIN. A
// product the catalog does not mark is sold by that GTIN like any scan and the code is not kept: the
// catalog says which goods the ФН must check, and a real till sells unmarked goods whose pack happens to
// carry a DataMatrix by their GTIN. A marked product gets a line of one piece carrying the code.
func (t *Till) scanMarking(code barcode.Code, qty pos.Qty, want *pos.Product) (ScanResult, error) {
	res := ScanResult{Code: code, Line: -1}
	p, err := t.productByGTIN(code.GTIN)
	if errors.Is(err, pos.ErrProductNotFound) {
		return res, fmt.Errorf("%w: marking code of GTIN %s", pos.ErrUnknownBarcode, code.GTIN)
	}
	if err != nil {
		return res, err
	}
	res.Product = p
	if want != nil && p.ID != want.ID {
		return res, fmt.Errorf("%w: the code is of %s, not of %s", pos.ErrMarkingMismatch, p.Name, want.Name)
	}
	if err := t.checkAge(p); err != nil {
		return res, err
	}
	if !p.Marked {
		if qty == 0 && p.Weighed() {
			qty = code.Weight // AI 310n; without it Add asks for a weight
		}
		res.Line, err = t.Add(p, qty, ean(p, code.GTIN))
		return res, err
	}
	if qty > pos.QtyOne || p.Weighed() {
		return res, fmt.Errorf("%w: %s", pos.ErrMarkedQuantity, p.Name)
	}
	if m := code.Marking; m == nil || (m.Crypto == "" && m.Verify == "") {
		// An identification code (КИ, the text under the DataMatrix) without its crypto tail: the ФН cannot
		// check it, so ask for the DataMatrix itself.
		return res, fmt.Errorf("%w: %s has no crypto tail", &pos.MarkingNeeded{Product: p}, code.Raw)
	}
	res.Line, err = t.addMarked(p, code)
	return res, err
}

// productByGTIN finds a product by the GTIN of a marking code: the EAN-13 the classifier derived, then
// the EAN-8 or UPC-A a GTIN-14 with more leading zeros stands for.
func (t *Till) productByGTIN(gtin string) (pos.Product, error) {
	p, err := t.cfg.Store.ProductByBarcode(gtin)
	if !errors.Is(err, pos.ErrProductNotFound) {
		return p, err
	}
	if len(gtin) == 13 && strings.HasPrefix(gtin, "00000") {
		if p, err2 := t.cfg.Store.ProductByBarcode(gtin[5:]); err2 == nil {
			return p, nil
		}
	}
	if len(gtin) == 13 && gtin[0] == '0' {
		if p, err2 := t.cfg.Store.ProductByBarcode(gtin[1:]); err2 == nil {
			return p, nil
		}
	}
	return p, err
}

// ean is the product's own barcode that a GTIN stands for, for the line's Barcode.
func ean(p pos.Product, gtin string) string {
	for _, b := range p.Barcodes {
		if strings.HasSuffix(gtin, b) {
			return b
		}
	}
	return gtin
}

// addMarked appends a line of one piece of p carrying the marking code. The cart merges repeated scans of
// a product into one line; a marked line must stay one code per piece, so it is appended as a line of its
// own through the cart's snapshot.
func (t *Till) addMarked(p pos.Product, code barcode.Code) (int, error) {
	id := markingID(code.Raw)
	n := 0
	for _, l := range t.cart.Lines() {
		if l.Cancelled || l.Marking == "" {
			continue
		}
		if markingID(l.Marking) == id {
			return -1, fmt.Errorf("%w: %s", pos.ErrMarkingDuplicate, p.Name)
		}
		n++
	}
	if n >= MaxMarkedLines {
		return -1, fmt.Errorf("%w: %d codes already", pos.ErrMarkingLimit, n)
	}
	if t.cart.Len() >= cart.MaxLines {
		return -1, fmt.Errorf("%w: receipt already has %d lines", pos.ErrBadQuantity, cart.MaxLines)
	}
	lines, discount := t.cart.Snapshot()
	lines = append(lines, pos.Line{
		ProductID: p.ID, Name: p.Name, Barcode: ean(p, code.GTIN), Price: p.Price,
		Qty: pos.QtyOne, Unit: p.Unit, VAT: p.VAT, Marking: code.Raw,
	})
	t.cart.Restore(lines, discount)
	return len(lines) - 1, nil
}

// markingID is what makes two scans the same pack: the identification code (GTIN and serial), whatever a
// scanner did to the separators and the crypto tail.
func markingID(km string) string {
	if g, err := barcode.ParseGS1(km); err == nil {
		return g.CIS()
	}
	return km
}

// markedLine reports whether line i carries a marking code.
func (t *Till) markedLine(i int) bool {
	lines := t.cart.Lines()
	return i >= 0 && i < len(lines) && lines[i].Marking != ""
}
