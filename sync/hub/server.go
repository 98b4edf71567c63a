package hub

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// DefaultMaxBody is the largest request body accepted unless Options says otherwise.
const DefaultMaxBody int64 = 8 << 20

// Options configure a Server.
type Options struct {
	Logger   *slog.Logger // nil: discard
	MaxBody  int64        // largest request body in bytes; 0: DefaultMaxBody
	Observer Observer     // nil: none
	// AdminTokens are the hex SHA-256 of the tokens that may use /v1/admin/…; none: the admin API refuses all.
	AdminTokens []string
	Pickup      PickupOptions
}

// Server serves the sync API of sync/openapi.yaml over a Backend.
type Server struct {
	b       Backend
	log     *slog.Logger
	maxBody int64
	obs     Observer
	admin   [][]byte
	pickup  PickupOptions
	now     func() time.Time
}

// NewServer returns a server that stores into b. Admin token hashes that are not 64 hex digits are ignored
// (cmd/kassahub validates its config before).
func NewServer(b Backend, opt Options) *Server {
	s := &Server{b: b, log: opt.Logger, maxBody: opt.MaxBody, obs: opt.Observer, pickup: opt.Pickup, now: time.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBody
	}
	if s.obs == nil {
		s.obs = nopObserver{}
	}
	for _, h := range opt.AdminTokens {
		if raw, err := hex.DecodeString(h); err == nil && len(raw) == sha256.Size {
			s.admin = append(s.admin, raw)
		}
	}
	return s
}

// Handler returns the HTTP handler of the sync API. Every request is logged on one line and observed.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/events", s.handleEvents)
	mux.HandleFunc("GET /v1/health", s.handleHealth)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	for _, feed := range []string{wire.FeedCatalog, wire.FeedCustomers, wire.FeedOffers, wire.FeedPickupOrders} {
		mux.HandleFunc("GET /v1/"+feed, s.feedHandler(feed))
	}
	mux.HandleFunc("POST /v1/admin/pickup-orders", s.handleCreatePickup)
	mux.HandleFunc("POST /v1/admin/baskets", s.handleCreateBasket)
	mux.HandleFunc("GET /v1/admin/report", s.handleReport)
	mux.HandleFunc("GET /v1/admin/audit", s.handleAudit)                      // audit.go
	mux.HandleFunc("GET /v1/admin/pickup-conflicts", s.handlePickupConflicts) // pickupconflicts.go
	return s.instrument(mux)
}

// Pinger is a storage that can tell cheaply whether it answers: *Storage runs an empty read transaction,
// the PostgreSQL store pings its pool. A Backend without it is taken as always up.
type Pinger interface {
	Ping(ctx context.Context) error
}

// healthTimeout bounds the storage check of a health probe: a load balancer must get an answer before its
// own timeout, and a storage that slow is as good as down.
const healthTimeout = 2 * time.Second

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.b.(Pinger); ok {
		ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
		defer cancel()
		if err := p.Ping(ctx); err != nil {
			// The detail goes to the log only: the probe is unauthenticated.
			note(r.Context(), slog.String("err", err.Error()))
			writeError(w, http.StatusServiceUnavailable, "storage unavailable")
			return
		}
	}
	quiet(r.Context())
	writeJSON(w, http.StatusOK, wire.Health{Status: wire.HealthOK})
}

// authenticate finds the request's terminal, or answers 401 (or 500) and returns false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (Terminal, bool) {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		unauthorized(w, r, "missing bearer token")
		return Terminal{}, false
	}
	term, err := s.b.Authenticate(token)
	if errors.Is(err, ErrUnknownToken) {
		unauthorized(w, r, "unknown token")
		return Terminal{}, false
	}
	if err != nil {
		s.internal(w, r, err)
		return Terminal{}, false
	}
	note(r.Context(), slog.String("store", term.Store), slog.String("terminal", term.Name))
	return term, true
}

// isAdmin reports whether the request carries one of the configured admin tokens.
func (s *Server) isAdmin(r *http.Request) bool {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		return false
	}
	h := tokenHash(token)
	found := 0
	for _, want := range s.admin {
		found |= subtle.ConstantTimeCompare(h, want)
	}
	return found == 1
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	term, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if r.ContentLength > s.maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", s.maxBody))
		return
	}
	batch, malformed, status, reason := decodeBatch(http.MaxBytesReader(w, r.Body, s.maxBody), s.maxBody)
	if status != http.StatusOK {
		writeError(w, status, reason)
		note(r.Context(), slog.String("reason", reason))
		return
	}
	in := make([]Incoming, len(batch.Events))
	types := make([]string, len(batch.Events))
	for i, ev := range batch.Events {
		reason, bad := malformed[i]
		if !bad {
			reason = validateEvent(ev, term)
		}
		in[i] = Incoming{Event: ev, Reason: reason}
		types[i] = ev.Type
	}
	stored, err := s.b.Append(r.Context(), term, in, s.now().UTC())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	// Answer in batch order so a terminal can read the result alongside what it sent.
	res := wire.BatchResult{Acked: make([]string, 0, len(in)), Gaps: stored.Gaps}
	var fresh, dups int
	for i, ev := range in {
		switch er := stored.Events[i]; er.Status {
		case Stored, Duplicate:
			res.Acked = append(res.Acked, ev.ID)
			if er.Status == Stored {
				fresh++
			} else {
				dups++
			}
		default:
			res.Rejected = append(res.Rejected, wire.Rejection{ID: ev.ID, Reason: er.Reason})
			s.log.Warn("event rejected", "store", term.Store, "terminal", term.Name, "id", ev.ID, "seq", ev.Seq,
				"type", ev.Type, "reason", er.Reason)
		}
	}
	report := BatchReport{Store: term.Store, Terminal: term.Name, Types: types, Results: stored.Events, Warnings: stored.Warnings}
	for _, g := range stored.Gaps {
		report.Gaps = append(report.Gaps, int64(g.Received)-int64(g.Last)-1)
		s.log.Warn("event seq gap", "store", term.Store, "terminal", term.Name, "last_seq", g.Last, "seq", g.Received)
	}
	for _, wn := range stored.Warnings {
		s.log.Warn(wn.Kind, "store", term.Store, "terminal", term.Name, "id", wn.EventID, "detail", wn.Detail)
	}
	s.obs.ObserveBatch(report)
	writeJSON(w, http.StatusOK, res)
	note(r.Context(), slog.Int("events", len(in)), slog.Int("new", fresh), slog.Int("duplicates", dups),
		slog.Int("rejected", len(res.Rejected)), slog.Int("gaps", len(stored.Gaps)))
}

func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

func unauthorized(w http.ResponseWriter, r *http.Request, reason string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="kassahub"`)
	writeError(w, http.StatusUnauthorized, reason)
	note(r.Context(), slog.String("remote", r.RemoteAddr), slog.String("reason", reason))
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	writeError(w, http.StatusInternalServerError, "internal error")
	note(r.Context(), slog.String("err", err.Error()))
}

func writeError(w http.ResponseWriter, status int, reason string) {
	writeJSON(w, status, wire.Error{Error: reason})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		// Only our own wire types reach here; they always encode.
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}
