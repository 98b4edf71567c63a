package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Audit payload bounds: short tokens and a detail line, never a document.
const (
	maxAuditToken  = 64
	maxAuditName   = 256
	maxAuditDetail = 1024
)

var auditOutcomes = []string{wire.AuditGranted, wire.AuditDenied, wire.AuditWrongPIN, wire.AuditLocked}

// validateAudit says why an "audit" payload can never be accepted, or "".
func validateAudit(payload []byte) string {
	var a wire.Audit
	if err := json.Unmarshal(payload, &a); err != nil {
		return "audit payload: " + jsonReason(err)
	}
	switch {
	case a.Action == "" || len(a.Action) > maxAuditToken:
		return "audit action missing"
	case !slices.Contains(auditOutcomes, a.Outcome):
		return fmt.Sprintf("audit outcome %.40q is none of granted, denied, wrong_pin, locked", a.Outcome)
	case a.At.IsZero():
		return "audit time missing"
	case a.Line < 0:
		return "audit line must not be negative"
	case len(a.Cashier) > maxIDLen || len(a.Authoriser) > maxIDLen || len(a.Receipt) > maxIDLen ||
		len(a.CashierName) > maxAuditName || len(a.AuthoriserName) > maxAuditName || len(a.AuthoriserRole) > maxAuditToken:
		return "audit field too long"
	case len(a.Detail) > maxAuditDetail:
		return fmt.Sprintf("audit detail longer than %d bytes", maxAuditDetail)
	}
	return ""
}

// AuditRecord is an audit event as the hub keeps it.
type AuditRecord struct {
	EventID  string     `json:"event_id"`
	Store    string     `json:"store"`
	Terminal string     `json:"terminal"`
	Received time.Time  `json:"received"`
	Audit    wire.Audit `json:"audit"`
}

// AuditLog returns the audit events of store ("" for every store) whose time is in [from, to) (zero bounds
// open), ordered by time, then store, terminal and id. It reads through ReportSource, so any backend that
// can build the report can list the audit log.
func AuditLog(ctx context.Context, src ReportSource, store string, from, to time.Time) ([]AuditRecord, error) {
	var out []AuditRecord
	err := src.ScanEvents(ctx, store, from, to, []string{wire.TypeAudit}, func(ev StoredEvent) error {
		r := AuditRecord{EventID: ev.ID, Store: ev.Store, Terminal: ev.Terminal, Received: ev.Received}
		if err := json.Unmarshal(ev.Payload, &r.Audit); err != nil {
			return fmt.Errorf("decode audit event %q: %w", ev.ID, err)
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	slices.SortFunc(out, func(a, b AuditRecord) int {
		if c := a.Audit.At.Compare(b.Audit.At); c != 0 {
			return c
		}
		for _, p := range [][2]string{{a.Store, b.Store}, {a.Terminal, b.Terminal}, {a.EventID, b.EventID}} {
			if p[0] != p[1] {
				if p[0] < p[1] {
					return -1
				}
				return 1
			}
		}
		return 0
	})
	return out, nil
}

// handleAudit serves GET /v1/admin/audit?store=&from=&to= (RFC 3339 times): the audit log for an admin token.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	if !s.admitAdmin(w, r) {
		return
	}
	qs := r.URL.Query()
	var bounds [2]time.Time
	for i, name := range []string{"from", "to"} {
		if v := qs.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("%s: want an RFC 3339 time like 2026-11-23T00:00:00+03:00", name))
				return
			}
			bounds[i] = t
		}
	}
	note(r.Context(), slog.String("store", qs.Get("store")))
	list, err := AuditLog(r.Context(), s.b, qs.Get("store"), bounds[0], bounds[1])
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if list == nil {
		list = []AuditRecord{}
	}
	writeJSON(w, http.StatusOK, list)
}
