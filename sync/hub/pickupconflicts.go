package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Reasons of a PickupConflict.
const (
	ConflictSecondHandover = "second_handover" // the order was handed over before, at this or another till
	ConflictCancelled      = "cancelled"       // the order had been cancelled
)

// Handover is one hand-over of a pickup order as a terminal reported it.
type Handover struct {
	Event    string    `json:"event"`
	Terminal string    `json:"terminal"`
	At       time.Time `json:"at"`
	Sale     string    `json:"sale,omitempty"`
}

// PickupConflict is a hand-over the order could not take: the goods left the store twice, or after the
// order was cancelled. An operator settles it (a refund, a call to the customer).
type PickupConflict struct {
	Store    string    `json:"store"`
	Order    string    `json:"order"`
	Number   string    `json:"number,omitempty"`
	Status   string    `json:"status,omitempty"` // the order's status now
	Reason   string    `json:"reason"`           // ConflictSecondHandover or ConflictCancelled
	Handover Handover  `json:"handover"`         // the conflicting one
	First    *Handover `json:"first,omitempty"`  // the hand-over that counts, for a second one
}

// Conflicts are the business conflicts the tills' offline work left for an operator: pickup orders handed
// over twice or after cancellation, and loyalty redemptions that took a balance below zero.
type Conflicts struct {
	Pickup     []PickupConflict `json:"pickup"`
	Overdrafts []LedgerEntry    `json:"overdrafts"`
}

// LedgerReader lists loyalty point movements; *Storage and the PostgreSQL store implement it.
type LedgerReader interface {
	Ledger(ctx context.Context, customer string) ([]LedgerEntry, error)
}

// conflictsSource is what listing the pickup conflicts reads: the stored hand-over events and the pickup
// orders' feed, which every Backend has.
type conflictsSource interface {
	ReportSource
	FeedReader
}

// ListConflicts lists the pickup conflicts of store ("" for every store), ordered by store, order and time,
// from the stored hand-over events in the order the hub received them (the first one counts) and the
// orders' statuses now; and, when ledger is not nil, the loyalty overdrafts of store's tills.
func ListConflicts(ctx context.Context, src conflictsSource, ledger LedgerReader, store string) (Conflicts, error) {
	out := Conflicts{Pickup: []PickupConflict{}, Overdrafts: []LedgerEntry{}}
	type key struct{ store, order string }
	type stored struct {
		h        Handover
		received time.Time
	}
	byOrder := map[key][]stored{}
	err := src.ScanEvents(ctx, store, time.Time{}, time.Time{}, []string{wire.TypePickupHandover}, func(ev StoredEvent) error {
		var h wire.PickupHandover
		if err := json.Unmarshal(ev.Payload, &h); err != nil || h.Order == "" {
			return nil // stored events passed validation; one that does not decode names no order
		}
		at := ev.At
		if at.IsZero() {
			at = ev.Received
		}
		k := key{ev.Store, h.Order}
		byOrder[k] = append(byOrder[k], stored{Handover{Event: ev.ID, Terminal: ev.Terminal, At: at, Sale: h.Sale}, ev.Received})
		return nil
	})
	if err != nil {
		return Conflicts{}, fmt.Errorf("pickup conflicts: %w", err)
	}
	orders := map[key]wire.PickupOrder{}
	for _, s := range storesOf(byOrder, func(k key) string { return k.store }) {
		if err := readOrders(ctx, src, s, func(o wire.PickupOrder) { orders[key{s, o.ID}] = o }); err != nil {
			return Conflicts{}, err
		}
	}
	for k, hs := range byOrder {
		slices.SortStableFunc(hs, func(a, b stored) int {
			return cmp.Or(a.received.Compare(b.received), a.h.At.Compare(b.h.At), cmp.Compare(a.h.Event, b.h.Event))
		})
		o := orders[k]
		for i, h := range hs {
			c := PickupConflict{Store: k.store, Order: k.order, Number: o.Number, Status: o.Status, Handover: h.h}
			switch {
			case o.Status == wire.PickupCancelled:
				c.Reason = ConflictCancelled
			case i > 0:
				c.Reason, c.First = ConflictSecondHandover, &hs[0].h
			default:
				continue
			}
			out.Pickup = append(out.Pickup, c)
		}
	}
	slices.SortFunc(out.Pickup, func(a, b PickupConflict) int {
		return cmp.Or(cmp.Compare(a.Store, b.Store), cmp.Compare(a.Order, b.Order), a.Handover.At.Compare(b.Handover.At),
			cmp.Compare(a.Handover.Event, b.Handover.Event))
	})
	if ledger == nil {
		return out, nil
	}
	entries, err := ledger.Ledger(ctx, "")
	if err != nil {
		return Conflicts{}, fmt.Errorf("loyalty overdrafts: %w", err)
	}
	for _, e := range entries {
		if e.Overdraft && (store == "" || e.Store == store) {
			out.Overdrafts = append(out.Overdrafts, e)
		}
	}
	slices.SortStableFunc(out.Overdrafts, func(a, b LedgerEntry) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Customer, b.Customer))
	})
	return out, nil
}

func storesOf[K comparable, V any](m map[K]V, store func(K) string) []string {
	var out []string
	for k := range m {
		if s := store(k); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// readOrders pages through a store's pickup orders feed.
func readOrders(ctx context.Context, src FeedReader, store string, fn func(wire.PickupOrder)) error {
	cursor := ""
	for {
		page, err := src.Feed(ctx, wire.FeedPickupOrders, store, cursor, 1000)
		if err != nil {
			return fmt.Errorf("pickup orders of %s: %w", store, err)
		}
		for _, raw := range page.Items {
			var o wire.PickupOrder
			if err := json.Unmarshal(raw, &o); err != nil {
				return fmt.Errorf("pickup orders of %s: %w", store, err)
			}
			fn(o)
		}
		if !page.More || page.Next == cursor {
			return nil
		}
		cursor = page.Next
	}
}

// handlePickupConflicts serves GET /v1/admin/pickup-conflicts[?store=S]: the pickup conflicts and loyalty
// overdrafts (ListConflicts) for an operator, with an admin token.
func (s *Server) handlePickupConflicts(w http.ResponseWriter, r *http.Request) {
	if !s.admitAdmin(w, r) {
		return
	}
	store := r.URL.Query().Get("store")
	if store != "" && !validName(store) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("store %.40q is not a store name", store))
		return
	}
	note(r.Context(), slog.String("store", store))
	ledger, _ := s.b.(LedgerReader) // both backends keep a ledger; one without lists no overdrafts
	c, err := ListConflicts(r.Context(), s.b, ledger, store)
	if errors.Is(err, ErrBadName) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	note(r.Context(), slog.Int("pickup", len(c.Pickup)), slog.Int("overdrafts", len(c.Overdrafts)))
	writeJSON(w, http.StatusOK, c)
}
