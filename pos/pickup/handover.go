package pickup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// Result is a finished hand-over.
type Result struct {
	Handover pos.PickupHandover
	Sale     pos.Sale  // the settlement receipt, fiscalised
	Refund   *pos.Sale // the prepayment's return, fiscalised; nil when nothing went back
	Change   pos.Money // cash to give back
	// Warning says what went wrong after the hand-over was done (its analytics event was not queued); "".
	Warning string
}

// HandOver settles a verified order: every line scanned in full or refused, something handed over, and
// payments (cash, card) covering what is due at the desk (Amounts().Due; none when the prepayment covers
// it). The plan (receipt ids, lines, tenders) goes to the ledger first; then the settlement receipt, the
// prepayment's return when the customer refused prepaid goods, and the hand-over event with the ledger's
// "done" in one transaction. A shift is opened for the staff when none is. A refusal by the register keeps
// the verification so it can be tried again; a lost answer leaves the hand-over unfinished, and the next
// HandOver (or Recover) finishes it without fiscalising anything twice.
func (d *Desk) HandOver(ctx context.Context, v *Verification, payments []pos.Payment) (Result, error) {
	if v.Resume != nil {
		res, err := d.finish(ctx, *v.Resume)
		return d.track(v, res, err)
	}
	if err := v.Verify(); err != nil {
		return Result{}, err
	}
	if err := v.checkAge(); err != nil {
		return Result{}, err
	}
	a := v.Amounts()
	if a.Handed <= 0 {
		return Result{}, fmt.Errorf("%w: order %s", ErrNothingToHandOver, v.Order.Number)
	}
	if err := checkTenders(a.Due, payments); err != nil {
		return Result{}, err
	}
	// The order as it is now: the feed or another hand-over here may have moved it since it was opened.
	w, found, err := d.cfg.Store.FindPickupOrderByID(v.Order.ID)
	if err != nil {
		return Result{}, fmt.Errorf("find pickup order: %w", err)
	}
	if !found {
		return Result{}, fmt.Errorf("%w: order %s", ErrOrderNotFound, v.Order.Number)
	}
	now, err := d.orderOf(w)
	if err != nil {
		return Result{}, err
	}
	if err := d.canHandOver(now); err != nil {
		return Result{}, err
	}
	if _, open := d.cfg.Till.Shift(); !open {
		if err := d.cfg.Till.OpenShift(ctx, d.cfg.Staff); err != nil {
			return Result{}, fmt.Errorf("open a shift for the hand-over: %w", err)
		}
	}
	h, err := v.plan(payments)
	if err != nil {
		return Result{}, err
	}
	cur, created, err := d.cfg.Store.BeginPickupHandover(h)
	if err != nil {
		return Result{}, err
	}
	if !created {
		if cur.Done {
			return Result{}, &Collected{Number: v.Order.Number, Here: true, At: cur.DoneAt, Staff: cur.Staff}
		}
		h = cur // a hand-over of this order began already: finish that one
	}
	v.Resume = &h
	res, err := d.finish(ctx, h)
	return d.track(v, res, err)
}

// track keeps a verification in step with the ledger after a hand-over failed: it resumes the plan as the
// ledger has it now (a refused return got a new id), or, when the plan was dropped because nothing was
// fiscalised, it is verified anew; a verification that only showed the dropped plan is abandoned.
func (d *Desk) track(v *Verification, res Result, err error) (Result, error) {
	if err == nil {
		return res, nil
	}
	shown := v.Resume
	v.Resume = nil
	cur, ok, lerr := d.cfg.Store.PickupHandover(v.Order.ID)
	switch {
	case lerr != nil:
		return Result{}, errors.Join(err, lerr)
	case ok && !cur.Done:
		v.Resume = &cur
	case !ok && shown != nil && v.resumed && !errors.Is(err, ErrAbandoned):
		return Result{}, fmt.Errorf("%w: %w", ErrAbandoned, err)
	}
	return Result{}, err
}

// checkTenders: the desk takes cash (change given) and cards (never more than is due) for what the
// prepayment leaves; nothing when the prepayment covers it all.
func checkTenders(due pos.Money, payments []pos.Payment) error {
	var cash, card pos.Money
	for _, p := range payments {
		switch {
		case p.Amount <= 0:
			return fmt.Errorf("%w: tender of %s", pos.ErrBadTender, p.Amount)
		case p.Method == pos.PayCash:
			cash += p.Amount
		case p.Method == pos.PayCard:
			card += p.Amount
		default:
			return fmt.Errorf("%w: %q at the pickup desk", pos.ErrBadTender, p.Method)
		}
	}
	switch {
	case due == 0 && cash+card > 0:
		return fmt.Errorf("%w: the prepayment covers the goods, nothing to pay", pos.ErrBadTender)
	case card > due:
		return fmt.Errorf("%w: card %s, due %s", pos.ErrCardOverpay, card, due)
	case cash+card < due:
		return fmt.Errorf("%w: paid %s of %s", pos.ErrUnderpaid, cash+card, due)
	}
	return nil
}

// finish brings a planned hand-over to its end: the settlement fiscalised (or resolved with the register),
// the prepayment's return fiscalised, then the ledger's done with the event.
func (d *Desk) finish(ctx context.Context, h pos.PickupHandover) (Result, error) {
	sale, err := d.settle(ctx, h)
	if err != nil {
		return Result{}, err
	}
	res := Result{Sale: sale, Change: sale.Change}
	if h.Refund != "" {
		r, err := d.refund(ctx, &h)
		if err != nil {
			return Result{}, err
		}
		res.Refund = &r
	}
	done, err := d.cfg.Store.FinishPickupHandover(h.Order, d.cfg.Now())
	if err != nil {
		return Result{}, err
	}
	res.Handover = done
	if d.cfg.Channel != nil {
		err := d.cfg.Channel.RecordChannelEvent(pos.ChannelEvent{Kind: pos.ChannelPickupHandedOut, At: done.DoneAt,
			Sale: done.Sale, Order: done.Order, Via: done.Via, Wait: max(done.DoneAt.Sub(done.ReadyAt), 0),
			Amount: done.Amount()})
		if err != nil {
			res.Warning = "analytics: " + err.Error()
		}
	}
	return res, nil
}

// settle makes sure the settlement receipt is fiscalised. A receipt the journal does not have yet (or
// that the register refused and the journal cancelled, with nothing after it fiscalised) is (re)tried
// under its id; when the register refuses it, the plan is dropped, so the order is ready again.
func (d *Desk) settle(ctx context.Context, h pos.PickupHandover) (pos.Sale, error) {
	s, found, err := d.receipt(ctx, h.Sale)
	switch {
	case err != nil:
		return pos.Sale{}, err
	case found && s.Status == pos.SaleFiscalised:
		return s, nil
	case found: // cancelled: the register refused it, and the refund never comes first
		if err := d.cfg.Store.DropPickupHandover(h.Order); err != nil {
			return pos.Sale{}, err
		}
		return pos.Sale{}, fmt.Errorf("%w: order %s: the settlement was not fiscalised (%s)", ErrAbandoned, h.Number, s.Note)
	}
	s, ferr := d.cfg.Till.SettlePickup(ctx, h.Sale, h.SaleLines, h.Payments)
	if ferr == nil {
		return s, nil
	}
	// Whatever failed, the journal says whether the register may hold the receipt.
	s, found, err = d.cfg.Store.LookupSale(h.Sale)
	if err == nil && (!found || s.Status == pos.SaleCancelled) {
		err = d.cfg.Store.DropPickupHandover(h.Order)
	}
	return pos.Sale{}, errors.Join(ferr, err)
}

// refund makes sure the prepayment's return is fiscalised. One the register refused (cancelled in the
// journal) is tried again under a new id, recorded in the plan first.
func (d *Desk) refund(ctx context.Context, h *pos.PickupHandover) (pos.Sale, error) {
	s, found, err := d.receipt(ctx, h.Refund)
	switch {
	case err != nil:
		return pos.Sale{}, err
	case found && s.Status == pos.SaleFiscalised:
		return s, nil
	case found:
		if err := d.renewRefund(h); err != nil {
			return pos.Sale{}, err
		}
	}
	s, ferr := d.cfg.Till.RefundPrepayment(ctx, h.Refund, h.RefundLines)
	if ferr == nil {
		return s, nil
	}
	s, found, err = d.cfg.Store.LookupSale(h.Refund)
	if err == nil && found && s.Status == pos.SaleCancelled {
		err = d.renewRefund(h)
	}
	return pos.Sale{}, errors.Join(ferr, err)
}

func (d *Desk) renewRefund(h *pos.PickupHandover) error {
	h.Refund = d.cfg.NewID()
	return d.cfg.Store.ReplacePickupHandover(*h)
}

// receipt reads a receipt of a plan from the journal; a pending one is first resolved with the register.
func (d *Desk) receipt(ctx context.Context, id string) (pos.Sale, bool, error) {
	s, found, err := d.cfg.Store.LookupSale(id)
	if err != nil || !found || s.Status != pos.SalePending {
		return s, found, err
	}
	if _, err := d.cfg.Till.ResolvePending(ctx); err != nil && !errors.Is(err, pos.ErrNotFiscalised) {
		return pos.Sale{}, false, err
	}
	s, found, err = d.cfg.Store.LookupSale(id)
	if err == nil && found && s.Status == pos.SalePending {
		return pos.Sale{}, false, fmt.Errorf("%w: receipt %s", pos.ErrSalePending, id)
	}
	return s, found, err
}

// Recovery says what Recover did with the hand-overs a crash left unfinished.
type Recovery struct {
	Finished []Result             // the settlement was fiscalised: the hand-over is finished
	Dropped  []pos.PickupHandover // nothing was fiscalised: the order is ready again
}

// Recover runs when the desk opens, after the till's own recovery: a hand-over whose settlement was
// fiscalised is finished (the prepayment's return, the event); one whose settlement never was is dropped,
// since the customer is no longer at the desk, and its order is ready again.
func (d *Desk) Recover(ctx context.Context) (Recovery, error) {
	var rep Recovery
	all, err := d.cfg.Store.PickupHandovers()
	if err != nil {
		return rep, err
	}
	for _, h := range all {
		if h.Done {
			continue
		}
		s, found, err := d.receipt(ctx, h.Sale)
		if err != nil {
			return rep, fmt.Errorf("hand-over of order %s: %w", h.Number, err)
		}
		if !found || s.Status != pos.SaleFiscalised {
			if err := d.cfg.Store.DropPickupHandover(h.Order); err != nil {
				return rep, err
			}
			rep.Dropped = append(rep.Dropped, h)
			continue
		}
		res, err := d.finish(ctx, h)
		if err != nil {
			return rep, fmt.Errorf("hand-over of order %s: %w", h.Number, err)
		}
		rep.Finished = append(rep.Finished, res)
	}
	return rep, nil
}

// Unfinished lists the hand-overs begun here and not finished (their receipts wait for the register).
func (d *Desk) Unfinished() ([]pos.PickupHandover, error) {
	all, err := d.cfg.Store.PickupHandovers()
	if err != nil {
		return nil, err
	}
	var out []pos.PickupHandover
	for _, h := range all {
		if !h.Done {
			out = append(out, h)
		}
	}
	return out, nil
}

// now is the desk's clock.
func (d *Desk) now() time.Time { return d.cfg.Now() }
