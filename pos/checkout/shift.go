package checkout

import (
	"context"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
)

// loadShift reads the journal's shift and reconciles it with the register, which is the authority: a
// shift the register has open but the journal lacks is recorded; one the journal has open but the
// register closed (a Z report from a service tool) is closed here too.
func (t *Till) loadShift(ctx context.Context) error {
	sh, ok, err := t.cfg.Store.CurrentShift()
	if err != nil {
		return fmt.Errorf("read the shift: %w", err)
	}
	if ok {
		t.shift = sh
	}
	st, err := t.cfg.Register.State(ctx)
	if err != nil {
		return fmt.Errorf("ask the register: %w", err)
	}
	now := t.cfg.Now()
	switch {
	case st.ShiftOpen && !t.shift.Open():
		next := pos.Shift{Number: t.shift.Number + 1, Cashier: t.shift.Cashier, OpenedAt: now}
		if st.ShiftExpired {
			next.OpenedAt = now.Add(-pos.MaxShiftLength)
		}
		if err := t.cfg.Store.OpenShift(next); err != nil {
			return err
		}
		t.shift = next
		t.cfg.Notify()
	case !st.ShiftOpen && t.shift.Open():
		if err := t.cfg.Store.CloseShift(t.shift.Number, now); err != nil {
			return err
		}
		t.shift.ClosedAt = now
		t.cfg.Notify()
	case st.ShiftExpired && !t.ShiftExpired():
		t.shift.OpenedAt = now.Add(-pos.MaxShiftLength)
	}
	return nil
}

// OpenShift opens a shift for the cashier on the register and in the journal.
func (t *Till) OpenShift(ctx context.Context, cashier string) error {
	if t.shift.Open() {
		return pos.ErrShiftOpen
	}
	if err := t.cfg.Register.OpenShift(ctx, cashier); err != nil {
		return fmt.Errorf("open shift: %w", err)
	}
	next := pos.Shift{Number: t.shift.Number + 1, Cashier: cashier, OpenedAt: t.cfg.Now()}
	if err := t.cfg.Store.OpenShift(next); err != nil {
		return fmt.Errorf("journal the shift: %w", err)
	}
	t.shift = next
	t.cfg.Notify()
	return nil
}

// CloseShift prints the Z report and closes the shift. A pending sale must be resolved first.
func (t *Till) CloseShift(ctx context.Context) error {
	if t.pending != nil {
		return pos.ErrSalePending
	}
	if !t.shift.Open() {
		return pos.ErrShiftClosed
	}
	if err := t.cfg.Register.CloseShift(ctx); err != nil {
		return fmt.Errorf("close shift: %w", err)
	}
	now := t.cfg.Now()
	if err := t.cfg.Store.CloseShift(t.shift.Number, now); err != nil {
		return fmt.Errorf("journal the shift close: %w", err)
	}
	t.shift.ClosedAt = now
	t.cfg.Notify()
	return nil
}
