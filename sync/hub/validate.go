package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/sync/wire"
)

// maxIDLen bounds an event id: it becomes a bbolt key and is echoed in every answer.
const maxIDLen = 128

// maxPoints bounds one loyalty event: a million rubles of discount, far above any receipt.
const maxPoints = 100_000_000

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
	case wire.TypeSale, wire.TypeRefund:
		var s wire.Sale
		if err := json.Unmarshal(payload, &s); err != nil {
			return ev.Type + " payload: " + jsonReason(err)
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
	case wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption:
		var l wire.Loyalty
		if err := json.Unmarshal(payload, &l); err != nil {
			return "loyalty payload: " + jsonReason(err)
		}
		if l.Customer == "" || len(l.Customer) > maxIDLen {
			return "loyalty customer missing"
		}
		if l.Points <= 0 || l.Points > maxPoints {
			return fmt.Sprintf("loyalty points must be 1..%d", maxPoints)
		}
		return ""
	case wire.TypePickupHandover:
		var h wire.PickupHandover
		if err := json.Unmarshal(payload, &h); err != nil {
			return "pickup hand-over payload: " + jsonReason(err)
		}
		if h.Order == "" || len(h.Order) > maxIDLen {
			return "pickup hand-over order missing"
		}
		return ""
	case wire.TypeCash:
		return validateCash(payload, ev)
	case wire.TypeAnalytics:
		return validateAnalytics(payload, term)
	case wire.TypeAudit:
		return validateAudit(payload)
	case "":
		return "type missing"
	default:
		return fmt.Sprintf("unknown event type %.40q", ev.Type)
	}
}

// maxBuyerLen bounds a sale's buyer in characters: tag 1008 holds at most 64, a masked one is a few more.
const maxBuyerLen = 128

// validateBuyer accepts the buyer's contact as terminals send it: masked ("+7 ••• •••-••-01",
// "a•••@example.ru", "•••"; wire.Sale.Buyer), or in clear from events queued before the masking, which
// would otherwise never reach the hub's sales. It refuses what no terminal sends: control characters, an
// overlong text.
func validateBuyer(b string) string {
	if utf8.RuneCountInString(b) > maxBuyerLen || strings.ContainsFunc(b, unicode.IsControl) {
		return fmt.Sprintf("sale buyer must be a contact of at most %d characters without control characters", maxBuyerLen)
	}
	return ""
}

func validateSale(s wire.Sale) string {
	if len(s.Lines) == 0 {
		return "sale has no lines"
	}
	const limit = 1 << 53
	var sum int64
	for _, l := range s.Lines {
		// Guard the additions: kopecks of a real receipt are far below this, a hostile body is not.
		if l.Sum > limit || l.Sum < -limit {
			return "sale line sum out of range"
		}
		if sum += l.Sum; sum > limit || sum < -limit {
			return "sale total out of range"
		}
	}
	if sum != s.Total {
		return fmt.Sprintf("sale total %d differs from the sum of its lines %d", s.Total, sum)
	}
	if reason := validateBuyer(s.Buyer); reason != "" {
		return reason
	}
	if len(s.Offers) > wire.MaxOffersPerCustomer {
		return fmt.Sprintf("sale has %d personal offers, at most %d", len(s.Offers), wire.MaxOffersPerCustomer)
	}
	for _, o := range s.Offers {
		if o.ID == "" || len(o.ID) > maxIDLen || o.Discount < 0 || o.Discount > limit {
			return "sale offer needs an id and a discount of 0 or more"
		}
	}
	return ""
}

// maxCash bounds one cash operation: ten million rubles, far above any drawer.
const maxCash = 1_000_000_000

func validateCash(payload []byte, ev wire.Event) string {
	var c wire.Cash
	if err := json.Unmarshal(payload, &c); err != nil {
		return "cash payload: " + jsonReason(err)
	}
	switch {
	case c.Kind != wire.CashIn && c.Kind != wire.CashOut:
		return fmt.Sprintf("cash kind %.20q is neither in nor out", c.Kind)
	case c.Amount <= 0 || c.Amount > maxCash:
		return fmt.Sprintf("cash amount must be 1..%d kopecks", maxCash)
	case c.Shift <= 0:
		return "cash shift must be positive"
	case c.Terminal != ev.Terminal:
		return "cash terminal differs from the event's"
	case c.Cashier == "" || len(c.Cashier) > 200:
		return "cash cashier missing"
	case len(c.ID) > maxIDLen || len(c.Store) > maxIDLen:
		return "cash id or store too long"
	}
	return ""
}
