package pickup

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kassa-pos/kassa/sync/wire"
)

// How an order was found, for the analytics (pos.ChannelEvent.Via).
const (
	ViaQR     = "qr"
	ViaNumber = "number"
)

// IsQR reports whether scanned text is (or starts like) a pickup QR code, after the wedge repair.
func (d *Desk) IsQR(text string) bool {
	return wire.IsPickupQR(d.cfg.Wedge.Repair(strings.TrimSpace(text)))
}

// Find reads what the staff scanned or typed in the desk's input line: the customer's pickup QR, or an
// order number and the last four digits of the customer's phone separated by a space ("W-24001 6789").
// A number alone gives ErrNeedPhone once the order is known, so the screen can ask for the digits.
func (d *Desk) Find(text string) (*Verification, error) {
	text = strings.TrimSpace(text)
	if d.IsQR(text) {
		return d.FindByQR(text)
	}
	f := strings.Fields(text)
	switch {
	case len(f) == 2:
		return d.FindByNumber(f[0], f[1])
	case len(f) == 1:
		w, err := d.byNumber(f[0])
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: order %s", ErrNeedPhone, w.Number)
	}
	return nil, fmt.Errorf("%w: %q", ErrOrderNotFound, text)
}

// FindByQR verifies the customer's pickup QR offline (format, signature under the chain's key, expiry,
// this store) and opens its order for verification. An order whose hand-over began here and did not finish
// comes back with Verification.Resume set.
func (d *Desk) FindByQR(text string) (*Verification, error) {
	text = d.cfg.Wedge.Repair(strings.TrimSpace(text))
	keys := d.cfg.Keys
	if keys == nil {
		keys = func(string) ([]byte, bool) { return nil, false }
	}
	q, err := wire.VerifyPickupQR(text, keys, d.cfg.Now())
	switch {
	case errors.Is(err, wire.ErrQRExpired):
		return nil, fmt.Errorf("%w: order %s, valid until %s", ErrQRExpired, q.Number,
			q.Expires.In(d.cfg.Now().Location()).Format("02.01.2006 15:04"))
	case errors.Is(err, wire.ErrQRSignature), errors.Is(err, wire.ErrQRKey):
		return nil, fmt.Errorf("%w: %w", ErrQRForged, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrQRInvalid, err)
	case q.Store != d.cfg.StoreID:
		return nil, fmt.Errorf("%w: order %s is for store %q", ErrForeignStore, q.Number, q.Store)
	}
	w, found, err := d.cfg.Store.FindPickupOrderByID(q.Order)
	if err != nil {
		return nil, fmt.Errorf("find pickup order: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("%w: order %s (%s) is not on this terminal yet", ErrOrderNotFound, q.Number, q.Order)
	}
	return d.open(w, ViaQR)
}

// FindByNumber opens the order with the number the customer says, checked with the last four digits of
// the customer's phone. After maxPhoneAttempts wrong digits the order is locked for a while.
func (d *Desk) FindByNumber(number, last4 string) (*Verification, error) {
	w, err := d.byNumber(number)
	if err != nil {
		return nil, err
	}
	now := d.cfg.Now()
	a := d.attempts[w.ID]
	if a.n >= maxPhoneAttempts && now.Sub(a.since) < phoneLockout {
		return nil, fmt.Errorf("%w: order %s", ErrTooManyAttempts, w.Number)
	}
	last4 = strings.TrimSpace(last4)
	if len(last4) != 4 || strings.Trim(last4, "0123456789") != "" || len(w.PhoneLast4) != 4 || last4 != w.PhoneLast4 {
		if a.n >= maxPhoneAttempts {
			a = attempt{}
		}
		if a.n == 0 {
			a.since = now
		}
		a.n++
		d.attempts[w.ID] = a
		return nil, fmt.Errorf("%w: order %s", ErrWrongPhone, w.Number)
	}
	delete(d.attempts, w.ID)
	return d.open(w, ViaNumber)
}

// byNumber finds an order by its number as typed, or upper-cased (a "w-24001" typed in lower case).
func (d *Desk) byNumber(number string) (wire.PickupOrder, error) {
	number = strings.TrimSpace(number)
	for _, n := range []string{number, strings.ToUpper(number)} {
		if n == "" {
			break
		}
		w, found, err := d.cfg.Store.FindPickupOrderByNumber(n)
		if err != nil {
			return wire.PickupOrder{}, fmt.Errorf("find pickup order: %w", err)
		}
		if found {
			return w, nil
		}
	}
	return wire.PickupOrder{}, fmt.Errorf("%w: number %q", ErrOrderNotFound, number)
}

// open checks that the order can be handed over here and starts its verification.
func (d *Desk) open(w wire.PickupOrder, via string) (*Verification, error) {
	o, err := d.orderOf(w)
	if err != nil {
		return nil, err
	}
	if err := d.canHandOver(o); err != nil {
		return nil, err
	}
	v := &Verification{Order: o, Via: via, desk: d, Lines: make([]LineCheck, len(o.Lines))}
	for i, l := range o.Lines {
		v.Lines[i] = LineCheck{Line: l}
	}
	if h := o.Handover; h != nil && !h.Done {
		v.resumeFrom(*h)
	}
	return v, nil
}
