package pos

import (
	"errors"
	"fmt"
)

// Errors of returns (возврат прихода). The UI maps each to a message in Russian.
var (
	// ErrNotReceiptQR: the text is not a ФНС receipt QR code (t=…&s=…&fn=…&i=…&fp=…&n=…).
	ErrNotReceiptQR = errors.New("not a receipt QR code")
	// ErrReceiptNotFound: the scanned receipt is not in this till's journal (sold at another till, or
	// before the journal existed). The goods can still be returned without the original (без чека).
	ErrReceiptNotFound = errors.New("receipt not found in this till's journal")
	// ErrReceiptMismatch: the journal has a receipt with this ФН and ФД number, but its fiscal sign or
	// total differ from the QR's: a forged or misprinted receipt.
	ErrReceiptMismatch = errors.New("receipt QR does not match the journal")
	// ErrNotASaleReceipt: the QR is of a refund (or another kind of receipt), which cannot be returned.
	ErrNotASaleReceipt = errors.New("not a sale receipt")
	// ErrOriginalNotFiscalised: the original sale was cancelled or is still pending.
	ErrOriginalNotFiscalised = errors.New("original sale is not fiscalised")
	// ErrAlreadyRefunded: every line of the original has been returned already.
	ErrAlreadyRefunded = errors.New("sale already refunded in full")
	// ErrRefundExceeds: more would be returned than was sold (counting earlier returns).
	ErrRefundExceeds = errors.New("refund exceeds what was sold")
	// ErrNothingToRefund: no line has a quantity to return.
	ErrNothingToRefund = errors.New("nothing chosen to refund")
	// ErrRefundTender: the money would go back another way, or more of it, than the sale was paid.
	ErrRefundTender = errors.New("refund tender does not match how the sale was paid")
	// ErrCartNotEmpty: a receipt is being built; finish or defer it before a return.
	ErrCartNotEmpty = errors.New("a receipt is in progress")
)

// RefundedLines sums what the refunds of orig took back, line by line. A refund of a journalled sale keeps
// the original's lines in their order, each with the quantity and the sum returned (0 for a line not
// returned), so line i of every refund counts against line i of the original. Cancelled refunds count for
// nothing. A refund of another sale, or one whose lines do not follow the original's, is an error.
func RefundedLines(orig Sale, refunds []Sale) (qty []Qty, sum []Money, err error) {
	qty, sum = make([]Qty, len(orig.Lines)), make([]Money, len(orig.Lines))
	for _, r := range refunds {
		if r.Status == SaleCancelled {
			continue
		}
		if r.Kind != KindRefund || r.RefundOf != orig.ID || len(r.Lines) != len(orig.Lines) {
			return nil, nil, fmt.Errorf("sale %s is not a refund that follows the lines of sale %s", r.ID, orig.ID)
		}
		for i, l := range r.Lines {
			if l.ProductID != orig.Lines[i].ProductID {
				return nil, nil, fmt.Errorf("refund %s line %d is %s, sale %s line %d is %s",
					r.ID, i+1, l.ProductID, orig.ID, i+1, orig.Lines[i].ProductID)
			}
			if l.Cancelled || l.Qty <= 0 {
				continue
			}
			qty[i] += l.Qty
			sum[i] += l.Sum
		}
	}
	return qty, sum, nil
}
