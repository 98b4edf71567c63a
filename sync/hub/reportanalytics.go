package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Bounds of an analytics event: a pickup order waits days, not years; an amount is a receipt's.
const (
	maxAnalyticsWait   = 366 * 24 * time.Hour
	maxAnalyticsAmount = 1 << 53
)

// analyticsNeeds names the id each kind must carry for the report to use it.
var analyticsNeeds = map[string]string{
	wire.AnalyticsKioskView:       "product",
	wire.AnalyticsBasketCreated:   "basket",
	wire.AnalyticsBasketRedeemed:  "basket",
	wire.AnalyticsContinueOnline:  "",
	wire.AnalyticsPickupHandedOut: "order",
	wire.AnalyticsLoyaltyKnown:    "",
}

var analyticsVia = []string{"", "card", "phone", "app_qr", "qr", "number"}

// validateAnalytics checks an analytics payload. Unknown fields are refused, not ignored: the event is
// anonymous by contract, and a field such as "phone" or "customer" would be customer data the hub must
// never store. Ids are bounded, printable single tokens, and "via" is one of its few values, so no free
// text can carry a name or a number either.
func validateAnalytics(payload []byte, term Terminal) string {
	var a wire.Analytics
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return "analytics payload: " + jsonReason(err)
	}
	need, known := analyticsNeeds[a.Kind]
	if !known {
		return fmt.Sprintf("unknown analytics kind %.40q", a.Kind)
	}
	if a.Store != "" && a.Store != term.Store {
		return fmt.Sprintf("analytics store %.40q is not the terminal's store", a.Store)
	}
	if !a.At.IsZero() && (a.At.Year() < 2000 || a.At.Year() > 2200) {
		return "analytics at out of range"
	}
	ids := map[string]string{"product": a.Product, "basket": a.Basket, "sale": a.Sale, "order": a.Order}
	for _, name := range []string{"product", "basket", "sale", "order"} {
		if id := ids[name]; len(id) > maxIDLen || strings.ContainsFunc(id, notIDRune) {
			return fmt.Sprintf("analytics %s must be an id of at most %d printable bytes without spaces", name, maxIDLen)
		}
	}
	if need != "" && ids[need] == "" {
		return fmt.Sprintf("analytics %s needs a %s", a.Kind, need)
	}
	if !slices.Contains(analyticsVia, a.Via) {
		return fmt.Sprintf("analytics via %.20q is none of card, phone, app_qr, qr, number", a.Via)
	}
	if a.Wait < 0 || a.Wait > maxAnalyticsWait {
		return "analytics wait out of range"
	}
	if a.Amount < 0 || a.Amount > maxAnalyticsAmount {
		return "analytics amount out of range"
	}
	return ""
}

func notIDRune(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }
