package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// maxAnswer bounds how much of an answer is read: a BatchResult of a few hundred ids is far smaller.
const maxAnswer = 16 << 20

// ErrUnauthorized matches (errors.Is) an HTTPError of status 401 or 403: the hub refuses the token.
var ErrUnauthorized = errors.New("unauthorized")

// HTTPError is a non-200 answer of the hub.
type HTTPError struct {
	StatusCode int
	Reason     string // wire.Error of the answer, or the start of its body
}

func (e *HTTPError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("hub answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	return fmt.Sprintf("hub answered %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Reason)
}

// Is makes errors.Is(err, ErrUnauthorized) true for 401 and 403.
func (e *HTTPError) Is(target error) bool {
	return target == ErrUnauthorized &&
		(e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// send posts one batch (an empty one probes the link and the token) and records the outcome in Status.
func (r *Replayer) send(ctx context.Context, events []wire.Event) (wire.BatchResult, error) {
	var res wire.BatchResult
	if events == nil {
		events = []wire.Event{}
	}
	body, err := json.Marshal(wire.Batch{Events: events})
	if err != nil {
		return res, r.fail(fmt.Errorf("encode batch: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(body))
	if err != nil {
		return res, r.fail(fmt.Errorf("build request: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+r.cfg.Token)

	r.mu.Lock()
	r.status.LastAttempt = time.Now()
	r.mu.Unlock()

	resp, err := r.cfg.HTTPClient.Do(req)
	if err != nil {
		return res, r.fail(fmt.Errorf("post %d events: %w", len(events), err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return res, r.fail(fmt.Errorf("read answer to %d events: %w", len(events), err))
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, &res); err != nil {
			return res, r.fail(fmt.Errorf("decode answer to %d events: %w", len(events), err))
		}
		r.mu.Lock()
		r.status.Online, r.status.Unauthorized = true, false
		r.status.LastSuccess, r.status.LastError = time.Now(), ""
		r.mu.Unlock()
		if len(res.Acked)+len(res.Rejected) > 0 {
			r.log.Debug("batch replayed", "sent", len(events), "acked", len(res.Acked), "rejected", len(res.Rejected))
		}
		return res, nil
	}

	herr := &HTTPError{StatusCode: resp.StatusCode, Reason: answerReason(data)}
	unauthorized := errors.Is(herr, ErrUnauthorized)
	if resp.StatusCode < 500 && !unauthorized {
		// Not transient in principle, but the events stay queued: an operator or a hub fix decides.
		r.log.Error("hub refused the batch; events kept", "events", len(events), "status", resp.StatusCode,
			"reason", herr.Reason)
	}
	r.mu.Lock()
	r.status.Online, r.status.Unauthorized = false, unauthorized
	r.status.LastError = herr.Error()
	r.mu.Unlock()
	return res, herr
}

// fail records err in Status and returns it.
func (r *Replayer) fail(err error) error {
	r.mu.Lock()
	r.status.Online = false
	r.status.LastError = err.Error()
	r.mu.Unlock()
	return err
}

func answerReason(data []byte) string {
	var e wire.Error
	if json.Unmarshal(data, &e) == nil && e.Error != "" {
		return e.Error
	}
	s := strings.TrimSpace(string(data))
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
