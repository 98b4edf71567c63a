package fiscal

import (
	"fmt"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// A refund (pos.KindRefund) is fiscalised by Fiscalise like a sale, as a "возврат прихода" receipt: 0x8D
// type 2, every FF46 with operation 2, FF45 with the money paid back, and the same cancel-on-refusal logic.
// Its lines carry their marking codes as a sale's do. FindDocument tells the two kinds apart
// (pos.FiscalDocument.SaleReceipt / RefundReceipt), so recovery never takes one for the other.

// receiptKind is the 0x8D receipt type of a sale's kind; operation has checked the kind before.
func receiptKind(k pos.SaleKind) kkt.ReceiptKind {
	if k == pos.KindRefund {
		return kkt.SaleReturn
	}
	return kkt.Sale
}

// operation is the FF46 operation type (tag 1054) of a sale's kind.
func operation(k pos.SaleKind) (byte, error) {
	switch k {
	case pos.KindSale:
		return kkt.OpIncome, nil
	case pos.KindRefund:
		return kkt.OpIncomeReturn, nil
	}
	return 0, fmt.Errorf("receipt kind %q unknown to the register", k)
}

// prepaymentReturn reports whether a sale is the return of a prepayment (pos.PayOnline): a click&collect
// order's goods the customer refused, paid for online and never handed over. Such a receipt is a возврат
// прихода of the prepayment alone, so it takes no other tender, and no sale (приход) takes that tender.
func prepaymentReturn(s pos.Sale) (bool, error) {
	online := s.Paid(pos.PayOnline)
	switch {
	case online == 0:
		return false, nil
	case s.Kind != pos.KindRefund:
		return false, fmt.Errorf("the online tender only returns a prepayment, not on a %q receipt", s.Kind)
	case online != s.Paid(pos.PayCash)+s.Paid(pos.PayCard)+s.Paid(pos.PayPrepaid)+online:
		return false, fmt.Errorf("a prepayment's return takes no other tender")
	}
	return true, nil
}

// prepaymentMethod is tag 1214 of a position returning a prepayment: предоплата 100 % when the position goes
// back at its full price, предоплата when the order was prepaid in part and only a part of it goes back. The
// goods were never handed over, so no marking code goes with it.
func prepaymentMethod(i int, l pos.Line) (byte, error) {
	if l.Marking != "" {
		return 0, fmt.Errorf("line %d: a prepayment's return carries no marking code", i+1)
	}
	if l.Discount > 0 {
		return kkt.MethodPrepayment, nil
	}
	return kkt.MethodFullPrepayment, nil
}

// payments are the FF45 payment sums (PROTOCOLS.md §1.6): cash in slot 1 (what the customer handed over;
// the register works out the change), card in slot 2 (electronic), and what was paid before (a
// click&collect order paid online: pos.PayPrepaid) in slot 14, зачёт предоплаты. Every position keeps
// tag 1214 = 4, полный расчёт: the goods are handed over now, whatever paid for them. A refund pays back
// through the same slots; the return of a prepayment (pos.PayOnline) goes back электронными, in slot 2.
func payments(s pos.Sale) [16]int64 {
	var p [16]int64
	p[kkt.PayCash] = int64(s.Paid(pos.PayCash))
	p[kkt.PayElectronic] = int64(s.Paid(pos.PayCard) + s.Paid(pos.PayOnline))
	p[kkt.PayPrepaid] = int64(s.Paid(pos.PayPrepaid))
	return p
}
