package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// OpenShift records a newly opened shift and queues its shift_open event in the same transaction. The
// previous shift must be closed (else pos.ErrShiftOpen) and the number must be greater than its number.
func (s *Store) OpenShift(sh pos.Shift) error {
	if sh.Number <= 0 || sh.OpenedAt.IsZero() || !sh.ClosedAt.IsZero() {
		return fmt.Errorf("store: open shift %d: %w: want a positive number, an opening time and no closing time",
			sh.Number, ErrInvalid)
	}
	err := s.update(func(tx *bbolt.Tx) error {
		shifts, err := bucket(tx, bktShifts)
		if err != nil {
			return err
		}
		last, ok, err := lastShift(shifts)
		if err != nil {
			return err
		}
		if ok && last.Open() {
			return fmt.Errorf("shift %d: %w", last.Number, pos.ErrShiftOpen)
		}
		if ok && sh.Number <= last.Number {
			return fmt.Errorf("%w: number not after the last shift %d", ErrInvalid, last.Number)
		}
		return s.putShift(tx, shifts, sh, wire.TypeShiftOpen, sh.OpenedAt)
	})
	if err != nil {
		return fmt.Errorf("store: open shift %d: %w", sh.Number, err)
	}
	return nil
}

// CloseShift records the closing of the open shift with that number and queues its shift_close event in
// the same transaction. A shift that is not open gives pos.ErrShiftClosed.
func (s *Store) CloseShift(number int, at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("store: close shift %d: %w: zero time", number, ErrInvalid)
	}
	err := s.update(func(tx *bbolt.Tx) error {
		shifts, err := bucket(tx, bktShifts)
		if err != nil {
			return err
		}
		v := shifts.Get(shiftKey(number))
		if v == nil {
			return fmt.Errorf("%w: no shift %d", pos.ErrShiftClosed, number)
		}
		var sh pos.Shift
		if err := json.Unmarshal(v, &sh); err != nil {
			return fmt.Errorf("%w: shift %d: %w", ErrCorrupt, number, err)
		}
		if !sh.Open() {
			return pos.ErrShiftClosed
		}
		sh.ClosedAt = at
		return s.putShift(tx, shifts, sh, wire.TypeShiftClose, at)
	})
	if err != nil {
		return fmt.Errorf("store: close shift %d: %w", number, err)
	}
	return nil
}

func (s *Store) putShift(tx *bbolt.Tx, shifts *bbolt.Bucket, sh pos.Shift, evType string, at time.Time) error {
	data, err := json.Marshal(sh)
	if err != nil {
		return err
	}
	if err := shifts.Put(shiftKey(sh.Number), data); err != nil {
		return err
	}
	payload, err := json.Marshal(wire.Shift{Number: sh.Number, Cashier: sh.Cashier, OpenedAt: sh.OpenedAt,
		ClosedAt: sh.ClosedAt})
	if err != nil {
		return err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("event id: %w", err)
	}
	_, err = outbox.Append(tx, wire.Event{ID: id.String(), Type: evType, Terminal: s.terminal, At: at,
		Payload: payload})
	return err
}

// CurrentShift returns the last shift recorded, open or closed; false when no shift was ever opened.
func (s *Store) CurrentShift() (pos.Shift, bool, error) {
	var (
		sh pos.Shift
		ok bool
	)
	err := s.view(func(tx *bbolt.Tx) error {
		shifts, err := bucket(tx, bktShifts)
		if err != nil {
			return err
		}
		sh, ok, err = lastShift(shifts)
		return err
	})
	if err != nil {
		return pos.Shift{}, false, fmt.Errorf("store: current shift: %w", err)
	}
	return sh, ok, nil
}

func lastShift(shifts *bbolt.Bucket) (pos.Shift, bool, error) {
	_, v := shifts.Cursor().Last()
	if v == nil {
		return pos.Shift{}, false, nil
	}
	var sh pos.Shift
	if err := json.Unmarshal(v, &sh); err != nil {
		return pos.Shift{}, false, fmt.Errorf("%w: last shift: %w", ErrCorrupt, err)
	}
	return sh, true, nil
}
