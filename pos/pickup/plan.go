package pickup

import (
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// plan turns a verified order into the hand-over's receipts (PROTOCOLS.md §5.2, tags 1054, 1214, 1215):
//   - the settlement, приход with every position полный расчёт (1214 = 4), holds only the goods handed
//     over, at the order's prices; a marked line becomes one position per pack with its DataMatrix. It is
//     paid by the offset of the prepayment (1215) up to its value and the rest in cash or by card;
//   - the prepayment beyond the goods handed over goes back on a возврат прихода of the refused goods paid
//     back электронными to the customer's online payment (pos.PayOnline): each position предоплата 100 %
//     (1214 = 1) at its full price when the order was prepaid in full, or предоплата (1214 = 2) for the part
//     of its price the partial prepayment covered, which goes to the refused lines in their order. Its VAT
//     is the calculated rate (22/122, 20/120, 10/110) that a prepayment carries. No marking code goes with
//     it: the goods never changed hands.
func (v *Verification) plan(payments []pos.Payment) (pos.PickupHandover, error) {
	d := v.desk
	a := v.Amounts()
	h := pos.PickupHandover{Order: v.Order.ID, Number: v.Order.Number, Staff: d.cfg.Staff, Via: v.Via,
		ReadyAt: v.Order.ReadyAt, At: d.now(), Sale: d.cfg.NewID()}
	for _, l := range v.Lines {
		base := pos.Line{ProductID: l.ProductID, Name: l.Name, Barcode: l.Barcode, Price: l.Price, Unit: l.Unit, VAT: l.VAT}
		if q := l.ToHand(); q > 0 {
			if l.Marked {
				if len(l.Codes) != int(q/pos.QtyOne) {
					return h, fmt.Errorf("%w: %s: %d codes for %s pieces", pos.ErrNeedsMarking, l.Name, len(l.Codes), q)
				}
				for _, c := range l.Codes {
					m := base
					m.Qty, m.Sum, m.Marking = pos.QtyOne, l.Price, c
					h.SaleLines = append(h.SaleLines, m)
				}
			} else {
				m := base
				m.Qty, m.Sum = q, l.Price.Times(q)
				h.SaleLines = append(h.SaleLines, m)
			}
		}
		if l.Refused > 0 {
			h.Refused = append(h.Refused, pos.PickupRefusal{ProductID: l.ProductID, Name: l.Name, Qty: l.Refused, Reason: l.Reason})
		}
	}
	if a.Offset > 0 {
		h.Payments = append(h.Payments, pos.Payment{Method: pos.PayPrepaid, Amount: a.Offset})
	}
	h.Payments = append(h.Payments, payments...)
	if a.Refund > 0 {
		h.Refund = d.cfg.NewID()
		left := a.Refund
		for _, l := range v.Lines {
			if l.Refused == 0 || left == 0 {
				continue
			}
			value := l.Price.Times(l.Refused)
			part := min(left, value)
			left -= part
			h.RefundLines = append(h.RefundLines, pos.Line{ProductID: l.ProductID, Name: l.Name, Barcode: l.Barcode,
				Price: l.Price, Qty: l.Refused, Unit: l.Unit, VAT: prepaymentRate(l.VAT), Sum: part, Discount: value - part})
		}
		if left != 0 {
			return h, fmt.Errorf("pickup order %s: %s of the prepayment is not on a refused line", v.Order.Number, left)
		}
	}
	return h, nil
}

// prepaymentRate is the calculated VAT rate of a prepayment for goods of rate r (НК РФ ст. 164 п. 4).
func prepaymentRate(r pos.VATRate) pos.VATRate {
	switch r {
	case pos.VAT22:
		return pos.VAT22_122
	case pos.VAT20:
		return pos.VAT20_120
	case pos.VAT10:
		return pos.VAT10_110
	}
	return r
}

// resumeFrom shows an unfinished hand-over's plan on its lines: what it hands over is scanned, what it
// refuses is refused.
func (v *Verification) resumeFrom(h pos.PickupHandover) {
	v.Resume, v.resumed = &h, true
	refused := map[string]pos.Qty{}
	for _, r := range h.Refused {
		refused[r.ProductID] += r.Qty
	}
	for i := range v.Lines {
		l := &v.Lines[i]
		l.Refused = min(refused[l.ProductID], l.Qty)
		refused[l.ProductID] -= l.Refused
		l.Scanned = l.ToHand()
	}
}

// Slip is what the pickup slip prints: the acknowledgment that the customer got the order.
type Slip struct {
	Number   string
	Customer string
	Staff    string
	HandedAt time.Time
	Lines    []pos.Line // the goods handed over (one per pack of marked goods)
	Refused  []pos.PickupRefusal
	Total    pos.Money // value of the goods handed over
	Offset   pos.Money // paid by the prepayment
	Paid     pos.Money // paid at the desk
	Change   pos.Money
	Refund   pos.Money // the prepayment going back to the customer's online payment
	SaleFD   uint32
	RefundFD uint32
}

// Slip lays out the slip of a finished hand-over of the order.
func (r Result) Slip(o Order) Slip {
	h := r.Handover
	s := Slip{Number: h.Number, Customer: o.Customer, Staff: h.Staff, HandedAt: h.DoneAt, Lines: h.SaleLines,
		Refused: h.Refused, Total: h.Amount(), Change: r.Change}
	for _, p := range h.Payments {
		if p.Method == pos.PayPrepaid {
			s.Offset += p.Amount
		} else {
			s.Paid += p.Amount
		}
	}
	if r.Sale.Fiscal != nil {
		s.SaleFD = r.Sale.Fiscal.FDNumber
	}
	if r.Refund != nil {
		s.Refund = r.Refund.Total
		if r.Refund.Fiscal != nil {
			s.RefundFD = r.Refund.Fiscal.FDNumber
		}
	}
	return s
}
