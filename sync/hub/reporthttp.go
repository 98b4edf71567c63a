package hub

import (
	"errors"
	"log/slog"
	"net/http"
)

// handleReport serves GET /v1/admin/report?store=&from=&to=&zone=: the omnichannel report (wire.Report)
// for an admin token. Every parameter is optional; a bad day, zone or store is a 400.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	if !s.admitAdmin(w, r) {
		return
	}
	qs := r.URL.Query()
	q := ReportQuery{Store: qs.Get("store"), From: qs.Get("from"), To: qs.Get("to"), Zone: qs.Get("zone")}
	note(r.Context(), slog.String("store", q.Store), slog.String("from", q.From), slog.String("to", q.To))
	rep, err := BuildReport(r.Context(), s.b, q)
	if errors.Is(err, ErrInvalid) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	note(r.Context(), slog.Int("rows", len(rep.Rows)))
	writeJSON(w, http.StatusOK, rep)
}
