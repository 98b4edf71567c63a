package pickup

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

// State is where an order stands at this desk. It only moves forward: a hand-over recorded here wins over
// a feed that has not heard of it yet, and a feed's "collected" over a "ready" the desk had before.
type State int

const (
	StateReady      State = iota // ready for pickup
	StateInProgress              // a hand-over began here and is not finished (its receipts are being settled)
	StateCollected               // handed over, here or elsewhere
	StateCancelled               // cancelled by the web shop
	StateOther                   // a status this desk does not know ("assembling" …): not handed over
)

// Order is a click&collect order as the desk sees it.
type Order struct {
	ID, Number, Store  string
	Customer           string // masked: "Анна П."
	PhoneLast4         string
	Lines              []Line
	Total, Prepaid     pos.Money // Prepaid is at most Total
	ReadyAt, ExpiresAt time.Time
	State              State
	Handover           *pos.PickupHandover // this terminal's record, if any
}

// Line is one line of an order.
type Line struct {
	ProductID string
	Name      string
	Barcode   string
	Price     pos.Money
	Qty       pos.Qty
	VAT       pos.VATRate
	Unit      pos.Unit
	Marked    bool  // sold one DataMatrix per piece
	AgeLimit  uint8 // the buyer's minimum age (18+ goods); the staff checks a document before the hand-over
}

// AgeRestricted reports whether the line is sold only after the buyer's age is checked.
func (l Line) AgeRestricted() bool { return l.AgeLimit > 0 }

// Sum is the line's value at the order's price.
func (l Line) Sum() pos.Money { return l.Price.Times(l.Qty) }

// Due is what is left to pay at the desk for the whole order.
func (o Order) Due() pos.Money { return o.Total - o.Prepaid }

// Expired reports whether the order is past its storage time.
func (o Order) Expired(now time.Time) bool { return !o.ExpiresAt.IsZero() && !now.Before(o.ExpiresAt) }

// Age is how long the order has been waiting.
func (o Order) Age(now time.Time) time.Duration { return max(now.Sub(o.ReadyAt), 0) }

// orderOf turns a pulled order into the desk's, with what the catalog knows of each line and what this
// terminal's ledger says of it.
func (d *Desk) orderOf(w wire.PickupOrder) (Order, error) {
	o := Order{ID: w.ID, Number: w.Number, Store: w.Store, Customer: w.Customer, PhoneLast4: w.PhoneLast4,
		ReadyAt: w.ReadyAt, ExpiresAt: w.ExpiresAt, Prepaid: pos.Money(w.Prepaid)}
	for i, wl := range w.Lines {
		vat, err := pos.ParseVATRate(wl.VAT)
		if err != nil || wl.Qty <= 0 || wl.Price < 0 {
			return Order{}, fmt.Errorf("pickup order %s line %d: bad qty, price or VAT %q", w.Number, i+1, wl.VAT)
		}
		l := Line{ProductID: wl.ProductID, Name: wl.Name, Barcode: wl.Barcode, Price: pos.Money(wl.Price),
			Qty: pos.Qty(wl.Qty), VAT: vat, Marked: wl.Marked, AgeLimit: wl.AgeLimit}
		if !l.Qty.Whole() {
			l.Unit = pos.UnitKg
		}
		if p, err := d.cfg.Store.ProductByID(wl.ProductID); err == nil {
			l.Unit, l.Marked, l.AgeLimit = p.Unit, l.Marked || p.Marked, max(l.AgeLimit, p.AgeLimit)
		} else if !errors.Is(err, pos.ErrProductNotFound) {
			return Order{}, err
		}
		o.Lines = append(o.Lines, l)
		o.Total += l.Sum()
	}
	o.Prepaid = min(max(o.Prepaid, 0), o.Total)
	switch w.Status {
	case wire.PickupReady:
		o.State = StateReady
	case wire.PickupCollected:
		o.State = StateCollected
	case wire.PickupCancelled:
		o.State = StateCancelled
	default:
		o.State = StateOther
	}
	h, ok, err := d.cfg.Store.PickupHandover(w.ID)
	if err != nil {
		return Order{}, err
	}
	if ok {
		o.Handover = &h
		switch {
		case h.Done:
			o.State = StateCollected
		case o.State == StateReady:
			o.State = StateInProgress
		}
	}
	return o, nil
}

// canHandOver refuses an order that cannot be handed over (any more): collected, cancelled, not ready, or
// of another store.
func (d *Desk) canHandOver(o Order) error {
	switch {
	case o.Store != d.cfg.StoreID:
		return fmt.Errorf("%w: order %s is for store %q", ErrForeignStore, o.Number, o.Store)
	case o.Handover != nil && o.Handover.Done:
		return &Collected{Number: o.Number, Here: true, At: o.Handover.DoneAt, Staff: o.Handover.Staff}
	case o.State == StateCollected:
		return &Collected{Number: o.Number}
	case o.State == StateCancelled:
		return fmt.Errorf("%w: order %s", ErrOrderCancelled, o.Number)
	case o.State == StateOther:
		return fmt.Errorf("%w: order %s", ErrNotReady, o.Number)
	}
	return nil
}

// Listing is the desk's list: the orders waiting here, overdue first, then the longest waiting.
type Listing struct {
	Orders        []Order
	Overdue       int // past their storage time, or ready longer than Config.OverdueAfter
	ExpiringToday int // still within their storage time, which ends today
}

// Overdue reports whether an order waits past its storage time or longer than the desk allows.
func (d *Desk) Overdue(o Order) bool {
	now := d.cfg.Now()
	return o.Expired(now) || o.Age(now) > d.cfg.OverdueAfter
}

// Waiting lists the orders of this store ready for pickup, with those whose hand-over is unfinished here.
func (d *Desk) Waiting() (Listing, error) {
	ws, err := d.cfg.Store.PickupOrders(wire.PickupReady)
	if err != nil {
		return Listing{}, fmt.Errorf("pickup orders: %w", err)
	}
	now := d.cfg.Now()
	y, m, day := now.Date()
	tomorrow := time.Date(y, m, day+1, 0, 0, 0, 0, now.Location())
	var l Listing
	for _, w := range ws {
		if w.Store != d.cfg.StoreID {
			continue
		}
		o, err := d.orderOf(w)
		if err != nil {
			return Listing{}, err
		}
		if o.State != StateReady && o.State != StateInProgress {
			continue
		}
		switch {
		case d.Overdue(o):
			l.Overdue++
		case !o.ExpiresAt.IsZero() && o.ExpiresAt.Before(tomorrow):
			l.ExpiringToday++
		}
		l.Orders = append(l.Orders, o)
	}
	slices.SortStableFunc(l.Orders, func(a, b Order) int {
		if oa, ob := d.Overdue(a), d.Overdue(b); oa != ob {
			if oa {
				return -1
			}
			return 1
		}
		return cmp.Or(a.ReadyAt.Compare(b.ReadyAt), cmp.Compare(a.Number, b.Number))
	})
	return l, nil
}
