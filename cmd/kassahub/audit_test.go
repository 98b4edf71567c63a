package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/wire"
)

func auditEvent(id string, seq uint64, a wire.Audit) wire.Event {
	payload, _ := json.Marshal(a)
	return wire.Event{ID: id, Seq: seq, Type: wire.TypeAudit, Terminal: "till-1", At: a.At, Payload: payload}
}

// maskReceived replaces the first "received" time of a JSON line, the test's own clock, with RECEIVED.
func maskReceived(got string) string {
	if i := strings.Index(got, `"received":"`); i >= 0 {
		j := strings.Index(got[i+12:], `"`)
		got = got[:i+12] + "RECEIVED" + got[i+12+j:]
	}
	return got
}

// TestAuditCommand: audit events a terminal sent are listed by `kassahub audit`, in time order, as JSON
// lines and as CSV, with --store and --from filters.
func TestAuditCommand(t *testing.T) {
	data := t.TempDir()
	token := strings.TrimSpace(runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1"))
	srv := startServe(t, "--data", data, "--listen", "127.0.0.1:0")
	res := postBatch(t, srv.addr, token,
		auditEvent("a2", 1, wire.Audit{ID: "a2", At: t0.Add(60e9), Action: "close_shift", Outcome: "granted", Cashier: "u1",
			CashierName: "Иванова", Authoriser: "u2", AuthoriserName: "Петрова", AuthoriserRole: "senior"}),
		auditEvent("a1", 2, wire.Audit{ID: "a1", At: t0, Action: "login", Outcome: "wrong_pin"}),
	)
	if len(res.Acked) != 2 {
		t.Fatalf("answer %+v", res)
	}
	srv.stop(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--data", data, "--format", "csv"},
			"at,store,terminal,action,outcome,cashier,cashier_name,authoriser,authoriser_name,authoriser_role,receipt,line,detail,event_id\n" +
				"2026-03-14T10:30:00Z,s1,till-1,login,wrong_pin,,,,,,,0,,a1\n" +
				"2026-03-14T10:31:00Z,s1,till-1,close_shift,granted,u1,Иванова,u2,Петрова,senior,,0,,a2\n"},
		{[]string{"audit", "--data", data, "--store", "s1", "--from", "2026-03-14T10:30:30Z"},
			`{"event_id":"a2","store":"s1","terminal":"till-1","received":"RECEIVED","audit":{"id":"a2","at":"2026-03-14T10:31:00Z",` +
				`"action":"close_shift","outcome":"granted","cashier":"u1","cashier_name":"Иванова","authoriser":"u2",` +
				`"authoriser_name":"Петрова","authoriser_role":"senior"}}` + "\n"},
		{[]string{"audit", "--data", data, "--store", "s2"}, ""},
	}
	for _, tc := range tests {
		got := maskReceived(runOK(t, tc.args...))
		if got != tc.want {
			t.Errorf("kassahub %q:\n%s\nwant:\n%s", tc.args, got, tc.want)
		}
	}
	var stdout, stderr strings.Builder
	if err := run(t.Context(), []string{"audit", "--data", data, "--from", "yesterday"}, &stdout, &stderr); err == nil {
		t.Error("audit --from yesterday was accepted")
	}
}
