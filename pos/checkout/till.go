package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/cart"
)

// Till is one checkout: its cart, its shift and its register. Its methods are called from one goroutine
// at a time (the UI serialises them); the blocking ones take a context.
type Till struct {
	cfg     Config
	cart    *cart.Cart
	shift   pos.Shift
	cashier string       // the logged-in cashier (cashier.go); "" means the shift's
	pending *pos.Sale    // a sale whose outcome the register has not told yet
	buyer   string       // the electronic receipt's contact for the sale being built (SetBuyer)
	loy     loyaltyState // the loyalty customer of the sale being built and the points spent (loyalty.go)
	ageOK   bool         // the cashier checked the buyer's document for this receipt's 18+ goods (age.go)
	// declineAge: the cashier answered "no" to a basket's age question; its 18+ items are skipped (age.go).
	declineAge bool
}

// New returns a till. Call Recover before selling.
func New(cfg Config) *Till {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Notify == nil {
		cfg.Notify = func() {}
	}
	if cfg.Step == nil {
		cfg.Step = func(Step) {}
	}
	return &Till{cfg: cfg, cart: cart.New()}
}

// Cart is the receipt being built. Read it freely; change it through the Till's methods where one exists.
func (t *Till) Cart() *cart.Cart { return t.cart }

// Shift returns the current shift and whether it is open.
func (t *Till) Shift() (pos.Shift, bool) { return t.shift, t.shift.Open() }

// ShiftExpired reports whether the open shift is older than 24 hours (only the Z report is allowed).
func (t *Till) ShiftExpired() bool {
	return t.shift.Open() && t.cfg.Now().Sub(t.shift.OpenedAt) >= pos.MaxShiftLength
}

// Pending returns the sale that waits for the register to tell its outcome, if any.
func (t *Till) Pending() (pos.Sale, bool) {
	if t.pending == nil {
		return pos.Sale{}, false
	}
	return *t.pending, true
}

// ScanResult says what a scan did.
type ScanResult struct {
	Line    int // index of the cart line that changed
	Product pos.Product
	Code    barcode.Code
	Basket  *BasketResult // what a basket QR added; nil for other codes
}

// Scan classifies scanned or typed text, finds the product and adds qty of it (0 means one piece; a
// weight label brings its own weight). Unknown and invalid codes leave the cart as it was. A marked
// product's EAN gives a *pos.MarkingNeeded: the cashier scans the pack's DataMatrix next, which Scan (or
// ScanMarking) adds as a line of one piece carrying the code.
func (t *Till) Scan(text string, qty pos.Qty) (ScanResult, error) {
	code, err := t.cfg.Classifier.Classify(text)
	if err != nil {
		return ScanResult{}, err
	}
	if code.Kind == barcode.KindMarking {
		return t.scanMarking(code, qty, nil)
	}
	if code.Kind == barcode.KindBasketQR {
		return t.scanBasket(code)
	}
	var p pos.Product
	switch code.Kind {
	case barcode.KindWeight:
		p, err = t.cfg.Store.ProductByPLU(code.Item)
		if err == nil {
			qty, err = labelQty(p, code)
		}
	case barcode.KindArticle:
		p, err = t.findArticle(code.Raw)
	default:
		p, err = t.cfg.Store.ProductByBarcode(code.GTIN)
		if errors.Is(err, pos.ErrProductNotFound) && code.GTIN != code.Raw {
			p, err = t.cfg.Store.ProductByBarcode(code.Raw)
		}
	}
	if errors.Is(err, pos.ErrProductNotFound) {
		return ScanResult{Code: code}, fmt.Errorf("%w: %s", pos.ErrUnknownBarcode, code.Raw)
	}
	if err != nil {
		return ScanResult{Code: code}, err
	}
	line, err := t.Add(p, qty, code.Raw)
	return ScanResult{Line: line, Product: p, Code: code}, err
}

// findArticle looks a short typed code up as a PLU, then as an exact article or barcode.
func (t *Till) findArticle(code string) (pos.Product, error) {
	if p, err := t.cfg.Store.ProductByPLU(code); err == nil {
		return p, nil
	}
	found, err := t.cfg.Store.SearchProducts(code, 10)
	if err != nil {
		return pos.Product{}, err
	}
	for _, p := range found {
		if p.ID == code {
			return p, nil
		}
	}
	return pos.Product{}, fmt.Errorf("%w: article %s", pos.ErrProductNotFound, code)
}

// labelQty is the quantity a weight or price label stands for.
func labelQty(p pos.Product, c barcode.Code) (pos.Qty, error) {
	if c.Weight > 0 {
		return c.Weight, nil
	}
	if c.Price > 0 && p.Price > 0 {
		// A price label: the scale printed the sum; the quantity is what that sum buys, to the gram.
		return pos.Qty((int64(c.Price)*1000 + int64(p.Price)/2) / int64(p.Price)), nil
	}
	return 0, fmt.Errorf("%w: label %s has no weight", pos.ErrBadQuantity, c.Raw)
}

// Add puts a product found by search on the receipt (qty 0 means one piece). An 18+ product needs the
// buyer's age checked first: until ConfirmAge, Add refuses it with a *pos.AgeCheckNeeded. A weighed product needs
// its weight: without one Add refuses with ErrNeedsWeight and the caller reads the scale. A marked product
// needs its marking code: Add refuses it with a *pos.MarkingNeeded (ErrMarkedQuantity for more than one
// piece) and the caller asks for the DataMatrix (ScanMarking).
func (t *Till) Add(p pos.Product, qty pos.Qty, code string) (int, error) {
	if err := t.checkAge(p); err != nil {
		return -1, err
	}
	if p.Marked {
		if qty > pos.QtyOne || p.Weighed() {
			return -1, fmt.Errorf("%w: %s", pos.ErrMarkedQuantity, p.Name)
		}
		return -1, &pos.MarkingNeeded{Product: p}
	}
	if qty == 0 && p.Weighed() {
		return -1, fmt.Errorf("%w: %s", pos.ErrNeedsWeight, p.Name)
	}
	if qty == 0 {
		qty = pos.QtyOne
	}
	return t.cart.Add(p, qty, code)
}

// Search finds products by name, article or barcode for goods without a readable barcode.
func (t *Till) Search(query string, limit int) ([]pos.Product, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	return t.cfg.Store.SearchProducts(query, limit)
}

// CancelLine cancels (сторно) a line; it stays visible. A marked line's code is free to be scanned again.
func (t *Till) CancelLine(i int) error { return t.cart.Cancel(i, t.cfg.Now()) }

// SetQty changes a line's quantity. A marked line stays one piece: each piece has its own code.
func (t *Till) SetQty(i int, q pos.Qty) error {
	if t.markedLine(i) && q != pos.QtyOne {
		return fmt.Errorf("%w: line %d", pos.ErrMarkedQuantity, i+1)
	}
	t.releaseOffer(i) // a personal offer is worked out again for the new quantity (offers.go)
	return t.cart.SetQty(i, q)
}

// Defer puts the current receipt aside and empties the cart.
func (t *Till) Defer() (pos.DeferredReceipt, error) {
	if t.cart.Empty() {
		return pos.DeferredReceipt{}, pos.ErrEmptyCart
	}
	t.dropPoints() // points belong to the customer at the till, not to the receipt put aside
	lines, rd := t.cart.Snapshot()
	d := pos.DeferredReceipt{ID: t.cfg.NewID(), SavedAt: t.cfg.Now(), Lines: lines, ReceiptDiscount: rd}
	if err := t.cfg.Store.SaveDeferred(d); err != nil {
		return pos.DeferredReceipt{}, fmt.Errorf("defer receipt: %w", err)
	}
	t.clearReceipt()
	return d, nil
}

// DeferredReceipts lists receipts put aside, oldest first.
func (t *Till) DeferredReceipts() ([]pos.DeferredReceipt, error) {
	return t.cfg.Store.DeferredReceipts()
}

// Recall brings a deferred receipt back. A receipt in progress is deferred in its place.
func (t *Till) Recall(id string) error {
	d, err := t.cfg.Store.TakeDeferred(id)
	if err != nil {
		return fmt.Errorf("%w: %w", pos.ErrNoDeferred, err)
	}
	if !t.cart.Empty() {
		if _, err := t.Defer(); err != nil {
			_ = t.cfg.Store.SaveDeferred(d) // put it back; nothing is lost
			return err
		}
	}
	t.cart.Restore(d.Lines, d.ReceiptDiscount)
	return nil
}

// ClearCart abandons the receipt in progress (nothing was paid or fiscalised).
func (t *Till) ClearCart() { t.clearReceipt() }

// clearReceipt empties the cart and forgets the buyer's contact and the loyalty customer for the next one.
func (t *Till) clearReceipt() {
	t.cart.Clear()
	t.buyer = ""
	t.loy = loyaltyState{}
	t.ageOK = false
}

// RegisterState asks the register how it is (for the status bar). It only reads, so it may run on
// another goroutine than the till's other methods; the driver serialises access to the device.
func (t *Till) RegisterState(ctx context.Context) (pos.RegisterState, error) {
	return t.cfg.Register.State(ctx)
}
