package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// Append stores the events of one batch from term in one transaction; see hub.EventStore and
// hub.Storage.Append, whose outcomes it reproduces. The terminal's row is locked first, then the batch's
// new ids are claimed in one INSERT … ON CONFLICT DO NOTHING: an id another instance is storing at the
// same moment waits for that transaction and then counts as a duplicate, so no effect is applied twice.
// Loyalty and hand-over effects follow in batch order under their feed's lock.
func (s *Store) Append(ctx context.Context, term hub.Terminal, batch []hub.Incoming, received time.Time) (hub.AppendResult, error) {
	var res hub.AppendResult
	received = received.UTC()
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = appendTx(ctx, tx, term, batch, received)
		return err
	})
	if err != nil {
		return hub.AppendResult{}, fmt.Errorf("append %d events from %s/%s: %w", len(batch), term.Store, term.Name, err)
	}
	return res, nil
}

// batchTx is one run of Append's transaction.
type batchTx struct {
	ctx      context.Context
	tx       pgx.Tx
	term     hub.Terminal
	received time.Time
	st       termState
	res      hub.AppendResult
	scopes   map[string]*scope
}

func appendTx(ctx context.Context, tx pgx.Tx, term hub.Terminal, batch []hub.Incoming, received time.Time) (hub.AppendResult, error) {
	b := &batchTx{ctx: ctx, tx: tx, term: term, received: received, scopes: map[string]*scope{},
		res: hub.AppendResult{Events: make([]hub.EventResult, len(batch))}}
	batch = slices.Clone(batch) // reasons are added below; the caller's batch stays as it was
	var err error
	if b.st, err = lockTerminal(ctx, tx, term); err != nil {
		return b.res, err
	}
	// The feeds the batch's effects change are locked up front in one order (customers, then the store's
	// pickup orders), so two batches cannot deadlock on them.
	needs := map[string]bool{}
	first := map[string]int{} // id -> index of its first valid occurrence
	var claim []int
	for i, in := range batch {
		if in.Reason == "" && hasNUL(in.ID, in.Type) {
			batch[i].Reason = "id or type holds a NUL character"
		}
		if batch[i].Reason != "" {
			continue
		}
		switch in.Type {
		case wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption:
			needs[wire.FeedCustomers] = true
		case wire.TypePickupHandover:
			needs[wire.FeedPickupOrders] = true
		}
		if _, seen := first[in.ID]; !seen {
			first[in.ID] = i
			claim = append(claim, i)
		}
	}
	for _, feed := range []string{wire.FeedCustomers, wire.FeedPickupOrders} {
		if needs[feed] {
			if err := b.scope(feed).lock(ctx); err != nil {
				return b.res, err
			}
		}
	}
	claimed, known, err := b.claim(batch, claim)
	if err != nil {
		return b.res, err
	}
	owners, err := b.owners(batch, claim, claimed)
	if err != nil {
		return b.res, err
	}
	stored := 0
	for i, in := range batch {
		switch {
		case in.Reason != "":
			if err := b.reject(in.Event, i, in.Reason, false); err != nil {
				return b.res, err
			}
			continue
		case first[in.ID] != i: // the same id earlier in this batch
			prev := b.res.Events[first[in.ID]]
			if prev.Status == hub.Stored {
				prev.Status = hub.Duplicate
			}
			if prev.Status == hub.Rejected {
				b.st.rejected++
			}
			b.res.Events[i] = prev
			continue
		case !claimed[in.ID]:
			if owners[in.ID] != (hub.Terminal{Store: term.Store, Name: term.Name}) {
				b.res.Events[i] = hub.EventResult{Status: hub.Rejected, Reason: "id already used by another terminal"}
				b.st.rejected++
			} else {
				b.res.Events[i] = hub.EventResult{Status: hub.Duplicate}
			}
			continue
		}
		reason, warn, err := b.apply(in.Event)
		if err != nil {
			return b.res, err
		}
		if reason != "" {
			if err := b.reject(in.Event, i, reason, true); err != nil {
				return b.res, err
			}
			continue
		}
		last, gap := hub.NoteSeq(uint64(b.st.lastSeq), in.Seq, known[in.ID])
		b.st.lastSeq = int64(last)
		if gap != nil {
			b.res.Gaps = append(b.res.Gaps, *gap)
		}
		if warn != nil {
			b.res.Warnings = append(b.res.Warnings, *warn)
		}
		b.res.Events[i] = hub.EventResult{Status: hub.Stored}
		stored++
	}
	b.st.events += int64(stored)
	if n := len(b.res.Gaps); n > 0 {
		b.st.gaps += int64(n)
		b.st.lastGap = &b.res.Gaps[n-1]
	}
	return b.res, saveTerminal(ctx, tx, term, b.st, b.received)
}

func (b *batchTx) scope(feed string) *scope {
	key := feed + "\x00" + hub.ScopeStore(feed, b.term.Store)
	f := b.scopes[key]
	if f == nil {
		f = newScope(b.tx, feed, b.term.Store)
		b.scopes[key] = f
	}
	return f
}

// claim inserts the events of the given indexes and returns the ids it inserted (the others are already
// stored, by this terminal or another) and, among them, those refused before.
func (b *batchTx) claim(batch []hub.Incoming, idx []int) (claimed, known map[string]bool, err error) {
	claimed, known = make(map[string]bool, len(idx)), map[string]bool{}
	if len(idx) == 0 {
		return claimed, known, nil
	}
	n := len(idx)
	ids, types, payloads := make([]string, n), make([]string, n), make([][]byte, n)
	seqs := make([]int64, n)
	ats, tss := make([]*time.Time, n), make([]time.Time, n)
	for k, i := range idx {
		ev := batch[i].Event
		ids[k], types[k], seqs[k], payloads[k] = ev.ID, ev.Type, int64(ev.Seq), ev.Payload
		ats[k] = nullTime(ev.At)
		tss[k] = b.received
		if ats[k] != nil {
			tss[k] = *ats[k]
		}
	}
	// One round trip: insert the new ids and take the refused-before ones out of rejected (the event is
	// stored now, unless its effect refuses it again and reject records it anew).
	rows, err := b.tx.Query(b.ctx, `WITH ins AS (
			INSERT INTO events (id, store, terminal, type, seq, at, received, ts, payload)
			SELECT u.id, $1, $2, u.type, u.seq, u.at, $3, u.ts, u.payload
			FROM unnest($4::text[], $5::text[], $6::bigint[], $7::timestamptz[], $8::timestamptz[], $9::bytea[])
				AS u(id, type, seq, at, ts, payload)
			ON CONFLICT (id) DO NOTHING RETURNING id),
		del AS (DELETE FROM rejected WHERE id IN (SELECT id FROM ins) RETURNING id)
		SELECT ins.id, del.id IS NOT NULL FROM ins LEFT JOIN del ON del.id = ins.id`,
		b.term.Store, b.term.Name, b.received, ids, types, seqs, ats, tss, payloads)
	if err != nil {
		return nil, nil, fmt.Errorf("store events: %w", err)
	}
	for rows.Next() {
		var id string
		var wasRefused bool
		if err := rows.Scan(&id, &wasRefused); err != nil {
			return nil, nil, fmt.Errorf("store events: %w", err)
		}
		claimed[id] = true
		if wasRefused {
			known[id] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store events: %w", err)
	}
	return claimed, known, nil
}

// owners finds who stored the ids of the batch that claim did not insert: this terminal (a duplicate) or
// another one.
func (b *batchTx) owners(batch []hub.Incoming, idx []int, claimed map[string]bool) (map[string]hub.Terminal, error) {
	owners := map[string]hub.Terminal{}
	var old []string
	for _, i := range idx {
		if id := batch[i].ID; !claimed[id] {
			old = append(old, id)
		}
	}
	if len(old) == 0 {
		return owners, nil
	}
	rows, err := b.tx.Query(b.ctx, "SELECT id, store, terminal FROM events WHERE id = ANY($1)", old)
	if err != nil {
		return nil, fmt.Errorf("stored events: %w", err)
	}
	for rows.Next() {
		var id string
		var t hub.Terminal
		if err := rows.Scan(&id, &t.Store, &t.Name); err != nil {
			return nil, fmt.Errorf("stored events: %w", err)
		}
		owners[id] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stored events: %w", err)
	}
	return owners, nil
}

// reject refuses the event at index i and remembers its id unless it is stored (an id stored by another
// terminal keeps its event). unclaim removes the row claim inserted for it.
func (b *batchTx) reject(ev wire.Event, i int, reason string, unclaim bool) error {
	b.res.Events[i] = hub.EventResult{Status: hub.Rejected, Reason: reason}
	b.st.rejected++
	if ev.ID == "" || len(ev.ID) > hub.MaxIDLen || hasNUL(ev.ID) {
		return nil
	}
	if unclaim {
		if _, err := b.tx.Exec(b.ctx, "DELETE FROM events WHERE id = $1", ev.ID); err != nil {
			return fmt.Errorf("unstore refused event: %w", err)
		}
	}
	_, err := b.tx.Exec(b.ctx, `INSERT INTO rejected (id, store, terminal, seq, reason, received)
		SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = $1)
		ON CONFLICT (id) DO UPDATE SET store = excluded.store, terminal = excluded.terminal, seq = excluded.seq,
			reason = excluded.reason, received = excluded.received`,
		ev.ID, b.term.Store, b.term.Name, int64(ev.Seq), reason, b.received)
	if err != nil {
		return fmt.Errorf("remember refused event: %w", err)
	}
	return nil
}

// apply carries out what a new event means beyond being stored. A non-empty reason refuses it.
func (b *batchTx) apply(ev wire.Event) (string, *hub.Warning, error) {
	switch ev.Type {
	case wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption:
		return b.loyalty(ev)
	case wire.TypePickupHandover:
		return b.handover(ev)
	}
	return "", nil, nil
}

// loyalty moves a customer's balance, appends to the ledger and publishes the new balance in the customers
// feed. A redemption below zero is stored and reported: it happened at an offline till.
func (b *batchTx) loyalty(ev wire.Event) (string, *hub.Warning, error) {
	var l wire.Loyalty
	if err := json.Unmarshal(ev.Payload, &l); err != nil {
		return "loyalty payload: " + hub.JSONReason(err), nil, nil
	}
	if hasNUL(l.Customer, l.Sale) {
		return "loyalty customer or sale holds a NUL character", nil, nil
	}
	points := l.Points
	if ev.Type == wire.TypeLoyaltyRedemption {
		points = -points
	}
	var balance int64
	err := b.tx.QueryRow(b.ctx, "UPDATE customers SET delta = delta + $2 WHERE id = $1 RETURNING base + delta",
		l.Customer, points).Scan(&balance)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Sprintf("unknown customer %q", l.Customer), nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("balance of %q: %w", l.Customer, err)
	}
	at := ev.At
	if at.IsZero() {
		at = b.received
	}
	overdraft := points < 0 && balance < 0
	if _, err := b.tx.Exec(b.ctx, `INSERT INTO ledger (customer, kind, points, balance, event_id, sale, store, terminal, at, overdraft)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, l.Customer, ev.Type, points, balance, ev.ID, l.Sale,
		b.term.Store, b.term.Name, at.UTC(), overdraft); err != nil {
		return "", nil, fmt.Errorf("ledger of %q: %w", l.Customer, err)
	}
	f := b.scope(wire.FeedCustomers)
	data, err := f.get(b.ctx, l.Customer)
	if err != nil {
		return "", nil, err
	}
	if data != nil {
		if data, err = hub.CustomerWithBalance(data, l.Customer, balance); err != nil {
			return "", nil, err
		}
		if err := f.put(b.ctx, l.Customer, data); err != nil {
			return "", nil, err
		}
	}
	if overdraft {
		return "", hub.OverdraftWarning(ev.ID, l, balance), nil
	}
	return "", nil, nil
}

// hasNUL reports whether any of ss holds a NUL character, which PostgreSQL text cannot store. Terminals
// never send one (ids are UUIDs); the bbolt hub would store it, this one refuses the event instead of
// failing the whole batch again and again.
func hasNUL(ss ...string) bool {
	for _, s := range ss {
		if strings.IndexByte(s, 0) >= 0 {
			return true
		}
	}
	return false
}
