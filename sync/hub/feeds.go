package hub

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
)

// feedHandler serves GET /v1/{feed}?since=CURSOR&limit=N for the token's store.
func (s *Server) feedHandler(feed string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		term, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		q := r.URL.Query()
		limit := DefaultPageLimit
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxPageLimit {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("limit must be a number from 1 to %d", MaxPageLimit))
				return
			}
			limit = n
		}
		page, err := s.b.Feed(r.Context(), feed, term.Store, q.Get("since"), limit)
		if errors.Is(err, ErrBadCursor) {
			writeError(w, http.StatusBadRequest, "since: not a cursor of this feed; start with an empty one")
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		s.obs.ObservePull(feed, len(page.Items), len(page.Deleted))
		writeJSON(w, http.StatusOK, page)
		note(r.Context(), slog.String("feed", feed), slog.Int("items", len(page.Items)),
			slog.Int("deleted", len(page.Deleted)), slog.Bool("more", page.More))
	}
}
