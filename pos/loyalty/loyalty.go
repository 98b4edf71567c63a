// Package loyalty is the chain's loyalty programme at the till, offline-first: it recognises the customer
// (by loyalty card, by the phone number the customer dictates, or by the rotating signed QR of the store's
// app, all checked against the customers pulled from the hub), and holds the rules: points earned as a
// share of the paid sum by tier, points redeemed as a receipt discount up to a share of the receipt, by
// what the hub last said minus what this terminal spent since, and by an offline limit while the hub is
// out of reach. The hub's ledger stays the truth: it reports an overdraft the offline rule could not
// prevent (two tills spending the same balance), it never loses or doubles points.
//
// Points are kopecks of discount (pos.Money); rates are hundredths of a per cent, so no float touches money.
package loyalty

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/offers"
)

// Via says how the customer was recognised; the values are the analytics' (pos.ChannelEvent.Via).
type Via string

const (
	ViaCard  Via = "card"
	ViaPhone Via = "phone"
	ViaAppQR Via = "app_qr"
)

// Errors of recognition and redemption; the till maps each to a message in Russian.
var (
	// ErrUnknownCard: a card of the chain's range that no pulled customer holds (a new card not yet in the
	// CRM, or the feed not pulled since).
	ErrUnknownCard = errors.New("loyalty card not known")
	// ErrBadCard: a code of the card range with a wrong check digit: scan it again.
	ErrBadCard = errors.New("loyalty card misread")
	// ErrUnknownPhone: no pulled customer has this phone number.
	ErrUnknownPhone = errors.New("no loyalty customer with this phone")
	// ErrBadPhone: the text is neither a card, an app code nor a +7 phone number.
	ErrBadPhone = errors.New("not a card, app code or phone number")
	// ErrUnknownCustomer: the app code is genuine but its customer is not among the pulled ones.
	ErrUnknownCustomer = errors.New("loyalty customer not known")
	// ErrNoCustomers: the customers feed has not been pulled to this terminal yet.
	ErrNoCustomers = errors.New("no loyalty customers pulled yet")
	// ErrQRForged: the app code's signature does not match: a copy that was tampered with, or not the app's.
	ErrQRForged = errors.New("loyalty app code forged")
	// ErrQRExpired: the app code is older than its few minutes: ask the customer to refresh it.
	ErrQRExpired = errors.New("loyalty app code expired")
	// ErrQRKey: the app code is signed with a key this terminal does not have (a new key not configured).
	ErrQRKey = errors.New("loyalty app code signed with an unknown key")
	// ErrQRMalformed: the text starts like an app code but is not one (cut short by the scanner).
	ErrQRMalformed = errors.New("loyalty app code malformed")
	// ErrNoCustomer: points asked for without a recognised customer.
	ErrNoCustomer = errors.New("no loyalty customer on the receipt")
	// ErrNothingToRedeem: the rules allow no points on this receipt (no balance, a receipt too small, or
	// redemption offline forbidden).
	ErrNothingToRedeem = errors.New("no points can be redeemed on this receipt")
	// ErrTooManyPoints: more points asked for than the rules allow on this receipt.
	ErrTooManyPoints = errors.New("more points than the rules allow on this receipt")
	// ErrOfflineRedemption: the programme allows no redemption while the hub is out of reach.
	ErrOfflineRedemption = errors.New("points cannot be redeemed offline")
	// ErrOff: the till has no loyalty programme configured.
	ErrOff = errors.New("loyalty programme not configured")
)

// Customer is a loyalty customer as the till shows and uses it. It holds no personal data in clear except
// the phone number the customer dictated for this receipt, which lives only in memory.
type Customer struct {
	ID   string
	Name string // masked by the CRM: "Анна П."
	Tier string
	// Balance is the customer's points as the hub last published them (the pulled customers feed).
	Balance pos.Money
	// Unsettled are the points this terminal spent that the hub's balance above does not include yet
	// (queued, or sent but not pulled back); Pending the points it credited likewise.
	Unsettled pos.Money
	Pending   pos.Money
	Offers    []string // free-text offers of older feeds: shown, never applied
	// Personal are the offers the till applies to the receipt (package offers).
	Personal []offers.Offer
	Via      Via
	Card     string // the card scanned; "" when recognised otherwise
	Phone    string // "+7XXXXXXXXXX" when recognised by a dictated phone: offered for the e-receipt on request
}

// Known reports whether c is a recognised customer (the zero Customer is none).
func (c Customer) Known() bool { return c.ID != "" }

// Available is what the customer may spend at this terminal now: the hub's balance minus this
// terminal's spending the hub has not counted yet. Points credited but not yet confirmed are not spendable.
func (c Customer) Available() pos.Money { return max(c.Balance-c.Unsettled, 0) }

// MaskedCard is the card for the screen: "•••• 0014", or "" without a card.
func (c Customer) MaskedCard() string { return maskTail(c.Card) }

// MaskedPhone is the phone for the screen: "+7 ••• •••-••-01", or "" without one.
func (c Customer) MaskedPhone() string {
	if len(c.Phone) != 12 {
		return ""
	}
	return "+7 ••• •••-••-" + c.Phone[10:]
}

// DisplayName is the masked name, cut to a line of the customer display or the till's panel.
func (c Customer) DisplayName() string {
	name := strings.TrimSpace(c.Name)
	if name == "" {
		return maskTail(c.ID)
	}
	if utf8.RuneCountInString(name) > 24 {
		r := []rune(name)
		name = string(r[:23]) + "…"
	}
	return name
}

func maskTail(s string) string {
	if s == "" {
		return ""
	}
	if len(s) <= 4 {
		return "•••• " + s
	}
	return "•••• " + s[len(s)-4:]
}
