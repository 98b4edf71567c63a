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

// payments are the FF45 payment sums (PROTOCOLS.md §1.6): cash in slot 1 (what the customer handed over;
// the register works out the change), card in slot 2 (electronic), and what was paid before (a
// click&collect order paid online: pos.PayPrepaid) in slot 14, зачёт предоплаты. Every position keeps
// tag 1214 = 4, полный расчёт: the goods are handed over now, whatever paid for them. A refund pays back
// through the same slots.
func payments(s pos.Sale) [16]int64 {
	var p [16]int64
	p[kkt.PayCash] = int64(s.Paid(pos.PayCash))
	p[kkt.PayElectronic] = int64(s.Paid(pos.PayCard))
	p[kkt.PayPrepaid] = int64(s.Paid(pos.PayPrepaid))
	return p
}
