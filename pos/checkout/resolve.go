package checkout

import (
	"context"
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
)

// Recovery reports what Recover did with the sales a crash left pending.
type Recovery struct {
	Completed    []pos.Sale // the register had fiscalised them: attributes recorded
	Refiscalised []pos.Sale // the register proved it never got them: fiscalised now
	Cancelled    []pos.Sale // a receipt was still open in the register: cancelled there and here
}

// Total is the number of sales recovery touched.
func (r Recovery) Total() int { return len(r.Completed) + len(r.Refiscalised) + len(r.Cancelled) }

// Recover runs before the till opens: it reconciles the shift with the register and resolves every
// pending sale against it. It never fiscalises a sale the register may already hold.
func (t *Till) Recover(ctx context.Context) (Recovery, error) {
	var rep Recovery
	if err := t.loadShift(ctx); err != nil {
		return rep, err
	}
	pending, err := t.cfg.Store.PendingSales()
	if err != nil {
		return rep, fmt.Errorf("read pending sales: %w", err)
	}
	for _, s := range pending {
		done, err := t.resolve(ctx, s)
		if err != nil {
			t.pending = &s
			return rep, fmt.Errorf("resolve sale %s: %w", s.ID, err)
		}
		switch {
		case done.Status == pos.SaleCancelled:
			rep.Cancelled = append(rep.Cancelled, done)
		case done.Note == noteRefiscalised:
			rep.Refiscalised = append(rep.Refiscalised, done)
		default:
			rep.Completed = append(rep.Completed, done)
		}
	}
	return rep, nil
}

const (
	noteRefiscalised  = "re-fiscalised after recovery: the register never got it"
	noteCancelledOpen = "cancelled: the receipt was still open in the register after a failure"
)

// resolve decides a pending sale from what the register holds:
//   - a receipt still open: the register has not fiscalised it; cancel it there and here;
//   - a receipt of the same kind (sale or refund) and total among the documents after FDBefore: it was
//     fiscalised; record it;
//   - no such document: the register proves it never got the sale; fiscalise it now.
func (t *Till) resolve(ctx context.Context, s pos.Sale) (pos.Sale, error) {
	st, err := t.cfg.Register.State(ctx)
	if err != nil {
		return pos.Sale{}, err
	}
	if st.ReceiptOpen {
		if err := t.cfg.Register.CancelReceipt(ctx); err != nil {
			return pos.Sale{}, fmt.Errorf("cancel the open receipt: %w", err)
		}
		if err := t.cfg.Store.CancelSale(s.ID, noteCancelledOpen); err != nil {
			return pos.Sale{}, err
		}
		s.Status, s.Note = pos.SaleCancelled, noteCancelledOpen
		return s, nil
	}
	for fd := st.LastFD; fd > s.FDBefore; fd-- {
		doc, err := t.cfg.Register.FindDocument(ctx, fd)
		if err != nil {
			return pos.Sale{}, fmt.Errorf("read document %d: %w", fd, err)
		}
		if documentOf(doc, s) {
			return t.complete(s, pos.FiscalResult{FDNumber: doc.FDNumber, FiscalSign: doc.FiscalSign,
				FNSerial: st.FNSerial, At: doc.At})
		}
	}
	if st.ShiftExpired || !st.ShiftOpen {
		return pos.Sale{}, fmt.Errorf("sale %s cannot be fiscalised again: %w", s.ID, pos.ErrShiftClosed)
	}
	res, err := t.cfg.Register.Fiscalise(ctx, s)
	if err != nil {
		if errors.Is(err, pos.ErrNotFiscalised) {
			if cerr := t.cfg.Store.CancelSale(s.ID, "register refused on recovery: "+err.Error()); cerr != nil {
				return pos.Sale{}, cerr
			}
			s.Status, s.Note = pos.SaleCancelled, err.Error()
			return s, nil
		}
		return pos.Sale{}, err
	}
	done, err := t.complete(s, res)
	done.Note = noteRefiscalised
	return done, err
}
