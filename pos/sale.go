package pos

import "time"

// SaleStatus is where a sale stands in the durability order of DESIGN.md.
type SaleStatus string

const (
	// SalePending: written to the journal, the ККТ may or may not have fiscalised it yet.
	SalePending SaleStatus = "pending"
	// SaleFiscalised: the ККТ gave it a fiscal sign; its outbox event was written in the same transaction.
	SaleFiscalised SaleStatus = "fiscalised"
	// SaleCancelled: never fiscalised (the receipt was cancelled on the device or never reached it).
	SaleCancelled SaleStatus = "cancelled"
)

// Line is one row of a receipt.
type Line struct {
	ProductID   string
	Name        string
	Barcode     string // the code that was scanned, if any
	Price       Money  // unit price before discounts
	Qty         Qty
	Unit        Unit
	VAT         VATRate
	Discount    Money // the line's own discount plus its share of the receipt discount
	Sum         Money // Price × Qty − Discount
	Cancelled   bool  // сторно: stays on screen, never fiscalised
	CancelledAt time.Time
	// Marking is the unit's marking code (the DataMatrix as scanned, GS separators kept) of a marked product;
	// such a line is always one piece.
	Marking string
	// Offer is the text of the customer's personal offer whose discount is inside Discount ("−10 % на
	// молоко"): the receipt prints it under the position, which shows only the discounted price.
	Offer string
}

// PaymentMethod is a tender.
type PaymentMethod string

const (
	PayCash PaymentMethod = "cash"
	PayCard PaymentMethod = "card"
	// PayPrepaid settles a line paid before (a click&collect order paid online): признак способа расчета
	// 1214 = 4 "полный расчет" with the sum in the receipt's prepayment (зачет аванса) slot.
	PayPrepaid PaymentMethod = "prepaid"
)

// SaleKind is the признак расчета (tag 1054) of a receipt.
type SaleKind string

const (
	KindSale   SaleKind = ""       // приход: the default, what a till sells
	KindRefund SaleKind = "refund" // возврат прихода: goods brought back
)

// Payment is one tender of a sale. A cash payment may exceed what it pays for; the excess is change.
type Payment struct {
	Method PaymentMethod
	Amount Money
	// Approval is the bank's authorisation code or RRN of a card payment, as the bank terminal printed it
	// (entered by the cashier with a standalone terminal).
	Approval string
}

// FiscalResult is what the ККТ answers for a fiscalised receipt: what the ФНС receipt QR is made of.
type FiscalResult struct {
	FDNumber   uint32    // номер фискального документа
	FiscalSign uint32    // фискальный признак документа (ФПД)
	FNSerial   string    // заводской номер ФН, 16 digits
	At         time.Time // date and time as the ККТ recorded it
	Shift      int
}

// Sale is a receipt from the moment it is paid. It is written to the journal as pending before the ККТ is
// touched, and its ID (a UUIDv7) is the idempotency key all the way to the backend.
type Sale struct {
	ID        string
	Terminal  string
	Cashier   string
	Shift     int
	CreatedAt time.Time
	Lines     []Line // cancelled lines included, as they were on the screen
	Total     Money
	VAT       []VATAmount
	Payments  []Payment
	Change    Money
	Status    SaleStatus
	FDBefore  uint32 // the FN's last document number just before fiscalisation: how recovery knows
	Fiscal    *FiscalResult
	Note      string // why a sale was cancelled or how it was recovered
	Kind      SaleKind
	RefundOf  string      // a refund's original sale id, when the original is in this journal
	Buyer     string      // the buyer's phone (+7…) or e-mail for an electronic receipt (tag 1008)
	Loyalty   SaleLoyalty // the loyalty customer and the points the sale moved; zero without a customer
	Offers    []SaleOffer // the customer's personal offers the sale applied, for the backend's accounting
}

// ActiveLines returns the lines that go on the fiscal receipt.
func (s Sale) ActiveLines() []Line {
	out := make([]Line, 0, len(s.Lines))
	for _, l := range s.Lines {
		if !l.Cancelled && l.Qty > 0 {
			out = append(out, l)
		}
	}
	return out
}

// Paid returns the sum of the tenders of one method.
func (s Sale) Paid(m PaymentMethod) Money {
	var t Money
	for _, p := range s.Payments {
		if p.Method == m {
			t += p.Amount
		}
	}
	return t
}

// Shift is a cashier's shift (смена) as the till records it.
type Shift struct {
	Number   int
	Cashier  string
	OpenedAt time.Time
	ClosedAt time.Time // zero while open
}

// Open reports whether the shift has not been closed.
func (s Shift) Open() bool { return !s.OpenedAt.IsZero() && s.ClosedAt.IsZero() }

// MaxShiftLength is the 54-ФЗ limit: a shift older than this allows only the Z report.
const MaxShiftLength = 24 * time.Hour

// DeferredReceipt is a cart put aside (отложенный чек) to serve the next customer, recalled later.
type DeferredReceipt struct {
	ID              string
	SavedAt         time.Time
	Lines           []Line
	ReceiptDiscount Money
}
