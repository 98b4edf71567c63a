package hub_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// auditJSON is a senior cashier's authorisation of a refund.
const auditJSON = `{"id":"a1","at":"2026-03-14T10:30:00Z","action":"refund","outcome":"granted","cashier":"u1",` +
	`"cashier_name":"Иванова","authoriser":"u2","authoriser_name":"Петрова","authoriser_role":"senior",` +
	`"receipt":"s","line":0,"detail":"возврат по чеку 163"}`

var auditCases = []struct {
	name, payload, reason string
}{
	{"granted refund", auditJSON, ""},
	{"wrong pin at login", `{"id":"a2","at":"2026-03-14T10:31:00Z","action":"login","outcome":"wrong_pin"}`, ""},
	{"no action", `{"id":"a3","at":"2026-03-14T10:31:00Z","outcome":"granted"}`, "audit action missing"},
	{"odd outcome", `{"id":"a4","at":"2026-03-14T10:31:00Z","action":"login","outcome":"maybe"}`, "audit outcome"},
	{"no time", `{"id":"a5","action":"login","outcome":"locked"}`, "audit time missing"},
	{"negative line", `{"id":"a6","at":"2026-03-14T10:31:00Z","action":"storno_subtotal","outcome":"granted","line":-1}`, "negative"},
	{"huge detail", `{"id":"a7","at":"2026-03-14T10:31:00Z","action":"cash_out","outcome":"granted","detail":"` + strings.Repeat("x", 1025) + `"}`, "detail longer"},
	{"bad time", `{"id":"a8","at":"yesterday","action":"login","outcome":"granted"}`, "audit payload"},
	{"device settings saved", `{"id":"a9","at":"2026-03-14T10:32:00Z","action":"device_settings_saved","outcome":"granted",` +
		`"authoriser":"u2","detail":"device=kkt from=/dev/ttyACM0@115200 to=/dev/ttyKKT@57600"}`, ""},
	{"refund done", `{"id":"a10","at":"2026-03-14T10:33:00Z","action":"refund_done","outcome":"granted",` +
		`"authoriser":"u2","receipt":"s","detail":"refund=r amount=55.00 fd=3"}`, ""},
}

// TestHubAcceptsAuditEvents: valid audit events are stored and listed in time order, by the admin API too;
// broken ones are rejected with a reason.
func TestHubAcceptsAuditEvents(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	var events []string
	for i, c := range auditCases {
		events = append(events, eventJSON("ev-a"+string(rune('1'+i)), uint64(i+1), wire.TypeAudit, c.payload))
	}
	rec := th.post("TOKEN", batchJSON(events...))
	if rec.Code != http.StatusOK {
		t.Fatalf("POST: %d %s", rec.Code, rec.Body)
	}
	var res wire.BatchResult
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, r := range res.Rejected {
		reasons[r.ID] = r.Reason
	}
	for i, c := range auditCases {
		got, rejected := reasons["ev-a"+string(rune('1'+i))]
		if rejected != (c.reason != "") || !strings.Contains(got, c.reason) {
			t.Errorf("%s: rejected %v %q, want reason %q", c.name, rejected, got, c.reason)
		}
	}
	list, err := hub.AuditLog(ctx, th.st, "", t0.Add(-1), t0.Add(3600e9))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 || list[0].Audit.Action != "refund" || list[0].Audit.AuthoriserRole != "senior" ||
		list[1].Audit.Outcome != wire.AuditWrongPIN || list[0].Store != "s1" || list[0].Terminal != "till-1" ||
		list[2].Audit.Action != "device_settings_saved" || list[3].Audit.Receipt != "s" {
		t.Fatalf("audit log %+v", list)
	}
	if other, _ := hub.AuditLog(ctx, th.st, "s2", t0.Add(-1), t0.Add(3600e9)); len(other) != 0 {
		t.Errorf("store s2 has %d audit entries", len(other))
	}
	rec = th.do(http.MethodGet, "/v1/admin/audit?store=s1", "ADMIN", "")
	var got []hub.AuditRecord
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got) != 4 || got[0].EventID != "ev-a1" {
		t.Errorf("GET /v1/admin/audit: %d %s", rec.Code, rec.Body)
	}
}

// FuzzAuditPayload: no audit payload panics the hub, and what is stored can be listed.
func FuzzAuditPayload(f *testing.F) {
	for _, c := range auditCases {
		f.Add(c.payload)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		if !json.Valid([]byte(payload)) {
			return
		}
		th := newTestHub(t, hub.Options{})
		rec := th.post("TOKEN", batchJSON(eventJSON("f1", 1, wire.TypeAudit, payload)))
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if _, err := hub.AuditLog(ctx, th.st, "", t0.Add(-1), t0.Add(1)); err != nil {
			t.Fatal(err)
		}
	})
}
