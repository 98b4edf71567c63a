package kkt

import (
	"fmt"
	"time"
)

// ReceiptKind is the receipt type of command 0x8D.
type ReceiptKind byte

// Receipt kinds.
const (
	Sale           ReceiptKind = 0
	Purchase       ReceiptKind = 1
	SaleReturn     ReceiptKind = 2
	PurchaseReturn ReceiptKind = 3
)

// Tax-rate byte of FF46 (a bitmask in the vendor's driver).
const (
	TaxVAT20     byte = 0x01
	TaxVAT10     byte = 0x02
	TaxVAT0      byte = 0x04
	TaxNone      byte = 0x08
	TaxVAT20_120 byte = 0x10
	TaxVAT10_110 byte = 0x20
	TaxVAT22     byte = 0xCB
	TaxVAT22_122 byte = 0xCC
)

// Operation types of FF46 (tag 1054).
const (
	OpIncome        byte = 1 // приход
	OpIncomeReturn  byte = 2 // возврат прихода
	OpExpense       byte = 3 // расход
	OpExpenseReturn byte = 4 // возврат расхода
)

// Payment methods of FF46 (tag 1214).
const (
	MethodFullPrepayment byte = 1 // предоплата 100 %
	MethodPrepayment     byte = 2 // предоплата
	MethodAdvance        byte = 3 // аванс
	MethodFull           byte = 4 // полный расчёт
	MethodPartialCredit  byte = 5 // частичный расчёт и кредит
	MethodCredit         byte = 6 // передача в кредит
	MethodCreditPayment  byte = 7 // оплата кредита
)

// Indexes of Close.Payments.
const (
	PayCash       = 0  // наличными
	PayElectronic = 1  // безналичными (2–12 are other electronic kinds)
	PayPrepaid    = 13 // зачёт предоплаты (аванса)
	PayCredit     = 14 // постоплата (кредит)
	PayCounter    = 15 // встречное предоставление
)

// Modes of the short status (low nibble of the mode byte).
const (
	ModeShiftOpen    = 2
	ModeShiftExpired = 3
	ModeShiftClosed  = 4
	ModeReceiptOpen  = 8
)

// SumByDevice in Item.Sum lets the device compute price × quantity.
const SumByDevice int64 = -1

// DeviceInfo is the answer of 0xFC.
type DeviceInfo struct {
	Type, Subtype, ProtocolVersion, ProtocolSubversion, Model, Language byte
	Name                                                                string
}

// ShortStatus is the answer of 0x10.
type ShortStatus struct {
	Operator       byte
	Flags          uint16
	RawMode        byte // mode in the low nibble, its sub-status in the high nibble
	Submode        byte
	Operations     uint16 // operations in the open receipt
	BatteryVoltage byte
	PowerVoltage   byte
	FMError        byte
	EJError        byte
}

// Mode is the device mode (ModeShiftOpen, ModeReceiptOpen …).
func (s ShortStatus) Mode() byte { return s.RawMode & 0x0F }

// ModeStatus is the mode's sub-status; in mode 8 the open receipt's ReceiptKind.
func (s ShortStatus) ModeStatus() byte { return s.RawMode >> 4 }

func decodeShortStatus(b []byte) (ShortStatus, error) {
	if len(b) < 11 {
		return ShortStatus{}, fmt.Errorf("%w: short status of %d bytes", ErrBadFrame, len(b))
	}
	return ShortStatus{
		Operator: b[0], Flags: uint16(le(b[1:3])), RawMode: b[3], Submode: b[4],
		Operations:     uint16(b[5]) | uint16(b[10])<<8,
		BatteryVoltage: b[6], PowerVoltage: b[7], FMError: b[8], EJError: b[9],
	}, nil
}

// FNStatus is the answer of FF01.
type FNStatus struct {
	Phase      byte // bit0 configured, bit1 fiscal mode open, bit2 fiscal mode closed, bit3 archive sent
	CurrentDoc byte // open FN document: 0 none, 4 receipt …
	DocData    byte
	ShiftOpen  bool
	Warnings   byte
	Time       time.Time
	Serial     string
	LastFD     uint32
}

func decodeFNStatus(b []byte, loc *time.Location) (FNStatus, error) {
	if len(b) < 30 {
		return FNStatus{}, fmt.Errorf("%w: FN status of %d bytes", ErrBadFrame, len(b))
	}
	t, err := parseDateTime(b[5:10], loc)
	if err != nil {
		return FNStatus{}, err
	}
	return FNStatus{
		Phase: b[0], CurrentDoc: b[1], DocData: b[2], ShiftOpen: b[3] == 1, Warnings: b[4], Time: t,
		Serial: string(b[10:26]), LastFD: uint32(le(b[26:30])),
	}, nil
}

// Item is one receipt position (FF46).
type Item struct {
	Op            byte  // operation type, OpIncome by default
	Qty           int64 // thousandths: 1 piece = 1000, 0.512 kg = 512
	Price         int64 // kopecks
	Sum           int64 // kopecks, or SumByDevice
	Tax           byte  // FF46 tax-rate byte (TaxVAT20 …)
	Dept          byte
	PaymentMethod byte // tag 1214, 4 (полный расчёт) by default
	PaymentObject byte // tag 1212, 1 (товар) by default
	Name          string
}

// MaxNameBytes is the longest FF46 item name in cp1251 bytes.
const MaxNameBytes = 128

// Close is the closing of a receipt (FF45).
type Close struct {
	Payments  [16]int64 // kopecks by index: PayCash, PayElectronic, PayPrepaid …
	Rounding  byte      // kopecks rounded off the total
	Taxes     [6]int64  // НДС 20, 10, 0 turnover, без НДС turnover, 20/120, 10/110
	TaxSystem byte      // bitmask, 1 (ОСН) by default
	Text      string    // up to 64 bytes
}

// Closed is the answer of FF45.
type Closed struct {
	Change     int64
	FDNumber   uint32
	FiscalSign uint32
	Time       time.Time // zero unless the device sends extended answers
}

// Document is a fiscal document found in the FN (FF0A).
type Document struct {
	Type       byte // 1 registration, 2 shift open, 3 receipt, 5 shift close …
	OFDAck     bool
	Time       time.Time
	FDNumber   uint32
	FiscalSign uint32
	OpType     byte  // receipts only
	Sum        int64 // receipts only, kopecks
}

// Document types of FF0A.
const (
	DocRegistration = 1
	DocShiftOpen    = 2
	DocReceipt      = 3
	DocShiftClose   = 5
)

func decodeDocument(b []byte, loc *time.Location) (Document, error) {
	if len(b) < 15 {
		return Document{}, fmt.Errorf("%w: document of %d bytes", ErrBadFrame, len(b))
	}
	t, err := parseDateTime(b[2:7], loc)
	if err != nil {
		return Document{}, err
	}
	d := Document{Type: b[0], OFDAck: b[1] != 0, Time: t, FDNumber: uint32(le(b[7:11])), FiscalSign: uint32(le(b[11:15]))}
	if d.Type == DocReceipt || d.Type == 4 {
		if len(b) < 21 {
			return Document{}, fmt.Errorf("%w: receipt document of %d bytes", ErrBadFrame, len(b))
		}
		d.OpType, d.Sum = b[15], int64(le(b[16:21]))
	}
	return d, nil
}
