package pos

import "time"

// RegisterState is what the till needs to know of the fiscal register (ККТ with its ФН) before and after
// a sale.
type RegisterState struct {
	ShiftOpen    bool
	ShiftExpired bool // open for more than 24 hours: only the Z report is allowed
	ReceiptOpen  bool // a receipt is open on the device (a crash or an error in the middle of one)
	PaperOut     bool // the receipt roll is out (or printing stopped for want of paper)
	LastFD       uint32
	FNSerial     string
	Time         time.Time
	Warnings     []string // ФН warnings in Russian (replace soon, archive nearly full, ОФД not reached)
}

// FiscalDocument is a document found in the ФН archive by its number.
type FiscalDocument struct {
	FDNumber    uint32
	FiscalSign  uint32
	At          time.Time
	SaleReceipt bool  // a receipt with признак расчета "приход"
	Sum         Money // the receipt's total
	// RefundReceipt: a receipt with признак расчета "возврат прихода"; recovery matches it to refunds only.
	RefundReceipt bool
}
