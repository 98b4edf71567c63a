package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/kassa-pos/kassa/sync/wire"
)

// decodeBatch reads a wire.Batch. An event that does not decode but has an id is reported in malformed (by
// its index); a body that is not a batch gets the HTTP status and reason to answer.
func decodeBatch(body io.Reader, maxBody int64) (b wire.Batch, malformed map[int]string, status int, reason string) {
	data, err := io.ReadAll(body)
	if err != nil {
		if tooLarge(err) {
			return b, nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", maxBody)
		}
		return b, nil, http.StatusBadRequest, "read body: " + jsonReason(err)
	}
	// The usual batch decodes in one pass; only a batch with a broken event takes the path below, which
	// finds the events it can still answer.
	if json.Unmarshal(data, &b) == nil && b.Events != nil {
		for i, ev := range b.Events {
			if ev.ID == "" {
				return wire.Batch{}, nil, http.StatusBadRequest, fmt.Sprintf("event %d: missing field: id", i)
			}
		}
		return b, nil, http.StatusOK, ""
	}
	b = wire.Batch{}
	var raw struct {
		Events []json.RawMessage `json:"events"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		if tooLarge(err) {
			return b, nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", maxBody)
		}
		return b, nil, http.StatusBadRequest, "malformed JSON: " + jsonReason(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if tooLarge(err) {
			return b, nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", maxBody)
		}
		return b, nil, http.StatusBadRequest, "malformed JSON: data after the batch"
	}
	if raw.Events == nil {
		return b, nil, http.StatusBadRequest, "missing field: events"
	}
	b.Events = make([]wire.Event, len(raw.Events))
	malformed = make(map[int]string)
	for i, m := range raw.Events {
		err := json.Unmarshal(m, &b.Events[i])
		if err != nil {
			var idOnly struct {
				ID  string `json:"id"`
				Seq uint64 `json:"seq"`
			}
			// A field of the wrong type leaves the others decoded, so the id is usually still there.
			_ = json.Unmarshal(m, &idOnly)
			if idOnly.ID != "" {
				b.Events[i] = wire.Event{ID: idOnly.ID, Seq: idOnly.Seq}
				malformed[i] = "malformed event: " + jsonReason(err)
				continue
			}
			return wire.Batch{}, nil, http.StatusBadRequest, fmt.Sprintf("event %d: %s", i, jsonReason(err))
		}
		// Without an id there is nothing to acknowledge or reject, so the whole batch is refused.
		if b.Events[i].ID == "" {
			return wire.Batch{}, nil, http.StatusBadRequest, fmt.Sprintf("event %d: missing field: id", i)
		}
	}
	return b, malformed, http.StatusOK, ""
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// jsonReason turns a decoding error into a reason without echoing large parts of the input.
func jsonReason(err error) string {
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}
