package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// pickupRecord is what the hub keeps of an order beside its feed item: where it is, the keyed hash of the
// customer's phone and who handed it over.
type pickupRecord struct {
	Store     string     `json:"store"`
	Number    string     `json:"number"`
	PhoneHash string     `json:"phone_hash,omitempty"`
	Handover  *handover  `json:"handover,omitempty"`
	Conflicts []handover `json:"conflicts,omitempty"`
}

type handover struct {
	Event    string    `json:"event"`
	Terminal string    `json:"terminal"`
	At       time.Time `json:"at"`
}

// PutPickupOrder stores a new pickup order in its store's feed; see PickupStore. Order ids are derived from
// store and number (PickupOrderID), so a repeated request finds the first one.
func (s *Storage) PutPickupOrder(ctx context.Context, o wire.PickupOrder, phoneHash string) (wire.PickupOrder, bool, error) {
	if !validName(o.Store) || o.ID == "" || len(o.ID) > maxIDLen || o.Number == "" {
		return o, false, fmt.Errorf("put pickup order: %w: store, id and number are required", ErrBadName)
	}
	data, err := json.Marshal(o)
	if err != nil {
		return o, false, fmt.Errorf("encode pickup order: %w", err)
	}
	stored, created := o, true
	err = s.update(ctx, func(tx *bolt.Tx) error {
		pickups := tx.Bucket(bucketPickups)
		f, err := openScope(tx, wire.FeedPickupOrders, o.Store, true)
		if err != nil {
			return err
		}
		if pickups.Get([]byte(o.ID)) != nil {
			created = false
			old, ok := f.get(o.ID)
			if !ok {
				return fmt.Errorf("pickup order %q: %w", o.ID, ErrNotFound)
			}
			if err := json.Unmarshal(old, &stored); err != nil {
				return fmt.Errorf("decode pickup order %q: %w", o.ID, err)
			}
			if !sameOrder(stored, o) {
				return fmt.Errorf("pickup order %s of store %s exists with other contents: %w", o.Number, o.Store, ErrConflict)
			}
			return nil
		}
		rec, err := json.Marshal(pickupRecord{Store: o.Store, Number: o.Number, PhoneHash: phoneHash})
		if err != nil {
			return err
		}
		if err := pickups.Put([]byte(o.ID), rec); err != nil {
			return err
		}
		_, _, err = f.put(o.ID, data)
		return err
	})
	if err != nil {
		return o, false, fmt.Errorf("put pickup order: %w", err)
	}
	return stored, created, nil
}

// sameOrder compares what the customer ordered, not when the request arrived.
func sameOrder(a, b wire.PickupOrder) bool {
	norm := func(o wire.PickupOrder) string {
		o.ReadyAt, o.ExpiresAt, o.Status = time.Time{}, time.Time{}, ""
		data, _ := json.Marshal(o)
		return string(data)
	}
	return norm(a) == norm(b)
}

// PickupOrder returns a stored order by id.
func (s *Storage) PickupOrder(ctx context.Context, id string) (wire.PickupOrder, error) {
	var o wire.PickupOrder
	err := s.view(ctx, func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketPickups).Get([]byte(id))
		if raw == nil {
			return fmt.Errorf("pickup order %q: %w", id, ErrNotFound)
		}
		var rec pickupRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		f, err := openScope(tx, wire.FeedPickupOrders, rec.Store, false)
		if err != nil {
			return err
		}
		data, ok := f.get(id)
		if !ok {
			return fmt.Errorf("pickup order %q: %w", id, ErrNotFound)
		}
		return json.Unmarshal(data, &o)
	})
	return o, err
}

// applyHandover marks an order collected. A second hand-over, or one of a cancelled order, is stored and
// reported as a conflict; the order keeps its first hand-over.
func applyHandover(tx *bolt.Tx, term Terminal, ev wire.Event, received time.Time) (string, *Warning, error) {
	var h wire.PickupHandover
	if err := json.Unmarshal(ev.Payload, &h); err != nil {
		return "pickup hand-over payload: " + jsonReason(err), nil, nil
	}
	pickups := tx.Bucket(bucketPickups)
	raw := pickups.Get([]byte(h.Order))
	if raw == nil {
		return fmt.Sprintf("unknown pickup order %q", h.Order), nil, nil
	}
	var rec pickupRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return "", nil, fmt.Errorf("decode pickup order %q: %w", h.Order, err)
	}
	if rec.Store != term.Store {
		return fmt.Sprintf("pickup order %q belongs to another store", h.Order), nil, nil
	}
	f, err := openScope(tx, wire.FeedPickupOrders, rec.Store, true)
	if err != nil {
		return "", nil, err
	}
	data, ok := f.get(h.Order)
	if !ok {
		return fmt.Sprintf("unknown pickup order %q", h.Order), nil, nil
	}
	var o wire.PickupOrder
	if err := json.Unmarshal(data, &o); err != nil {
		return "", nil, fmt.Errorf("decode pickup order %q: %w", h.Order, err)
	}
	this := handover{Event: ev.ID, Terminal: term.Name, At: ev.At}
	if this.At.IsZero() {
		this.At = received
	}
	var warn *Warning
	if rec.Handover != nil || o.Status == wire.PickupCancelled {
		rec.Conflicts = append(rec.Conflicts, this)
		detail := fmt.Sprintf("order %s (%s) handed over at %s while %s", o.Number, h.Order, term.Name, o.Status)
		if rec.Handover != nil {
			detail += " by " + rec.Handover.Terminal
		}
		warn = &Warning{Kind: WarnPickupConflict, EventID: ev.ID, Detail: detail}
	} else {
		rec.Handover = &this
		o.Status = wire.PickupCollected
		if data, err = json.Marshal(o); err != nil {
			return "", nil, err
		}
		if _, _, err := f.put(h.Order, data); err != nil {
			return "", nil, err
		}
	}
	if raw, err = json.Marshal(rec); err != nil {
		return "", nil, err
	}
	return "", warn, pickups.Put([]byte(h.Order), raw)
}
