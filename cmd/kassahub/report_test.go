package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// TestReport sends a till's and a kiosk's events to a running hub, reads the report from the admin API,
// then prints it from the stopped hub's data in every format.
func TestReport(t *testing.T) {
	data := t.TempDir()
	till := strings.TrimSpace(runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1"))
	kiosk := strings.TrimSpace(runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "kiosk-1"))
	admin, hash, err := hub.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, fmt.Sprintf("[admin]\ntoken_sha256 = [%q]\n", hash))
	srv := startServe(t, "--config", cfg, "--data", data, "--listen", "127.0.0.1:0")

	analytics := func(id string, seq uint64, at time.Time, a wire.Analytics) wire.Event {
		a.At = at
		payload, _ := json.Marshal(a)
		return wire.Event{ID: id, Seq: seq, Type: wire.TypeAnalytics, Terminal: "kiosk-1", At: at, Payload: payload}
	}
	// t0 is 13:30 in Moscow on 14 March; 22:00 UTC is already the 15th there.
	late := time.Date(2026, 3, 14, 22, 0, 0, 0, time.UTC)
	res := postBatch(t, srv.addr, kiosk,
		analytics("k1", 1, t0.Add(-time.Hour), wire.Analytics{Kind: wire.AnalyticsKioskView, Product: "1"}),
		analytics("k2", 2, t0.Add(-time.Hour), wire.Analytics{Kind: wire.AnalyticsBasketCreated, Basket: "B1", Amount: 12050}),
		analytics("k3", 3, late, wire.Analytics{Kind: wire.AnalyticsKioskView, Product: "1"}),
		analytics("k4", 4, late, wire.Analytics{Kind: wire.AnalyticsContinueOnline, Product: "1"}))
	redeemed := analytics("t1", 1, t0, wire.Analytics{Kind: wire.AnalyticsBasketRedeemed, Basket: "B1", Sale: "e1", Via: "qr"})
	redeemed.Terminal = "till-1"
	phone := analytics("t9", 9, t0, wire.Analytics{Kind: wire.AnalyticsLoyaltyKnown})
	phone.Terminal, phone.Payload = "till-1", json.RawMessage(`{"kind":"loyalty_recognised","phone":"+79123456789"}`)
	lateSale := sale("e3", 4, 990, 166)
	lateSale.At = late
	lateSale.Payload = json.RawMessage(strings.ReplaceAll(string(lateSale.Payload), "2026-03-14T10:30:00Z", "2026-03-14T22:00:00Z"))
	res2 := postBatch(t, srv.addr, till, redeemed, sale("e1", 2, 12050, 163), sale("e2", 3, 990, 164), lateSale, phone)
	if len(res.Acked) != 4 || len(res2.Acked) != 4 || len(res2.Rejected) != 1 || !strings.Contains(res2.Rejected[0].Reason, `unknown field "phone"`) {
		t.Fatalf("answers %+v %+v", res, res2)
	}

	req, _ := http.NewRequest(http.MethodGet, srv.addr+"/v1/admin/report?store=s1&from=2026-03-14&to=2026-03-15", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rep wire.Report
	err = json.NewDecoder(resp.Body).Decode(&rep)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(rep.Rows) != 2 || rep.Rows[0].BasketSales != 1 || rep.Rows[0].TillSales != 1 ||
		rep.Rows[1].TillSales != 1 || rep.Rows[1].KioskViews != 1 || rep.Zone != hub.DefaultReportZone {
		t.Fatalf("GET /v1/admin/report: %d %v %+v", resp.StatusCode, err, rep)
	}
	srv.stop(t)

	const header = "store,day,till_sales,till_sum,pickup_sales,pickup_sum,basket_sales,basket_sum,refunds,refund_sum," +
		"kiosk_views,continue_online,baskets_created,baskets_redeemed,conversion,pickups_handed_out,pickup_wait_median," +
		"pickup_wait_p90,loyalty_recognised,loyalty_sales,loyalty_sum,loyalty_share\n"
	tests := []struct {
		args []string
		want []string // lines (or CSV records) the output must hold
	}{
		{[]string{"--format", "csv"}, []string{header +
			"s1,2026-03-14,1,990,0,0,1,12050,0,0,1,0,1,1,1,0,,,0,0,0,0\n" +
			"s1,2026-03-15,1,990,0,0,0,0,0,0,1,1,0,0,,0,,,0,0,0,0\n"}},
		{[]string{"--format", "csv", "--tz", "UTC", "--from", "2026-03-14", "--to", "2026-03-14"}, []string{header +
			"s1,2026-03-14,2,1980,0,0,1,12050,0,0,2,1,1,1,1,0,,,0,0,0,0\n"}},
		{[]string{"--store", "s1", "--to", "2026-03-14"}, []string{
			"Омниканальный отчёт: начало – 2026-03-14 (Europe/Moscow)\n",
			"\nМагазин  День        чеков  сумма  чеков  сумма  чеков    сумма  чеков  сумма  просмотры  QR онлайн  создано  погашено  конверсия  выдано  медиана  p90  узнано  чеков  доля\n",
			"\ns1       2026-03-14      1   9,90      0   0,00      1   120,50      0   0,00          1          0        1         1       100%       0        —    —       0      0    0%\n"}},
		{[]string{"--lang", "en", "--from", "2026-03-14"}, []string{"Omnichannel report: 2026-03-14 – end (Europe/Moscow)\n",
			"\ns1     total           2  19.80      0  0.00      1  120.50      0  0.00      2           1        1         1        100%       0       —    —           0      0     0%\n"}},
		{[]string{"--format", "json", "--store", "s2"}, []string{"{\n  \"zone\": \"Europe/Moscow\",\n  \"rows\": [],\n  \"totals\": []\n}\n"}},
	}
	for _, tc := range tests {
		out := runOK(t, append([]string{"report", "--data", data}, tc.args...)...)
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("kassahub report %q:\n%s\nwant it to hold:\n%s", tc.args, out, want)
			}
		}
	}
}

func TestReportErrors(t *testing.T) {
	data := t.TempDir()
	runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1")
	for _, args := range [][]string{
		{"--format", "xml"},
		{"--lang", "de"},
		{"--from", "14.03.2026"},
		{"--from", "2026-03-15", "--to", "2026-03-14"},
		{"--tz", "Mars/Olympus_Mons"},
		{"extra"},
	} {
		err := run(context.Background(), append([]string{"report", "--data", data}, args...), io.Discard, io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("kassahub report %q = %v, want a usage error", args, err)
		}
	}
	if msg := runErr(t, "report", "--data", t.TempDir()); !strings.Contains(msg, "no hub database") {
		t.Errorf("report of an empty folder: %s", msg)
	}
}
