package wire

import "time"

// TypeAudit is a privileged action at a terminal (a refund, a storno after Подытог, a cash withdrawal,
// the Z report, device settings, leaving kiosk mode) or a login, with who asked and who authorised it. The
// payload is an Audit.
const TypeAudit = "audit"

// Audit outcomes.
const (
	AuditGranted  = "granted"
	AuditDenied   = "denied"    // the PIN's user may not do it
	AuditWrongPIN = "wrong_pin" // no user has the PIN
	AuditLocked   = "locked"    // PIN entry was locked after wrong tries
)

// Audit is the payload of an "audit" event. User ids are the terminal's (`kassa user list`); roles are
// "cashier", "senior" or "admin".
type Audit struct {
	ID             string    `json:"id"`
	At             time.Time `json:"at"`
	Action         string    `json:"action"` // login, lock, refund, storno_subtotal, cash_out, close_shift, device_settings, leave_kiosk, device_settings_saved, refund_done …
	Outcome        string    `json:"outcome"`
	Cashier        string    `json:"cashier,omitempty"`
	CashierName    string    `json:"cashier_name,omitempty"`
	Authoriser     string    `json:"authoriser,omitempty"`
	AuthoriserName string    `json:"authoriser_name,omitempty"`
	AuthoriserRole string    `json:"authoriser_role,omitempty"`
	Receipt        string    `json:"receipt,omitempty"` // the sale id the action concerns
	Line           int       `json:"line,omitempty"`    // 1-based receipt line
	Detail         string    `json:"detail,omitempty"`
}
