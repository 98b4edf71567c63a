package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// handover is who handed an order out, as the bbolt hub records it.
type handover struct {
	Event    string    `json:"event"`
	Terminal string    `json:"terminal"`
	At       time.Time `json:"at"`
}

// handover marks an order collected. A second hand-over, or one of a cancelled order, is stored and
// reported as a conflict; the order keeps its first hand-over. The store's pickup feed is locked (by
// appendTx) before the order's row, so two instances handing the same order over serialise here and the
// second sees the first.
func (b *batchTx) handover(ev wire.Event) (string, *hub.Warning, error) {
	var h wire.PickupHandover
	if err := json.Unmarshal(ev.Payload, &h); err != nil {
		return "pickup hand-over payload: " + hub.JSONReason(err), nil, nil
	}
	if hasNUL(h.Order) {
		return "pickup hand-over order holds a NUL character", nil, nil
	}
	var store string
	var first, conflicts []byte
	err := b.tx.QueryRow(b.ctx, "SELECT store, handover, conflicts FROM pickups WHERE id = $1 FOR UPDATE", h.Order).
		Scan(&store, &first, &conflicts)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Sprintf("unknown pickup order %q", h.Order), nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("pickup order %q: %w", h.Order, err)
	}
	if store != b.term.Store {
		return fmt.Sprintf("pickup order %q belongs to another store", h.Order), nil, nil
	}
	f := b.scope(wire.FeedPickupOrders)
	data, err := f.get(b.ctx, h.Order)
	if err != nil {
		return "", nil, err
	}
	if data == nil {
		return fmt.Sprintf("unknown pickup order %q", h.Order), nil, nil
	}
	var o wire.PickupOrder
	if err := json.Unmarshal(data, &o); err != nil {
		return "", nil, fmt.Errorf("decode pickup order %q: %w", h.Order, err)
	}
	this := handover{Event: ev.ID, Terminal: b.term.Name, At: ev.At}
	if this.At.IsZero() {
		this.At = b.received
	}
	var prev *handover
	if first != nil {
		prev = new(handover)
		if err := json.Unmarshal(first, prev); err != nil {
			return "", nil, fmt.Errorf("decode hand-over of %q: %w", h.Order, err)
		}
	}
	if prev != nil || o.Status == wire.PickupCancelled {
		var list []handover
		if err := json.Unmarshal(conflicts, &list); err != nil {
			return "", nil, fmt.Errorf("decode conflicts of %q: %w", h.Order, err)
		}
		raw, err := json.Marshal(append(list, this))
		if err != nil {
			return "", nil, err
		}
		if _, err := b.tx.Exec(b.ctx, "UPDATE pickups SET conflicts = $2 WHERE id = $1", h.Order, string(raw)); err != nil {
			return "", nil, fmt.Errorf("pickup order %q: %w", h.Order, err)
		}
		detail := fmt.Sprintf("order %s (%s) handed over at %s while %s", o.Number, h.Order, b.term.Name, o.Status)
		if prev != nil {
			detail += " by " + prev.Terminal
		}
		return "", &hub.Warning{Kind: hub.WarnPickupConflict, EventID: ev.ID, Detail: detail}, nil
	}
	raw, err := json.Marshal(this)
	if err != nil {
		return "", nil, err
	}
	if _, err := b.tx.Exec(b.ctx, "UPDATE pickups SET handover = $2 WHERE id = $1", h.Order, string(raw)); err != nil {
		return "", nil, fmt.Errorf("pickup order %q: %w", h.Order, err)
	}
	o.Status = wire.PickupCollected
	if data, err = json.Marshal(o); err != nil {
		return "", nil, err
	}
	return "", nil, f.put(b.ctx, h.Order, data)
}

// PutPickupOrder stores a new pickup order in its store's feed; see hub.PickupStore. The store's feed is
// locked first, so the same order created through two instances at once is stored once.
func (s *Store) PutPickupOrder(ctx context.Context, o wire.PickupOrder, phoneHash string) (wire.PickupOrder, bool, error) {
	if !hub.ValidName(o.Store) || o.ID == "" || len(o.ID) > hub.MaxIDLen || o.Number == "" {
		return o, false, fmt.Errorf("put pickup order: %w: store, id and number are required", hub.ErrBadName)
	}
	data, err := json.Marshal(o)
	if err != nil {
		return o, false, fmt.Errorf("encode pickup order: %w", err)
	}
	var stored wire.PickupOrder
	var created bool
	err = s.write(ctx, func(tx pgx.Tx) error {
		stored, created = o, true
		f := newScope(tx, wire.FeedPickupOrders, o.Store)
		if err := f.lock(ctx); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO pickups (id, store, number, phone_hash) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO NOTHING`, o.ID, o.Store, o.Number, phoneHash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return f.put(ctx, o.ID, data)
		}
		created = false
		old, err := f.get(ctx, o.ID)
		if err != nil {
			return err
		}
		if old == nil {
			return fmt.Errorf("pickup order %q: %w", o.ID, hub.ErrNotFound)
		}
		if err := json.Unmarshal(old, &stored); err != nil {
			return fmt.Errorf("decode pickup order %q: %w", o.ID, err)
		}
		if !hub.SamePickupOrder(stored, o) {
			return fmt.Errorf("pickup order %s of store %s exists with other contents: %w", o.Number, o.Store, hub.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return o, false, fmt.Errorf("put pickup order: %w", err)
	}
	return stored, created, nil
}

// PickupOrder returns a stored order by id, or an error wrapping hub.ErrNotFound.
func (s *Store) PickupOrder(ctx context.Context, id string) (wire.PickupOrder, error) {
	var o wire.PickupOrder
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT fi.data FROM pickups p JOIN feed_items fi
		ON fi.feed = $2 AND fi.store = p.store AND fi.id = p.id AND NOT fi.deleted WHERE p.id = $1`,
		id, wire.FeedPickupOrders).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, fmt.Errorf("pickup order %q: %w", id, hub.ErrNotFound)
	}
	if err != nil {
		return o, fmt.Errorf("pickup order %q: %w", id, err)
	}
	return o, json.Unmarshal(data, &o)
}

// Ledger lists the point movements of one customer, or of every customer (by id) when customer is "".
func (s *Store) Ledger(ctx context.Context, customer string) ([]hub.LedgerEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT customer, kind, points, balance, event_id, sale, store, terminal, at, overdraft
		FROM ledger WHERE $1 = '' OR customer = $1 ORDER BY customer COLLATE "C", n`, customer)
	if err != nil {
		return nil, fmt.Errorf("loyalty ledger: %w", err)
	}
	var out []hub.LedgerEntry
	for rows.Next() {
		var e hub.LedgerEntry
		if err := rows.Scan(&e.Customer, &e.Kind, &e.Points, &e.Balance, &e.EventID, &e.Sale, &e.Store, &e.Terminal,
			&e.At, &e.Overdraft); err != nil {
			return nil, fmt.Errorf("loyalty ledger: %w", err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("loyalty ledger: %w", err)
	}
	return out, nil
}
