package terminal

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

// CashRecovery reports what ResolvePending did with the cash operations a crash left pending.
type CashRecovery struct {
	Completed []store.CashOp // the register had registered them: completed, events queued
	Cancelled []store.CashOp // the register provably had not: cancelled
	Undecided []store.CashOp // the counter cannot tell: left pending for the cashier and the X report
}

// Total is the number of operations recovery settled.
func (r CashRecovery) Total() int { return len(r.Completed) + len(r.Cancelled) }

const noteCashNotRegistered = "cancelled on recovery: the register made no document after it"

// ResolvePending settles the cash operations left pending by a crash between asking the register and
// journalling its answer, from the register's counters read before the operation and now:
//   - the document counter where it was: the register made no document, so it never registered it:
//     cancelled;
//   - the counter one more, the ФН's last fiscal document the same (a cash document is not fiscal, a
//     receipt or a report is) and no later cash operation journalled: that document is this one:
//     completed with its event;
//   - anything else (a counter not read, other documents since): it cannot be decided from the register;
//     it stays pending with a log line, and the shift slip tells the cashier to compare it with the X
//     report.
//
// Run it at start, before anything else prints on the register.
func (b *CashBook) ResolvePending(ctx context.Context, log *slog.Logger) (CashRecovery, error) {
	var rep CashRecovery
	pending, err := b.Store.PendingCashOps()
	if err != nil || len(pending) == 0 {
		return rep, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now, err := b.readCounter(ctx)
	if err != nil {
		rep.Undecided = pending
		for _, op := range pending {
			log.Warn("cash operation left pending: the register's document counter cannot be read",
				"id", op.ID, "kind", op.Kind, "amount", op.Amount.Plain(), "shift", op.Shift, "err", err)
		}
		return rep, nil
	}
	fdNow := b.lastFD(ctx)
	for _, op := range pending {
		verdict := decideCash(op.DocBefore, now)
		if verdict == cashRegistered {
			last, err := b.lastOfShift(op)
			if err != nil {
				return rep, err
			}
			if !last || op.FDBefore == nil || fdNow == nil || *fdNow != *op.FDBefore {
				verdict = cashUndecided
			}
		}
		switch verdict {
		case cashRegistered:
			done, err := b.Store.CompleteCashOp(op.Shift, op.ID, now)
			if err != nil {
				return rep, fmt.Errorf("complete cash operation %s: %w", op.ID, err)
			}
			rep.Completed = append(rep.Completed, done)
			log.Info("cash operation completed on recovery: the register registered it", "id", op.ID,
				"kind", op.Kind, "amount", op.Amount.Plain(), "doc", now)
		case cashNotRegistered:
			if err := b.Store.CancelCashOp(op.Shift, op.ID, noteCashNotRegistered); err != nil {
				return rep, fmt.Errorf("cancel cash operation %s: %w", op.ID, err)
			}
			op.Status, op.Note = pos.SaleCancelled, noteCashNotRegistered
			rep.Cancelled = append(rep.Cancelled, op)
			log.Info("cash operation cancelled on recovery: the register never registered it", "id", op.ID,
				"kind", op.Kind, "amount", op.Amount.Plain())
		default:
			rep.Undecided = append(rep.Undecided, op)
			before := "unknown"
			if op.DocBefore != nil {
				before = fmt.Sprint(*op.DocBefore)
			}
			log.Warn("cash operation left pending: the register's counter cannot tell whether it was registered; "+
				"compare it with the X report", "id", op.ID, "kind", op.Kind, "amount", op.Amount.Plain(),
				"shift", op.Shift, "doc_before", before, "doc_now", now)
		}
	}
	if len(rep.Completed) > 0 && b.Notify != nil {
		b.Notify()
	}
	return rep, nil
}

// lastOfShift tells whether op is the shift's newest cash operation: a later one made a document too.
func (b *CashBook) lastOfShift(op store.CashOp) (bool, error) {
	ops, err := b.Store.CashOps(op.Shift)
	if err != nil {
		return false, err
	}
	return len(ops) > 0 && ops[len(ops)-1].ID == op.ID, nil
}

func (b *CashBook) readCounter(ctx context.Context) (uint32, error) {
	if b.DocNumber == nil {
		return 0, fmt.Errorf("no document counter on this register")
	}
	return b.DocNumber(ctx)
}

type cashVerdict int

const (
	cashUndecided cashVerdict = iota
	cashRegistered
	cashNotRegistered
)

// decideCash compares the counter before the operation with the counter now; the device's counter is
// 16 bits, so it wraps.
func decideCash(before *uint32, now uint32) cashVerdict {
	switch {
	case before == nil:
		return cashUndecided
	case uint16(now) == uint16(*before):
		return cashNotRegistered
	case uint16(now) == uint16(*before)+1:
		return cashRegistered
	}
	return cashUndecided
}
