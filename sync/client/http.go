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
	body, err := encodeBatch(events)
	if err != nil {
		return res, r.link.failed(fmt.Errorf("encode batch: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(body))
	if err != nil {
		return res, r.link.failed(fmt.Errorf("build request: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	authorize(req, r.cfg.Token)

	r.link.attempt()
	resp, err := r.cfg.HTTPClient.Do(req)
	if err != nil {
		return res, r.link.failed(transportError(fmt.Sprintf("post %d events", len(events)), err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return res, r.link.failed(fmt.Errorf("read answer to %d events: %w", len(events), err))
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, &res); err != nil {
			return res, r.link.failed(fmt.Errorf("decode answer to %d events: %w", len(events), err))
		}
		r.link.succeeded()
		if len(res.Acked)+len(res.Rejected) > 0 {
			r.log.Debug("batch replayed", "sent", len(events), "acked", len(res.Acked), "rejected", len(res.Rejected))
		}
		return res, nil
	}

	herr := &HTTPError{StatusCode: resp.StatusCode, Reason: answerReason(data)}
	if resp.StatusCode < 500 && !errors.Is(herr, ErrUnauthorized) {
		// Not transient in principle, but the events stay queued: an operator or a hub fix decides.
		r.log.Error("hub refused the batch; events kept", "events", len(events), "status", resp.StatusCode,
			"reason", herr.Reason)
	}
	return res, r.link.failed(herr)
}

// encodeBatch writes a wire.Batch. Payloads are copied as they are: they come from the outbox, where
// json.Marshal wrote them, and were checked when the event was read back, so encoding/json's validation
// and compaction of every payload (most of the cost of a batch) would only repeat that.
func encodeBatch(events []wire.Event) ([]byte, error) {
	size := 16
	for _, ev := range events {
		size += len(ev.Payload) + 200
	}
	b := make([]byte, 0, size)
	b = append(b, `{"events":[`...)
	for i, ev := range events {
		payload := ev.Payload
		head, err := json.Marshal(eventHead{ev.ID, ev.Seq, ev.Type, ev.Terminal, ev.At})
		if err != nil {
			return nil, fmt.Errorf("encode event %s: %w", ev.ID, err)
		}
		if len(payload) == 0 {
			payload = json.RawMessage("null")
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, head[:len(head)-1]...) // without its closing brace
		b = append(b, `,"payload":`...)
		b = append(b, payload...)
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// eventHead is wire.Event without its payload, with the same JSON names.
type eventHead struct {
	ID       string    `json:"id"`
	Seq      uint64    `json:"seq"`
	Type     string    `json:"type"`
	Terminal string    `json:"terminal"`
	At       time.Time `json:"at"`
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
