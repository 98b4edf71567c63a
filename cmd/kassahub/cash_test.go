package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
	"github.com/kassa-pos/kassa/sync/wire"
)

func cashEvent(id string, seq uint64, c wire.Cash) wire.Event {
	c.ID, c.Terminal = id, "till-1"
	payload, _ := json.Marshal(c)
	return wire.Event{ID: id, Seq: seq, Type: wire.TypeCash, Terminal: "till-1", At: c.At, Payload: payload}
}

// TestCashCommand: the cash events a terminal sent are listed by `kassahub cash` in time order, as a
// table with totals, CSV and JSON lines, with --store and --from filters, on bbolt and on PostgreSQL.
func TestCashCommand(t *testing.T) {
	storages := []struct {
		name  string
		where func(t *testing.T) []string // the flags naming the storage
	}{
		{"bbolt", func(t *testing.T) []string { return []string{"--data", t.TempDir()} }},
		{"postgres", func(t *testing.T) []string {
			return []string{"--config", writeConfig(t, fmt.Sprintf("[storage]\ndriver = \"postgres\"\ndsn = %q\n", pgtest.DSN(t)))}
		}},
	}
	for _, sg := range storages {
		t.Run(sg.name, func(t *testing.T) {
			where := sg.where(t)
			with := func(args ...string) []string { return append(args, where...) }
			token := strings.TrimSpace(runOK(t, with("terminal", "add", "--store", "s1", "--name", "till-1")...))
			srv := startServe(t, with("--listen", "127.0.0.1:0")...)
			res := postBatch(t, srv.addr, token,
				cashEvent("c2", 1, wire.Cash{Shift: 3, Kind: wire.CashOut, Amount: 120050, Cashier: "Петрова", At: t0.Add(60e9), KKTDoc: 12}),
				cashEvent("c1", 2, wire.Cash{Shift: 3, Kind: wire.CashIn, Amount: 500000, Cashier: "Иванова", At: t0, KKTDoc: 11}),
			)
			if len(res.Acked) != 2 {
				t.Fatalf("answer %+v", res)
			}
			srv.stop(t)
			tests := []struct {
				args []string
				want string
			}{
				{[]string{"cash", "--format", "csv"},
					"at,store,terminal,shift,kind,amount,cashier,kkt_doc,event_id\n" +
						"2026-03-14T10:30:00Z,s1,till-1,3,in,500000,Иванова,11,c1\n" +
						"2026-03-14T10:31:00Z,s1,till-1,3,out,120050,Петрова,12,c2\n"},
				{[]string{"cash", "--format", "table", "--lang", "en", "--tz", "UTC"},
					"AT                   STORE  TERMINAL  SHIFT  OPERATION  AMOUNT   CASHIER  KKT DOC  EVENT\n" +
						"14.03.2026 10:30:00  s1     till-1    3      cash in    5000.00  Иванова  11       c1\n" +
						"14.03.2026 10:31:00  s1     till-1    3      cash out   1200.50  Петрова  12       c2\n" +
						"\nCash in: 5000.00 (1 operations)\nCash out: 1200.50 (1 operations)\nNet into drawers: 3799.50\n"},
				{[]string{"cash", "--store", "s1", "--from", "2026-03-14T10:30:30Z", "--format", "json"},
					`{"event_id":"c2","store":"s1","terminal":"till-1","received":"RECEIVED","cash":{"id":"c2","terminal":"till-1",` +
						`"shift":3,"kind":"out","amount":120050,"cashier":"Петрова","at":"2026-03-14T10:31:00Z","kkt_doc":12}}` + "\n"},
				{[]string{"cash", "--store", "s2", "--format", "csv"}, "at,store,terminal,shift,kind,amount,cashier,kkt_doc,event_id\n"},
			}
			for _, tc := range tests {
				got := maskReceived(runOK(t, with(tc.args...)...))
				if got != tc.want {
					t.Errorf("kassahub %q:\n%s\nwant:\n%s", tc.args, got, tc.want)
				}
			}
			for _, bad := range [][]string{{"--from", "yesterday"}, {"--format", "xml"}, {"--lang", "de"}} {
				var stdout, stderr strings.Builder
				if err := run(t.Context(), with(append([]string{"cash"}, bad...)...), &stdout, &stderr); err == nil {
					t.Errorf("cash %q was accepted", bad)
				}
			}
		})
	}
}
