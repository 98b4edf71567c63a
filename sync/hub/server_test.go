package hub_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

const (
	shiftOpen  = `{"number":7,"cashier":"Иванова","opened_at":"2026-03-14T08:00:00Z"}`
	shiftClose = `{"number":7,"cashier":"Иванова","opened_at":"2026-03-14T08:00:00Z","closed_at":"2026-03-14T20:00:00Z"}`
)

// eventCase is one POST /v1/events exchange. auth "TOKEN" is replaced by the terminal's real header.
type eventCase struct {
	name       string
	auth       string
	body       string
	wantStatus int
	wantAcked  []string
	wantReject map[string]string // id -> part of the reason
	wantError  string            // part of wire.Error for non-200 answers
}

var eventCases = []eventCase{
	{name: "good batch", auth: "TOKEN", wantStatus: 200,
		body: batchJSON(eventJSON("a1", 1, "shift_open", shiftOpen), eventJSON("a2", 2, "sale", saleJSON("s", 150, 100, 50)),
			eventJSON("a3", 3, "shift_close", shiftClose)),
		wantAcked: []string{"a1", "a2", "a3"}},
	{name: "empty batch", auth: "TOKEN", body: `{"events":[]}`, wantStatus: 200, wantAcked: []string{}},
	{name: "lowercase scheme", auth: "bearer-lower", body: `{"events":[]}`, wantStatus: 200, wantAcked: []string{}},
	{name: "duplicate in batch", auth: "TOKEN", wantStatus: 200,
		body:      batchJSON(eventJSON("d1", 1, "sale", saleJSON("s", 5, 5)), eventJSON("d1", 1, "sale", saleJSON("s", 5, 5))),
		wantAcked: []string{"d1", "d1"}},
	{name: "rejected among valid", auth: "TOKEN", wantStatus: 200,
		body: batchJSON(eventJSON("r1", 1, "sale", saleJSON("s", 150, 100, 50)),
			eventJSON("r2", 2, "sale", saleJSON("s", 151, 100, 50)),
			eventJSON("r3", 3, "sale", saleJSON("s", 0)),
			eventJSON("r4", 4, "cash_in", `{}`),
			eventJSON("r5", 5, "sale", `null`),
			eventJSON("r6", 6, "sale", `[1,2]`),
			eventJSON("r7", 7, "shift_open", `{"number":0}`),
			eventJSON("r8", 8, "", `{}`),
			eventJSON("r9", 9, "sale", `{"lines":"many"}`),
			`{"id":"r10","seq":10,"type":"sale","terminal":"till-2","payload":{}}`,
			`{"id":"r11","seq":"eleven","type":"sale","terminal":"till-1","payload":{}}`,
			`{"id":"`+strings.Repeat("x", 200)+`","type":"sale","terminal":"till-1","payload":{}}`,
			eventJSON("r13", 13, "shift_close", shiftClose)),
		wantAcked: []string{"r1", "r13"},
		wantReject: map[string]string{"r2": "total", "r3": "no lines", "r4": "unknown event type", "r5": "payload missing",
			"r6": "not a JSON object", "r7": "shift number", "r8": "type missing", "r9": "sale payload",
			"r10": "does not match", "r11": "malformed event", strings.Repeat("x", 200): "longer than"}},
	{name: "refund and loyalty", auth: "TOKEN", wantStatus: 200,
		body: batchJSON(eventJSON("f1", 1, "refund", saleJSON("s", 150, 100, 50)),
			eventJSON("f2", 2, "refund", `{"lines":[]}`),
			eventJSON("f3", 3, "loyalty_accrual", `{"customer":"c1","points":10,"sale":"s"}`),
			eventJSON("f4", 4, "loyalty_redemption", `{"customer":"","points":10}`),
			eventJSON("f5", 5, "loyalty_accrual", `{"customer":"c1","points":0}`),
			eventJSON("f6", 6, "loyalty_accrual", `{"customer":"nobody","points":5}`),
			eventJSON("f7", 7, "pickup_handover", `{"order":""}`),
			eventJSON("f8", 8, "pickup_handover", `{"order":"po-none"}`),
			eventJSON("f9", 9, "loyalty_accrual", `{"customer":7}`)),
		wantAcked: []string{"f1", "f3"},
		wantReject: map[string]string{"f2": "no lines", "f4": "customer missing", "f5": "points must be",
			"f6": "unknown customer", "f7": "order missing", "f8": "unknown pickup order", "f9": "loyalty payload"}},
	{name: "cash in and out", auth: "TOKEN", wantStatus: 200,
		body: batchJSON(eventJSON("c1", 1, "cash", cashJSON("in", 500000, "till-1")),
			eventJSON("c2", 2, "cash", cashJSON("out", 120000, "till-1")),
			eventJSON("c3", 3, "cash", cashJSON("sideways", 100, "till-1")),
			eventJSON("c4", 4, "cash", cashJSON("in", 0, "till-1")),
			eventJSON("c5", 5, "cash", cashJSON("out", 100, "till-2")),
			eventJSON("c6", 6, "cash", `{"kind":"in","amount":100,"shift":0,"terminal":"till-1","cashier":"А"}`),
			eventJSON("c7", 7, "cash", `{"kind":"in","amount":100,"shift":1,"terminal":"till-1"}`),
			eventJSON("c8", 8, "cash", `{"kind":"in","amount":"much"}`),
			eventJSON("c9", 9, "cash", cashJSON("out", 1_000_000_001, "till-1"))),
		wantAcked: []string{"c1", "c2"},
		wantReject: map[string]string{"c3": "neither in nor out", "c4": "amount must be", "c5": "terminal differs",
			"c6": "shift must be", "c7": "cashier missing", "c8": "cash payload", "c9": "amount must be"}},
	{name: "not json", auth: "TOKEN", body: `{"events":`, wantStatus: 400, wantError: "malformed JSON"},
	{name: "trailing data", auth: "TOKEN", body: `{"events":[]} {}`, wantStatus: 400, wantError: "after the batch"},
	{name: "missing events", auth: "TOKEN", body: `{}`, wantStatus: 400, wantError: "missing field: events"},
	{name: "events not array", auth: "TOKEN", body: `{"events":{}}`, wantStatus: 400, wantError: "malformed JSON"},
	{name: "event missing id", auth: "TOKEN", body: batchJSON(eventJSON("", 1, "sale", `{}`)), wantStatus: 400,
		wantError: "missing field: id"},
	{name: "event not object", auth: "TOKEN", body: `{"events":[42]}`, wantStatus: 400, wantError: "event 0"},
	{name: "no auth", body: `{"events":[]}`, wantStatus: 401, wantError: "missing bearer token"},
	{name: "wrong token", auth: "Bearer 00ff", body: `{"events":[]}`, wantStatus: 401, wantError: "unknown token"},
	{name: "basic auth", auth: "Basic dXNlcjpwYXNz", body: `{"events":[]}`, wantStatus: 401, wantError: "bearer"},
	{name: "too large", auth: "TOKEN", body: batchJSON(eventJSON("big", 1, "sale", `{"cashier":"`+strings.Repeat("я", 5000)+`"}`)),
		wantStatus: 413, wantError: "larger than"},
}

func TestPostEvents(t *testing.T) {
	for _, tc := range eventCases {
		t.Run(tc.name, func(t *testing.T) {
			th := newTestHub(t, hub.Options{MaxBody: 8192})
			if _, err := th.st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Name: "Анна П.", Balance: 100}}, false); err != nil {
				t.Fatal(err)
			}
			rec := th.post(th.authHeader(tc.auth), tc.body)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tc.wantStatus, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.wantStatus != 200 {
				var e wire.Error
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, tc.wantError) {
					t.Fatalf("error body %s (%v), want it to mention %q", rec.Body, err, tc.wantError)
				}
				if n, _ := th.st.EventCount(); n != 0 {
					t.Errorf("a refused batch stored %d events", n)
				}
				return
			}
			var res wire.BatchResult
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("decode %s: %v", rec.Body, err)
			}
			if strings.Join(res.Acked, ",") != strings.Join(tc.wantAcked, ",") || res.Acked == nil {
				t.Errorf("acked %q, want %q", res.Acked, tc.wantAcked)
			}
			if len(res.Rejected) != len(tc.wantReject) {
				t.Errorf("rejected %+v, want %d", res.Rejected, len(tc.wantReject))
			}
			for _, rj := range res.Rejected {
				if want, ok := tc.wantReject[rj.ID]; !ok || !strings.Contains(rj.Reason, want) {
					t.Errorf("rejection %q: %q, want it to mention %q", rj.ID, rj.Reason, want)
				}
			}
		})
	}
}

func TestPostEventsIdempotent(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	body, _ := json.Marshal(wire.Batch{Events: saleEvents(3)})
	for range 3 {
		rec := th.post("Bearer "+th.token, string(body))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"acked":["e1","e2","e3"]`) {
			t.Fatalf("answer %d %s", rec.Code, rec.Body)
		}
	}
	if n, err := th.st.EventCount(); n != 3 || err != nil {
		t.Errorf("EventCount = %d, %v; want 3", n, err)
	}
	if gaps, _ := th.st.SeqGaps(); gaps != 0 {
		t.Errorf("replays counted as %d seq gaps", gaps)
	}
}

func TestEventIDOfAnotherTerminal(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	other, err := th.st.AddTerminal("s1", "till-2")
	if err != nil {
		t.Fatal(err)
	}
	th.post("Bearer "+th.token, batchJSON(eventJSON("x1", 1, "sale", saleJSON("s", 5, 5))))
	body := strings.ReplaceAll(batchJSON(eventJSON("x1", 1, "sale", saleJSON("s", 5, 5))), "till-1", "till-2")
	rec := th.post("Bearer "+other, body)
	if !strings.Contains(rec.Body.String(), "another terminal") {
		t.Errorf("answer %d %s, want a rejection", rec.Code, rec.Body)
	}
}

func TestHealthAndMethods(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	tests := []struct {
		method, path string
		want         int
		body         string
	}{
		{"GET", "/v1/health", 200, `{"status":"ok"}`},
		{"GET", "/v1/events", 405, ""},
		{"POST", "/v1/nothing", 404, ""},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		th.h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, rec.Code, rec.Body, tc.want, tc.body)
		}
	}
}

func TestSeqGapCounted(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	ev := saleEvents(5)
	for _, part := range [][]wire.Event{ev[:2], ev[3:]} { // seq 3 is missing
		body, _ := json.Marshal(wire.Batch{Events: part})
		if rec := th.post("Bearer "+th.token, string(body)); rec.Code != http.StatusOK {
			t.Fatalf("answer %d %s", rec.Code, rec.Body)
		}
	}
	if gaps, err := th.st.SeqGaps(); gaps != 1 || err != nil {
		t.Errorf("SeqGaps = %d, %v; want 1", gaps, err)
	}
}

// TestGapsInAnswer: the answer reports a seq jump, and a seq that goes back (a restored terminal).
func TestGapsInAnswer(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	tests := []struct {
		body string
		want string
	}{
		{batchJSON(eventJSON("g1", 1, "sale", saleJSON("s", 5, 5)), eventJSON("g2", 2, "sale", saleJSON("s", 5, 5))), ""},
		{batchJSON(eventJSON("g5", 5, "sale", saleJSON("s", 5, 5))), `"gaps":[{"last":2,"received":5}]`},
		{batchJSON(eventJSON("g5", 5, "sale", saleJSON("s", 5, 5))), ""}, // a replay is no gap
		{batchJSON(eventJSON("g3b", 3, "sale", saleJSON("s", 5, 5))), `"gaps":[{"last":5,"received":3}]`},
	}
	for i, tc := range tests {
		rec := th.post("Bearer "+th.token, tc.body)
		if rec.Code != 200 || tc.want != "" && !strings.Contains(rec.Body.String(), tc.want) ||
			tc.want == "" && strings.Contains(rec.Body.String(), "gaps") {
			t.Errorf("batch %d: %d %s, want gaps %q", i, rec.Code, rec.Body, tc.want)
		}
	}
}

// cashJSON is a "cash" event payload of shift 3.
func cashJSON(kind string, amount int64, terminal string) string {
	return fmt.Sprintf(`{"id":"op","store":"s1","terminal":%q,"shift":3,"kind":%q,"amount":%d,"cashier":"Иванова",`+
		`"at":"2026-03-14T10:00:00Z","kkt_doc":12}`, terminal, kind, amount)
}
