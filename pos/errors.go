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
