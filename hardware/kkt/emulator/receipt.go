package emulator

import (
	"math/big"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

func (d *Device) openReceipt(c *call, p []byte) ([]byte, byte) {
	if len(p) < 1 || p[0] > 3 {
		return nil, errBadParams
	}
	if d.st.Receipt != nil {
		return nil, errReceiptOpen
	}
	if code := d.saleModeError(c, false); code != 0 {
		return nil, code
	}
	d.startReceipt(c, p[0])
	return []byte{c.op}, 0
}

func (d *Device) startReceipt(c *call, kind byte) {
	d.st.Receipt = &Receipt{Kind: kind, Operator: c.op, TLV: d.takePendingTLV(c)}
	c.changed = true
	d.printReceiptHeader(c)
}

// opKinds maps the FF46 operation type (1054) to the receipt kind it opens.
var opKinds = map[byte]byte{1: 0, 2: 2, 3: 1, 4: 3}

func (d *Device) operation(c *call, p []byte) ([]byte, byte) {
	if len(p) < 26 || len(p) > 26+kkt.MaxNameBytes {
		return nil, errBadParams
	}
	kind, ok := opKinds[p[0]]
	if !ok {
		return nil, errBadParams
	}
	if code := d.saleModeError(c, true); code != 0 {
		return nil, code
	}
	if _, ok := taxRates[p[22]]; !ok {
		return nil, errBadParams
	}
	qty, price := int64(le(p[1:7])), int64(le(p[7:12]))
	if qty == 0 {
		return nil, errBadParams
	}
	sum := itemSum(price, qty)
	if raw := p[12:17]; !allFF(raw) {
		given := int64(le(raw))
		if given-sum > 1 || sum-given > 1 {
			return nil, errBadParams
		}
		sum = given
	}
	if d.st.Receipt != nil && d.st.Receipt.Kind != kind {
		return nil, errInvalidOp
	}
	if code := d.markBeforeOperation(); code != 0 {
		return nil, code
	}
	if d.st.Receipt == nil {
		d.startReceipt(c, kind)
	}
	d.markAfterOperation()
	line := Line{Op: p[0], QtyMicro: qty, Price: price, Sum: sum, Tax: p[22], Dept: p[23], Method: p[24],
		Object: p[25], Name: kkt.DecodeText(p[26:])}
	d.st.Receipt.Lines = append(d.st.Receipt.Lines, line)
	d.st.Receipt.Total += sum
	c.changed = true
	d.printLine(c, line)
	return nil, 0
}

func allFF(b []byte) bool {
	for _, c := range b {
		if c != 0xFF {
			return false
		}
	}
	return true
}

// itemSum is price × qty/10^6 rounded half up, without overflow.
func itemSum(price, qtyMicro int64) int64 {
	v := new(big.Int).Mul(big.NewInt(price), big.NewInt(qtyMicro))
	v.Add(v, big.NewInt(500000))
	return v.Quo(v, big.NewInt(1000000)).Int64()
}

func (d *Device) closeReceipt(c *call, p []byte) ([]byte, byte) {
	if len(p) < 16*5+1+6*5+1 {
		return nil, errBadParams
	}
	r := d.st.Receipt
	if r == nil {
		return nil, errReceiptClosed
	}
	if d.expired(c.now) {
		return nil, errFNShiftExpired
	}
	var pays [16]int64
	var paid, nonCash, card int64
	for i := range pays {
		pays[i] = int64(le(p[i*5 : i*5+5]))
		paid += pays[i]
		if i > 0 {
			nonCash += pays[i]
		}
		if i > 0 && i < kkt.PayPrepaid {
			card += pays[i]
		}
	}
	due := r.Total - int64(p[80])
	if due < 0 || len(r.Lines) == 0 {
		return nil, errInvalidOp
	}
	if paid < due {
		return nil, errPaymentsShort
	}
	if nonCash > due { // change is given in cash only
		return nil, errBadParams
	}
	change := paid - due
	op := r.Lines[0].Op
	if (op == kkt.OpIncomeReturn || op == kkt.OpExpense) && pays[0]-change > d.st.Totals.Cash {
		return nil, errNoCash // money goes out of the drawer
	}
	doc := d.newDocument(c, kkt.DocReceipt, op, due)
	d.account(op, pays[0]-change, card, nonCash-card)
	d.printReceiptEnd(c, r, due, pays, change, p[111], doc)
	d.st.Receipt = nil
	d.resetMarking()
	b := putLE(nil, uint64(change), 5)
	b = putLE(b, uint64(doc.Number), 4)
	b = putLE(b, uint64(doc.FiscalSign), 4)
	return putDateTime(b, doc.Time), 0
}

// account moves the receipt's money into the counters; other is paid by prepayment, credit or counter-provision.
func (d *Device) account(op byte, cash, card, other int64) {
	t := &d.st.Totals
	t.ShiftReceipts++
	switch op {
	case 1, 4: // приход, возврат расхода: money comes in
		t.Cash += cash
		t.ShiftCash += cash
		t.ShiftCard += card
		t.ShiftPrepaid += other
		if op == 1 {
			t.ShiftIncome += cash + card + other
			t.GrandTotal += cash + card + other
		}
	default:
		t.Cash -= cash
		t.ShiftCash -= cash
		t.ShiftCard -= card
		t.ShiftPrepaid -= other
		if op == 2 {
			t.ShiftReturns += cash + card + other
		}
	}
}

func (d *Device) cancelReceipt(c *call, _ []byte) ([]byte, byte) {
	if d.st.Receipt == nil {
		return nil, errReceiptClosed
	}
	d.st.Receipt = nil
	d.resetMarking()
	c.changed = true
	d.printCancelled(c)
	return []byte{c.op}, 0
}
