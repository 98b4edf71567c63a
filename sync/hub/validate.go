package hub

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// maxIDLen bounds an event id: it becomes a bbolt key and is echoed in every answer.
const maxIDLen = 128

// validateEvent says why an event of the authenticated terminal can never be accepted as it is, or returns
// "" when it is acceptable. Reasons are short English phrases meant for the terminal's dead-letter view.
func validateEvent(ev wire.Event, term Terminal) string {
	if len(ev.ID) > maxIDLen {
		return fmt.Sprintf("id longer than %d bytes", maxIDLen)
	}
	if ev.Terminal != term.Name {
		return fmt.Sprintf("terminal %q does not match the token's terminal", ev.Terminal)
	}
	payload := bytes.TrimSpace(ev.Payload)
	if len(payload) == 0 || bytes.Equal(payload, []byte("null")) {
		return "payload missing"
	}
	if payload[0] != '{' {
		return "payload is not a JSON object"
	}
	switch ev.Type {
	case wire.TypeSale:
		var s wire.Sale
		if err := json.Unmarshal(payload, &s); err != nil {
			return "sale payload: " + jsonReason(err)
		}
		return validateSale(s)
	case wire.TypeShiftOpen, wire.TypeShiftClose:
		var s wire.Shift
		if err := json.Unmarshal(payload, &s); err != nil {
			return "shift payload: " + jsonReason(err)
		}
		if s.Number <= 0 {
			return "shift number must be positive"
		}
		return ""
	case "":
		return "type missing"
	default:
		return fmt.Sprintf("unknown event type %q", ev.Type)
	}
}

func validateSale(s wire.Sale) string {
	if len(s.Lines) == 0 {
		return "sale has no lines"
	}
	var sum int64
	for _, l := range s.Lines {
		// Guard the addition: kopecks of a real receipt are far below this, a hostile body is not.
		const limit = 1 << 53
		if l.Sum > limit || l.Sum < -limit {
			return "sale line sum out of range"
		}
		sum += l.Sum
	}
	if sum != s.Total {
		return fmt.Sprintf("sale total %d differs from the sum of its lines %d", s.Total, sum)
	}
	return ""
}

// jsonReason turns a decoding error into a reason without echoing large parts of the input.
func jsonReason(err error) string {
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}
