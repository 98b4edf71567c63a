package store

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The staff buckets are created by the first write that needs them (no schema migration): a database
// without them simply has no users, a fresh limiter and an empty audit log.
var (
	bktStaffUsers = []byte("staff_users") // user id -> staff.User (JSON)
	bktStaffAudit = []byte("staff_audit") // entry id (UUIDv7: time-ordered) -> staff.AuditEntry (JSON)
	bktStaffState = []byte("staff_state") // "pin_limiter" -> staff.LimiterState (JSON)
	keyPINLimiter = []byte("pin_limiter")
)

// Users returns every user, active or not, in id order.
func (s *Store) Users() ([]staff.User, error) {
	var out []staff.User
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktStaffUsers)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var u staff.User
			if err := json.Unmarshal(v, &u); err != nil {
				return fmt.Errorf("%w: user %q: %v", ErrCorrupt, k, err)
			}
			out = append(out, u)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return out, nil
}

// PutUser adds or replaces a user.
func (s *Store) PutUser(u staff.User) error {
	if u.ID == "" {
		return fmt.Errorf("store: put user: %w: empty id", ErrInvalid)
	}
	data, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("store: put user: %w", err)
	}
	err = s.update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bktStaffUsers)
		if err != nil {
			return err
		}
		return b.Put([]byte(u.ID), data)
	})
	if err != nil {
		return fmt.Errorf("store: put user %s: %w", u.ID, err)
	}
	return nil
}

// PINLimiter returns the wrong-PIN limiter's state (the zero state when none was saved).
func (s *Store) PINLimiter() (staff.LimiterState, error) {
	var st staff.LimiterState
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktStaffState)
		if b == nil {
			return nil
		}
		if v := b.Get(keyPINLimiter); v != nil {
			return json.Unmarshal(v, &st)
		}
		return nil
	})
	if err != nil {
		return staff.LimiterState{}, fmt.Errorf("store: pin limiter: %w", err)
	}
	return st, nil
}

// SavePINLimiter stores the limiter's state durably: a restart right after a wrong PIN keeps the count.
func (s *Store) SavePINLimiter(st staff.LimiterState) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("store: save pin limiter: %w", err)
	}
	err = s.update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bktStaffState)
		if err != nil {
			return err
		}
		return b.Put(keyPINLimiter, data)
	})
	if err != nil {
		return fmt.Errorf("store: save pin limiter: %w", err)
	}
	return nil
}

// RecordAudit writes an audit entry and queues its wire.TypeAudit outbox event in the same transaction,
// so an entry is never kept without being sent nor sent without being kept. An empty ID gets a UUIDv7,
// which is also the event's id (a replay cannot store it twice at the hub).
func (s *Store) RecordAudit(e staff.AuditEntry) error {
	if e.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("store: audit id: %w", err)
		}
		e.ID = id.String()
	}
	if e.Action == "" || e.At.IsZero() {
		return fmt.Errorf("store: audit: %w: action and time are required", ErrInvalid)
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	payload, err := json.Marshal(wireAudit(e))
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	err = s.update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bktStaffAudit)
		if err != nil {
			return err
		}
		if b.Get([]byte(e.ID)) != nil {
			return fmt.Errorf("%w: audit entry %s exists", ErrInvalid, e.ID)
		}
		if err := b.Put([]byte(e.ID), data); err != nil {
			return err
		}
		_, err = outbox.Append(tx, wire.Event{ID: e.ID, Type: wire.TypeAudit, Terminal: s.terminal, At: e.At, Payload: payload})
		return err
	})
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

func wireAudit(e staff.AuditEntry) wire.Audit {
	a := wire.Audit{ID: e.ID, At: e.At, Action: string(e.Action), Outcome: string(e.Outcome), Cashier: e.Cashier,
		CashierName: e.CashierName, Authoriser: e.Authoriser, AuthoriserName: e.AuthoriserName,
		Receipt: e.Receipt, Line: e.Line, Detail: e.Detail}
	if e.AuthoriserRole.Valid() {
		a.AuthoriserRole = e.AuthoriserRole.String()
	}
	return a
}

// AuditEntries returns the last n audit entries, oldest first (n <= 0: all).
func (s *Store) AuditEntries(n int) ([]staff.AuditEntry, error) {
	var out []staff.AuditEntry
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktStaffAudit)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && (n <= 0 || len(out) < n); k, v = c.Prev() {
			var e staff.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("%w: audit entry %q: %v", ErrCorrupt, k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
