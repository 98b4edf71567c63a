package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// Sales returns the sales and refunds of a store in the order the hub received them; an empty store means
// every store (ordered by store name).
func (s *Store) Sales(store string) ([]hub.StoredSale, error) {
	ctx, cancel := background()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id, type, store, terminal, received, payload FROM events
		WHERE type IN ('sale', 'refund') AND ($1 = '' OR store = $1) ORDER BY store COLLATE "C", n`, store)
	if err != nil {
		return nil, fmt.Errorf("list sales: %w", err)
	}
	var out []hub.StoredSale
	for rows.Next() {
		var st hub.StoredSale
		var payload []byte
		if err := rows.Scan(&st.EventID, &st.Type, &st.Store, &st.Terminal, &st.Received, &payload); err != nil {
			return nil, fmt.Errorf("list sales: %w", err)
		}
		st.Received = st.Received.UTC()
		if err := json.Unmarshal(payload, &st.Sale); err != nil {
			return nil, fmt.Errorf("decode sale %q: %w", st.EventID, err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sales: %w", err)
	}
	return out, nil
}

// ScanEvents calls fn for every stored event of one of types of store ("" for every store) whose time (its
// at, else its arrival) is in [from, to), zero bounds being open; see hub.ReportSource. One statement
// reads them, so they come from one snapshot; the (store, ts) index keeps a short period's report short.
func (s *Store) ScanEvents(ctx context.Context, store string, from, to time.Time, types []string, fn func(hub.StoredEvent) error) error {
	rows, err := s.pool.Query(ctx, `SELECT id, type, store, terminal, at, received, payload FROM events
		WHERE ($1 = '' OR store = $1) AND type = ANY($2) AND ($3::timestamptz IS NULL OR ts >= $3)
			AND ($4::timestamptz IS NULL OR ts < $4)`, store, types, nullTime(from), nullTime(to))
	if err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ev hub.StoredEvent
		var at *time.Time
		var payload []byte
		if err := rows.Scan(&ev.ID, &ev.Type, &ev.Store, &ev.Terminal, &at, &ev.Received, &payload); err != nil {
			return fmt.Errorf("scan events: %w", err)
		}
		ev.At, ev.Received, ev.Payload = timeOrZero(at), ev.Received.UTC(), json.RawMessage(payload)
		if err := fn(ev); err != nil {
			return fmt.Errorf("scan events: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	return nil
}

// EventCount returns how many distinct events the hub holds.
func (s *Store) EventCount() (int, error) {
	ctx, cancel := background()
	defer cancel()
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM events").Scan(&n); err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return int(n), nil
}

// SeqGaps returns how many times a terminal's event seq did not follow its previous one.
func (s *Store) SeqGaps() (uint64, error) {
	ctx, cancel := background()
	defer cancel()
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT coalesce(sum(gaps), 0)::bigint FROM terminals").Scan(&n); err != nil {
		return 0, fmt.Errorf("count seq gaps: %w", err)
	}
	return uint64(n), nil
}

// The Store serves a hub.Server as the bbolt Storage does.
var _ hub.AdminStore = (*Store)(nil)
