package pos

import "errors"

// Errors a cashier can meet. The UI maps each to a message in Russian; wrap them with %w to add context.
var (
	ErrUnknownBarcode  = errors.New("unknown barcode")
	ErrInvalidBarcode  = errors.New("invalid barcode")
	ErrProductNotFound = errors.New("product not found")
	ErrEmptyCart       = errors.New("cart is empty")
	ErrLineNotFound    = errors.New("no such line")
	ErrLineCancelled   = errors.New("line already cancelled")
	ErrBadQuantity     = errors.New("bad quantity")
	ErrBadDiscount     = errors.New("discount exceeds the sum")
	ErrUnderpaid       = errors.New("payments do not cover the total")
	ErrCardOverpay     = errors.New("card payment exceeds the amount due")
	ErrBadTender       = errors.New("bad tender")
	ErrShiftClosed     = errors.New("shift is closed")
	ErrShiftOpen       = errors.New("shift is already open")
	ErrShiftExpired    = errors.New("shift is older than 24 hours")
	ErrNoDeferred      = errors.New("no such deferred receipt")
	// ErrNeedsWeight: a weighed product was chosen without a weight (no label, no n*): weigh it.
	ErrNeedsWeight = errors.New("weighed product needs a weight")
	// Scale errors, as the domain sees them.
	ErrScaleUnstable = errors.New("scale: weight not stable")
	ErrScaleOverload = errors.New("scale: overload or negative weight")
	ErrScaleOffline  = errors.New("scale not responding")
)

// Errors of marked goods (ФФД 1.2, Честный знак) and of the electronic receipt.
var (
	// ErrNeedsMarking: a marked product was scanned by its EAN or picked in search: scan the DataMatrix on
	// its pack (a *MarkingNeeded names the product).
	ErrNeedsMarking = errors.New("marked product needs its marking code")
	// ErrMarkingDuplicate: this marking code is on the receipt already; every pack has its own.
	ErrMarkingDuplicate = errors.New("marking code already on the receipt")
	// ErrMarkingLimit: the ФН checks at most 128 marking codes per receipt.
	ErrMarkingLimit = errors.New("too many marking codes on one receipt")
	// ErrMarkingMismatch: the marking code scanned belongs to another product than the one asked for.
	ErrMarkingMismatch = errors.New("marking code of another product")
	// ErrMarkedQuantity: marked goods are sold one scanned code per piece (no n*, no weight).
	ErrMarkedQuantity = errors.New("marked goods are sold one code per piece")
	// ErrMarkingRejected: the register refused a marking code (a *MarkingError says why).
	ErrMarkingRejected = errors.New("marking code rejected")
	// ErrBadBuyerContact: not a Russian mobile phone nor an e-mail address for the electronic receipt.
	ErrBadBuyerContact = errors.New("not a phone number or e-mail")
)

// MarkingNeeded is ErrNeedsMarking for one product, so the till can ask for the code on that product's pack.
type MarkingNeeded struct{ Product Product }

func (e *MarkingNeeded) Error() string {
	return "marked product needs its marking code: " + e.Product.Name
}

func (e *MarkingNeeded) Unwrap() error { return ErrNeedsMarking }

// MarkingError is a marking code the register refused to sell: the ФН found the code wrong, or Честный знак
// forbids the sale. It unwraps to ErrMarkingRejected; the adapter wraps it in ErrNotFiscalised.
type MarkingError struct {
	Line   int    // index of the line in Sale.Lines (the cart's line)
	Name   string // the product
	Code   string // the marking code as scanned
	Reason string // why, in Russian, for the cashier
	Result byte   // tag 2106 as the register answered
}

func (e *MarkingError) Error() string { return "marking code of " + e.Name + " rejected: " + e.Reason }

func (e *MarkingError) Unwrap() error { return ErrMarkingRejected }

// Errors of the fiscal register, as the domain sees them. The adapter in pos/fiscal maps the device's own
// codes onto these and onto *RegisterError, so the UI can say what happened without knowing the protocol.
var (
	// ErrNotFiscalised: the register refused or dropped the receipt and provably holds no fiscal document
	// for it; the sale can be tried again.
	ErrNotFiscalised = errors.New("receipt was not fiscalised")
	// ErrOutcomeUnknown: the register may or may not have fiscalised the receipt (the answer was lost).
	// The sale stays pending until the register is asked; it is never fiscalised a second time blindly.
	ErrOutcomeUnknown = errors.New("fiscalisation outcome unknown")
	// ErrRegisterOffline: the register does not answer (cable, power, port).
	ErrRegisterOffline = errors.New("fiscal register not responding")
	// ErrPaperOut: the register or printer has no paper.
	ErrPaperOut = errors.New("out of paper")
	// ErrSalePending: a previous sale is not resolved with the register yet; nothing else may be sold.
	ErrSalePending = errors.New("previous sale is not resolved")
)

// RegisterError is a refusal by the fiscal register with its own code and a Russian explanation from the
// driver. It unwraps to one of the sentinels above when one applies (errors.Is(err, ErrPaperOut)).
type RegisterError struct {
	Op   string // what the till asked for, e.g. "close receipt"
	Code int    // the device's error code
	Text string // the device's message in Russian
	Kind error  // a sentinel of this package, or nil
}

func (e *RegisterError) Error() string {
	return "register refused " + e.Op + ": code " + hex2(e.Code)
}

func (e *RegisterError) Unwrap() error { return e.Kind }

func hex2(v int) string {
	const digits = "0123456789ABCDEF"
	return "0x" + string(digits[(v>>4)&0xF]) + string(digits[v&0xF])
}
