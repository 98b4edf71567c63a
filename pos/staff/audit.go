package staff

import "time"

// Outcome is how an authorisation ended.
type Outcome string

// Outcomes of an audit entry.
const (
	OutcomeGranted  Outcome = "granted"   // the action was allowed (by the cashier's own role or a senior's PIN)
	OutcomeDenied   Outcome = "denied"    // the PIN was right but its user's role is too low
	OutcomeWrongPIN Outcome = "wrong_pin" // no active user has the PIN
	OutcomeLocked   Outcome = "locked"    // PIN entry was locked by the rate limiter
)

// AuditEntry records one privileged action (or a login): who was logged in, what they wanted, who
// authorised it, when, on which receipt and line, and how it ended. The store writes it with its outbox
// event in one transaction, so the hub receives every entry.
type AuditEntry struct {
	ID             string    `json:"id"` // set by the store when empty (UUIDv7)
	At             time.Time `json:"at"`
	Action         Action    `json:"action"`
	Outcome        Outcome   `json:"outcome"`
	Cashier        string    `json:"cashier,omitempty"` // the logged-in user's id
	CashierName    string    `json:"cashier_name,omitempty"`
	Authoriser     string    `json:"authoriser,omitempty"` // the user whose PIN allowed it (the cashier's own role: the cashier)
	AuthoriserName string    `json:"authoriser_name,omitempty"`
	AuthoriserRole Role      `json:"authoriser_role,omitempty"`
	Receipt        string    `json:"receipt,omitempty"` // sale id (or receipt number) the action concerns
	Line           int       `json:"line,omitempty"`    // 1-based receipt line, 0 for none
	Detail         string    `json:"detail,omitempty"`  // what the action was about, in the user's words (a product, an amount)
}

// Context is where an action happens: the receipt and line it concerns and a short detail.
type Context struct {
	Receipt string
	Line    int
	Detail  string
}

// Follow-up actions record what a guarded action did once it finished, which its PIN entry could not
// know yet: the senior's PIN comes before the new port is typed or the receipt is scanned. They are never
// asked for (MinRole fails closed on them); Service.Done writes them with the outcome "granted".
const (
	ActDeviceSettingsSaved Action = "device_settings_saved" // Detail: device=… from=port@baud to=port@baud
	ActRefundDone          Action = "refund_done"           // Receipt: the original sale; Detail: refund=… amount=…
)
