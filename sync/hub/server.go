package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// DefaultMaxBody is the largest POST /v1/events body accepted unless Options says otherwise.
const DefaultMaxBody int64 = 8 << 20

// Options configure a Server.
type Options struct {
	Logger  *slog.Logger // nil: discard
	MaxBody int64        // largest request body in bytes; 0: DefaultMaxBody
}

// Server serves the sync API (POST /v1/events, GET /v1/health) over a Storage.
type Server struct {
	st      *Storage
	log     *slog.Logger
	maxBody int64
	now     func() time.Time
}

// NewServer returns a server that stores into st.
func NewServer(st *Storage, opt Options) *Server {
	s := &Server{st: st, log: opt.Logger, maxBody: opt.MaxBody, now: time.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBody
	}
	return s
}

// Handler returns the HTTP handler of the sync API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/events", s.handleEvents)
	mux.HandleFunc("GET /v1/health", s.handleHealth)
	return mux
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, wire.Health{Status: wire.HealthOK})
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		s.unauthorized(w, r, "missing bearer token")
		return
	}
	term, err := s.st.Authenticate(token)
	if errors.Is(err, ErrUnknownToken) {
		s.unauthorized(w, r, "unknown token")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	log := s.log.With("store", term.Store, "terminal", term.Name)

	if r.ContentLength > s.maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", s.maxBody))
		log.Warn("batch too large", "content_length", r.ContentLength)
		return
	}
	batch, rejected, status, reason := decodeBatch(http.MaxBytesReader(w, r.Body, s.maxBody), s.maxBody)
	if status != http.StatusOK {
		writeError(w, status, reason)
		log.Warn("bad batch", "status", status, "reason", reason)
		return
	}

	res := wire.BatchResult{Acked: make([]string, 0, len(batch.Events))}
	valid := make([]wire.Event, 0, len(batch.Events))
	for i, ev := range batch.Events {
		if _, bad := rejected[i]; bad {
			continue
		}
		if reason := validateEvent(ev, term); reason != "" {
			rejected[i] = reason
			continue
		}
		valid = append(valid, ev)
	}
	stored, err := s.st.Append(term, valid, start.UTC())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	refused := make(map[string]string, len(stored.Rejected))
	for _, rj := range stored.Rejected {
		refused[rj.ID] = rj.Reason
	}
	// Answer in batch order so a terminal can read the result alongside what it sent.
	for i, ev := range batch.Events {
		reason, bad := rejected[i]
		if !bad {
			reason, bad = refused[ev.ID]
		}
		if bad {
			res.Rejected = append(res.Rejected, wire.Rejection{ID: ev.ID, Reason: reason})
			log.Warn("event rejected", "id", ev.ID, "seq", ev.Seq, "type", ev.Type, "reason", reason)
			continue
		}
		res.Acked = append(res.Acked, ev.ID)
	}
	for _, g := range stored.Gaps {
		log.Warn("event seq gap", "last_seq", g.Last, "seq", g.Received)
	}
	writeJSON(w, http.StatusOK, res)
	log.Info("batch", "events", len(batch.Events), "new", stored.Stored, "acked", len(res.Acked),
		"rejected", len(res.Rejected), "duration", s.now().Sub(start))
}

// decodeBatch reads a wire.Batch. An event that does not decode but has an id is reported in rejected (by
// its index); a body that is not a batch gets the HTTP status and reason to answer.
func decodeBatch(body io.Reader, maxBody int64) (b wire.Batch, rejected map[int]string, status int, reason string) {
	tooLarge := fmt.Sprintf("body larger than %d bytes", maxBody)
	var raw struct {
		Events []json.RawMessage `json:"events"`
	}
	dec := json.NewDecoder(body)
	if err := dec.Decode(&raw); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return b, nil, http.StatusRequestEntityTooLarge, tooLarge
		}
		return b, nil, http.StatusBadRequest, "malformed JSON: " + jsonReason(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return b, nil, http.StatusRequestEntityTooLarge, tooLarge
		}
		return b, nil, http.StatusBadRequest, "malformed JSON: data after the batch"
	}
	if raw.Events == nil {
		return b, nil, http.StatusBadRequest, "missing field: events"
	}
	b.Events = make([]wire.Event, len(raw.Events))
	rejected = make(map[int]string)
	for i, m := range raw.Events {
		err := json.Unmarshal(m, &b.Events[i])
		if err != nil {
			var idOnly struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(m, &idOnly) == nil && idOnly.ID != "" {
				b.Events[i] = wire.Event{ID: idOnly.ID}
				rejected[i] = "malformed event: " + jsonReason(err)
				continue
			}
			return wire.Batch{}, nil, http.StatusBadRequest, fmt.Sprintf("event %d: %s", i, jsonReason(err))
		}
		// Without an id there is nothing to acknowledge or reject, so the whole batch is refused.
		if b.Events[i].ID == "" {
			return wire.Batch{}, nil, http.StatusBadRequest, fmt.Sprintf("event %d: missing field: id", i)
		}
	}
	return b, rejected, http.StatusOK, ""
}

func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, reason string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="kassahub"`)
	writeError(w, http.StatusUnauthorized, reason)
	s.log.Warn("unauthorized", "remote", r.RemoteAddr, "reason", reason)
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	writeError(w, http.StatusInternalServerError, "internal error")
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
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
