package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/kassa-pos/kassa/sync/wire"
)

// handleCreatePickup serves POST /v1/admin/pickup-orders: the web shop creates a click&collect order with
// an admin token. 201 for a new order, 200 for a repeated request, 409 for another order of that number.
func (s *Server) handleCreatePickup(w http.ResponseWriter, r *http.Request) {
	var req wire.PickupRequest
	if !s.adminRequest(w, r, &req) {
		return
	}
	note(r.Context(), slog.String("store", req.Store), slog.String("number", req.Number))
	o, phoneHash, err := BuildPickupOrder(r.Context(), s.b, req, s.pickup, s.now())
	if errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	stored, created, err := s.b.PutPickupOrder(r.Context(), o, phoneHash)
	if errors.Is(err, ErrConflict) {
		writeError(w, http.StatusConflict, fmt.Sprintf("order %s of store %s already exists with other contents", o.Number, o.Store))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	res := wire.PickupCreated{Order: stored}
	if s.pickup.KeyID != "" {
		if res.QR, err = PickupQR(stored, s.pickup); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	note(r.Context(), slog.String("order", stored.ID), slog.Bool("created", created))
	writeJSON(w, status, res)
}

// admitAdmin lets a request with an admin token through, or answers 401 and returns false.
func (s *Server) admitAdmin(w http.ResponseWriter, r *http.Request) bool {
	if len(s.admin) == 0 {
		unauthorized(w, r, "the admin API is not enabled: no admin token in the config")
		return false
	}
	if !s.isAdmin(r) {
		unauthorized(w, r, "missing or unknown admin token")
		return false
	}
	return true
}

// adminRequest checks the admin token and decodes a strict JSON body into v, or answers the error and
// returns false.
func (s *Server) adminRequest(w http.ResponseWriter, r *http.Request, v any) bool {
	if !s.admitAdmin(w, r) {
		return false
	}
	if r.ContentLength > s.maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", s.maxBody))
		return false
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.maxBody)); err != nil {
		if tooLarge(err) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", s.maxBody))
			return false
		}
		writeError(w, http.StatusBadRequest, "read body: "+jsonReason(err))
		return false
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "malformed JSON: "+jsonReason(err))
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "malformed JSON: data after the request")
		return false
	}
	return true
}
