package checkout

import (
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

// RefundJournal finds the sale a receipt's QR names and the refunds made of it; pos/store implements it.
type RefundJournal interface {
	// SaleByReceipt finds the sale fiscalised as document fd of the ФН with that serial; ok is false when
	// the journal has none.
	SaleByReceipt(fnSerial string, fd uint32) (sale pos.Sale, ok bool, err error)
	// RefundsOf lists the pending and fiscalised refunds of a sale.
	RefundsOf(saleID string) ([]pos.Sale, error)
}

// RefundLine is one line of a return being prepared.
type RefundLine struct {
	// Line is the line as sold (its Qty and Sum are what was sold and paid) or, for a return without the
	// receipt, the product as scanned (its Qty is the quantity to return).
	Line pos.Line
	// Refunded is what earlier refunds of the original returned of this line.
	Refunded pos.Qty
	// Qty is what to return now; 0 leaves the line out.
	Qty pos.Qty

	refundedSum pos.Money // the money earlier refunds paid back for this line
	free        bool      // a return without the receipt: nothing to count against
}

// Left is the most that may still be returned of the line (sold minus returned; 0 for a line cancelled on
// the original receipt). A line of a return without the receipt has no such limit and gives its Qty.
func (l RefundLine) Left() pos.Qty {
	switch {
	case l.free:
		return l.Qty
	case l.Line.Cancelled:
		return 0
	}
	return max(l.Line.Qty-l.Refunded, 0)
}

// Sum is the money returning Qty pays back: its share of what the line was paid (discounts included),
// rounded down, and for the last part of a line exactly what is left of its sum, so that a line returned
// in several parts pays back, kopeck for kopeck, what it cost.
func (l RefundLine) Sum() pos.Money {
	switch {
	case l.Qty <= 0:
		return 0
	case l.free:
		return l.Line.Price.Times(l.Qty)
	case l.Refunded+l.Qty >= l.Line.Qty:
		return l.Line.Sum - l.refundedSum
	}
	return pos.Money(int64(l.Line.Sum) * int64(l.Qty) / int64(l.Line.Qty))
}

// Refund is a return (возврат прихода) being prepared: of a sale of this till's journal found by its
// receipt's QR (Original set, its lines in their order), or, without the receipt, of products the cashier
// scans (Original nil; a buyer may return goods without the receipt, ЗоЗПП ст. 25). The cashier sets the
// quantities with SetQty, then Till.Refund fiscalises it.
type Refund struct {
	Original *pos.Sale
	Lines    []RefundLine
	// PaidBack is, per tender, the most that may go back that way: what the original was paid by it minus
	// what its earlier refunds paid back by it. Nil for a return without the receipt.
	PaidBack map[pos.PaymentMethod]pos.Money
}

// Total is the money the return pays back.
func (r *Refund) Total() pos.Money {
	var t pos.Money
	for _, l := range r.Lines {
		t += l.Sum()
	}
	return t
}

// SetQty sets how much of line i to return. It may not exceed what is left of the line; piece goods go
// back in whole pieces and a marked line as its one piece.
func (r *Refund) SetQty(i int, q pos.Qty) error {
	if i < 0 || i >= len(r.Lines) {
		return pos.ErrLineNotFound
	}
	l := &r.Lines[i]
	switch {
	case q < 0 || q > 99_999_000:
		return fmt.Errorf("%w: %s", pos.ErrBadQuantity, q)
	case l.Line.Unit != pos.UnitKg && !q.Whole():
		return fmt.Errorf("%w: %s is not a whole number of pieces", pos.ErrBadQuantity, q)
	case l.Line.Marking != "" && q > pos.QtyOne:
		return fmt.Errorf("%w: %s", pos.ErrMarkedQuantity, l.Line.Name)
	case l.free && q == 0:
		return fmt.Errorf("%w: 0", pos.ErrBadQuantity)
	case !l.free && q > l.Left():
		return fmt.Errorf("%w: line %d %q: %s to return, %s left", pos.ErrRefundExceeds, i+1, l.Line.Name, q, l.Left())
	}
	l.Qty = q
	if l.free {
		l.Line.Qty, l.Line.Sum = q, l.Line.Price.Times(q)
	}
	return nil
}

// SetPrice sets the unit price of line i of a return without the receipt, as the paper receipt shows it.
// The lines of a known receipt keep the prices they were sold at.
func (r *Refund) SetPrice(i int, price pos.Money) error {
	if i < 0 || i >= len(r.Lines) {
		return pos.ErrLineNotFound
	}
	l := &r.Lines[i]
	if !l.free {
		return fmt.Errorf("%w: the price of a line of the receipt is the price it was sold at", pos.ErrRefundExceeds)
	}
	if price <= 0 || price > 1_000_000_000 {
		return fmt.Errorf("%w: price %s", pos.ErrBadAmount, price)
	}
	l.Line.Price, l.Line.Sum = price, price.Times(l.Qty)
	return nil
}

// Remove drops line i of a return without the receipt.
func (r *Refund) Remove(i int) error {
	if i < 0 || i >= len(r.Lines) || !r.Lines[i].free {
		return pos.ErrLineNotFound
	}
	r.Lines = append(r.Lines[:i:i], r.Lines[i+1:]...)
	return nil
}

// IsReceiptQR reports whether text is a ФНС receipt QR code: scanned where products are, it starts a return.
func (t *Till) IsReceiptQR(text string) bool {
	code, err := t.cfg.Classifier.Classify(text)
	return err == nil && code.Kind == barcode.KindReceiptQR
}

// refunds is the store as a RefundJournal.
func (t *Till) refunds() RefundJournal { return t.cfg.Store }

// canStartRefund: a return is a receipt of its own, so nothing may be pending or being built.
func (t *Till) canStartRefund() error {
	if t.pending != nil {
		return pos.ErrSalePending
	}
	if !t.cart.Empty() {
		return pos.ErrCartNotEmpty
	}
	return nil
}

// StartRefund reads a receipt's QR code, finds its sale in the journal and returns the return to prepare,
// every quantity 0. A receipt this journal does not have gives ErrReceiptNotFound: the goods can then be
// returned without it (StartRefundWithoutReceipt). The QR must be a sale's (n=1) whose fiscal sign and
// total match the journal's, and something of it must be left to return.
func (t *Till) StartRefund(qr string) (*Refund, error) {
	if err := t.canStartRefund(); err != nil {
		return nil, err
	}
	code, err := t.cfg.Classifier.Classify(qr)
	if err != nil {
		return nil, err
	}
	q := code.Receipt
	if code.Kind != barcode.KindReceiptQR || q == nil {
		return nil, fmt.Errorf("%w: %v %s", pos.ErrNotReceiptQR, code.Kind, code.Raw)
	}
	if k, ok := q.SaleKind(); !ok || k != pos.KindSale {
		return nil, fmt.Errorf("%w: the QR's признак расчета is %d", pos.ErrNotASaleReceipt, q.Kind)
	}
	orig, found, err := t.refunds().SaleByReceipt(q.FN, q.FD)
	if err != nil {
		return nil, fmt.Errorf("find the receipt: %w", err)
	}
	switch {
	case !found:
		return nil, fmt.Errorf("%w: ФН %s ФД %d", pos.ErrReceiptNotFound, q.FN, q.FD)
	case orig.Kind != pos.KindSale:
		return nil, fmt.Errorf("%w: ФД %d is a refund", pos.ErrNotASaleReceipt, q.FD)
	case orig.Status != pos.SaleFiscalised || orig.Fiscal == nil:
		return nil, fmt.Errorf("%w: sale %s is %s", pos.ErrOriginalNotFiscalised, orig.ID, orig.Status)
	case orig.Fiscal.FiscalSign != q.FP || orig.Total != q.Total:
		return nil, fmt.Errorf("%w: ФД %d: QR fp %d s %s, journal fp %d s %s", pos.ErrReceiptMismatch, q.FD,
			q.FP, q.Total.Plain(), orig.Fiscal.FiscalSign, orig.Total.Plain())
	}
	r, err := t.refundOf(orig)
	if err != nil {
		return nil, err
	}
	for _, l := range r.Lines {
		if l.Left() > 0 {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%w: sale %s", pos.ErrAlreadyRefunded, orig.ID)
}

// refundOf builds the return of a journalled sale from the journal's refunds of it.
func (t *Till) refundOf(orig pos.Sale) (*Refund, error) {
	earlier, err := t.refunds().RefundsOf(orig.ID)
	if err != nil {
		return nil, fmt.Errorf("read the refunds of sale %s: %w", orig.ID, err)
	}
	qty, sum, err := pos.RefundedLines(orig, earlier)
	if err != nil {
		return nil, err
	}
	r := &Refund{Original: &orig, Lines: make([]RefundLine, len(orig.Lines)), PaidBack: map[pos.PaymentMethod]pos.Money{
		pos.PayCash:    orig.Paid(pos.PayCash) - orig.Change,
		pos.PayCard:    orig.Paid(pos.PayCard),
		pos.PayPrepaid: orig.Paid(pos.PayPrepaid),
	}}
	for i, l := range orig.Lines {
		r.Lines[i] = RefundLine{Line: l, Refunded: qty[i], refundedSum: sum[i]}
	}
	for _, e := range earlier {
		for _, p := range e.Payments {
			r.PaidBack[p.Method] -= p.Amount
		}
	}
	return r, nil
}

// StartRefundWithoutReceipt begins a return of goods the cashier scans (AddToRefund), for a customer
// without the receipt or with one of another till.
func (t *Till) StartRefundWithoutReceipt() (*Refund, error) {
	if err := t.canStartRefund(); err != nil {
		return nil, err
	}
	return &Refund{}, nil
}

// AddToRefund adds a scanned product to a return without the receipt (qty 0 means one piece; a weight
// label brings its weight) at its catalog price, which SetPrice can change to the paper receipt's. A
// marked product needs the DataMatrix of its pack (a *pos.MarkingNeeded asks for it), which goes back with
// the line. It returns the index of the new line.
func (t *Till) AddToRefund(r *Refund, text string, qty pos.Qty) (int, error) {
	if r.Original != nil {
		return -1, fmt.Errorf("%w: the return of a receipt has the receipt's lines", pos.ErrRefundExceeds)
	}
	code, err := t.cfg.Classifier.Classify(text)
	if err != nil {
		return -1, err
	}
	var p pos.Product
	switch code.Kind {
	case barcode.KindWeight:
		if p, err = t.cfg.Store.ProductByPLU(code.Item); err == nil && qty == 0 {
			qty, err = labelQty(p, code)
		}
	case barcode.KindArticle:
		p, err = t.findArticle(code.Raw)
	case barcode.KindReceiptQR:
		return -1, fmt.Errorf("%w: a receipt QR, not a product", pos.ErrUnknownBarcode)
	default:
		p, err = t.productByGTIN(code.GTIN)
	}
	if errors.Is(err, pos.ErrProductNotFound) {
		return -1, fmt.Errorf("%w: %s", pos.ErrUnknownBarcode, code.Raw)
	}
	if err != nil {
		return -1, err
	}
	line := pos.Line{ProductID: p.ID, Name: p.Name, Barcode: code.Raw, Price: p.Price, Unit: p.Unit, VAT: p.VAT}
	if code.Kind == barcode.KindMarking {
		line.Barcode = ean(p, code.GTIN)
	}
	if p.Marked {
		if code.Kind != barcode.KindMarking || code.Marking == nil || code.Marking.Crypto == "" && code.Marking.Verify == "" {
			return -1, fmt.Errorf("%w: return of %s", &pos.MarkingNeeded{Product: p}, p.Name)
		}
		for _, l := range r.Lines {
			if l.Line.Marking != "" && markingID(l.Line.Marking) == markingID(code.Raw) {
				return -1, fmt.Errorf("%w: %s", pos.ErrMarkingDuplicate, p.Name)
			}
		}
		line.Marking = code.Raw
	}
	if qty == 0 && p.Weighed() {
		return -1, fmt.Errorf("%w: %s", pos.ErrNeedsWeight, p.Name)
	}
	if qty == 0 {
		qty = pos.QtyOne
	}
	r.Lines = append(r.Lines, RefundLine{Line: line, free: true})
	if err := r.SetQty(len(r.Lines)-1, qty); err != nil {
		r.Lines = r.Lines[:len(r.Lines)-1]
		return -1, err
	}
	return len(r.Lines) - 1, nil
}
