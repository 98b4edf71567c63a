package hub_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// reportEvent is one event of the report scenario: sent by a terminal ("till-1" and "kiosk-1" of store
// s1, "till-9" of s2) at a Moscow time.
type reportEvent struct {
	term, id, typ, at string
	payload           any
}

func msk(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s+"+03:00")
	if err != nil {
		panic(err)
	}
	return t
}

func rsale(id, at string, total int64, pay ...wire.Payment) wire.Sale {
	if len(pay) == 0 {
		pay = []wire.Payment{{Method: "cash", Amount: total}}
	}
	return wire.Sale{ID: id, Terminal: "till-1", CreatedAt: msk(at), Total: total, Payments: pay,
		Lines:  []wire.SaleLine{{ProductID: "100001", Name: "Хлеб", Price: total, Qty: 1000, Unit: "pcs", VAT: "10", Sum: total}},
		Fiscal: wire.Fiscal{FDNumber: 1, FNSerial: "9999078900004312", At: msk(at)}}
}

func an(kind, at string, a wire.Analytics) wire.Analytics {
	a.Kind, a.At = kind, msk(at)
	return a
}

var (
	orderW100 = hub.PickupOrderID("s1", "W-100")
	orderW101 = hub.PickupOrderID("s1", "W-101")
	orderW102 = hub.PickupOrderID("s1", "W-102")
)

// reportScenario covers every column of the report over Moscow days 13-15 March 2026, with events just
// outside the period, a sale after midnight Moscow time that is still the 13th in UTC, a basket redeemed
// the day after it was made and another redeemed across midnight, links to unknown sale ids, a refund, a
// pickup order handed over twice and one reported only by its analytics event.
var reportScenario = []reportEvent{
	{"kiosk-1", "k0", wire.TypeAnalytics, "2026-03-12T23:00:00", an(wire.AnalyticsKioskView, "2026-03-12T23:00:00", wire.Analytics{Product: "100001"})},
	// 13 March: till sales, a kiosk basket with a loyalty accrual, a refund.
	{"kiosk-1", "k1", wire.TypeAnalytics, "2026-03-13T09:00:00", an(wire.AnalyticsKioskView, "2026-03-13T09:00:00", wire.Analytics{Product: "100001"})},
	{"kiosk-1", "k2", wire.TypeAnalytics, "2026-03-13T09:05:00", an(wire.AnalyticsKioskView, "2026-03-13T09:05:00", wire.Analytics{Product: "100002"})},
	{"kiosk-1", "k3", wire.TypeAnalytics, "2026-03-13T09:06:00", an(wire.AnalyticsContinueOnline, "2026-03-13T09:06:00", wire.Analytics{Product: "100002"})},
	{"kiosk-1", "k4", wire.TypeAnalytics, "2026-03-13T17:55:00", an(wire.AnalyticsKioskView, "2026-03-13T17:55:00", wire.Analytics{Product: "100001"})},
	{"kiosk-1", "k5", wire.TypeAnalytics, "2026-03-13T18:00:00", an(wire.AnalyticsBasketCreated, "2026-03-13T18:00:00", wire.Analytics{Basket: "B1", Amount: 11980})},
	{"kiosk-1", "k6", wire.TypeAnalytics, "2026-03-13T18:20:00", an(wire.AnalyticsBasketCreated, "2026-03-13T18:20:00", wire.Analytics{Basket: "B2", Amount: 6290})},
	{"till-1", "t1", wire.TypeAnalytics, "2026-03-13T10:00:00", an(wire.AnalyticsLoyaltyKnown, "2026-03-13T10:00:00", wire.Analytics{Sale: "S1", Via: "card"})},
	{"till-1", "S1", wire.TypeSale, "2026-03-13T10:01:00", rsale("S1", "2026-03-13T10:01:00", 12050)},
	{"till-1", "S2", wire.TypeSale, "2026-03-13T12:00:00", rsale("S2", "2026-03-13T12:00:00", 990)},
	{"till-1", "t2", wire.TypeAnalytics, "2026-03-13T18:10:00", an(wire.AnalyticsBasketRedeemed, "2026-03-13T18:10:00", wire.Analytics{Basket: "B1", Sale: "S4", Via: "qr"})},
	{"till-1", "S4", wire.TypeSale, "2026-03-13T18:12:00", rsale("S4", "2026-03-13T18:12:00", 11980, wire.Payment{Method: "card", Amount: 11980})},
	{"till-1", "t3", wire.TypeLoyaltyAccrual, "2026-03-13T18:12:00", wire.Loyalty{Customer: "c1", Points: 120, Sale: "S4"}},
	{"till-1", "R1", wire.TypeRefund, "2026-03-13T23:50:00", func() wire.Sale { s := rsale("R1", "2026-03-13T23:50:00", 990); s.RefundOf = "S2"; return s }()},
	// 14 March: 01:30 in Moscow is still the 13th in UTC.
	{"till-1", "S3", wire.TypeSale, "2026-03-14T01:30:00", rsale("S3", "2026-03-14T01:30:00", 4500)},
	{"till-1", "t4", wire.TypeAnalytics, "2026-03-14T10:05:00", an(wire.AnalyticsBasketRedeemed, "2026-03-14T10:05:00", wire.Analytics{Basket: "B2", Sale: "S5", Via: "qr"})},
	{"till-1", "S5", wire.TypeSale, "2026-03-14T10:06:00", rsale("S5", "2026-03-14T10:06:00", 6290)},
	{"till-1", "t5", wire.TypeAnalytics, "2026-03-14T11:00:00", an(wire.AnalyticsLoyaltyKnown, "2026-03-14T11:00:00", wire.Analytics{Via: "phone"})},
	{"till-1", "t6", wire.TypePickupHandover, "2026-03-14T12:00:00", wire.PickupHandover{Order: orderW100, Sale: "S6"}},
	{"till-1", "t7", wire.TypeAnalytics, "2026-03-14T12:00:00", an(wire.AnalyticsPickupHandedOut, "2026-03-14T12:00:00", wire.Analytics{Order: orderW100, Sale: "S6", Via: "qr", Wait: 90 * time.Minute})},
	{"till-1", "S6", wire.TypeSale, "2026-03-14T12:00:00", rsale("S6", "2026-03-14T12:00:00", 12580, wire.Payment{Method: "prepaid", Amount: 12580})},
	{"till-1", "t8", wire.TypePickupHandover, "2026-03-14T12:30:00", wire.PickupHandover{Order: orderW100}},
	{"till-1", "S7", wire.TypeSale, "2026-03-14T15:00:00", rsale("S7", "2026-03-14T15:00:00", 3500,
		wire.Payment{Method: "prepaid", Amount: 3000}, wire.Payment{Method: "cash", Amount: 500})},
	{"till-1", "t9", wire.TypePickupHandover, "2026-03-14T15:00:00", wire.PickupHandover{Order: orderW101}},
	{"till-1", "t10", wire.TypeAnalytics, "2026-03-14T15:00:00", an(wire.AnalyticsPickupHandedOut, "2026-03-14T15:00:00", wire.Analytics{Order: orderW101, Via: "number", Wait: 26*time.Hour + 30*time.Minute})},
	{"till-1", "t11", wire.TypeAnalytics, "2026-03-14T16:00:00", an(wire.AnalyticsPickupHandedOut, "2026-03-14T16:00:00", wire.Analytics{Order: orderW102, Via: "qr", Wait: 10 * time.Minute})},
	{"till-1", "t12", wire.TypeLoyaltyRedemption, "2026-03-14T16:30:00", wire.Loyalty{Customer: "c1", Points: 50, Sale: "ghost-1"}},
	{"kiosk-1", "k7", wire.TypeAnalytics, "2026-03-14T23:50:00", an(wire.AnalyticsBasketCreated, "2026-03-14T23:50:00", wire.Analytics{Basket: "B4", Amount: 2400})},
	{"till-1", "t13", wire.TypeAnalytics, "2026-03-14T23:59:50", an(wire.AnalyticsBasketRedeemed, "2026-03-14T23:59:50", wire.Analytics{Basket: "B4", Sale: "S8", Via: "qr"})},
	{"till-9", "X1", wire.TypeSale, "2026-03-14T14:00:00", rsale("X1", "2026-03-14T14:00:00", 5000)},
	// 15 March: the basket sale of B4 ten seconds after midnight; a basket from the web shop for an
	// unknown sale; an app QR customer.
	{"till-1", "S8", wire.TypeSale, "2026-03-15T00:00:10", rsale("S8", "2026-03-15T00:00:10", 2400)},
	{"till-1", "t14", wire.TypeAnalytics, "2026-03-15T11:00:00", an(wire.AnalyticsBasketRedeemed, "2026-03-15T11:00:00", wire.Analytics{Basket: "B3", Sale: "ghost-2", Via: "qr"})},
	{"till-1", "t15", wire.TypeAnalytics, "2026-03-15T12:00:00", an(wire.AnalyticsLoyaltyKnown, "2026-03-15T12:00:00", wire.Analytics{Sale: "S9", Via: "app_qr"})},
	{"till-1", "S9", wire.TypeSale, "2026-03-15T12:00:30", rsale("S9", "2026-03-15T12:00:30", 1000)},
	// 16 March 00:30 in Moscow, the 15th in UTC.
	{"kiosk-1", "k8", wire.TypeAnalytics, "2026-03-16T00:30:00", an(wire.AnalyticsKioskView, "2026-03-16T00:30:00", wire.Analytics{Product: "100002"})},
}

// newReportHub is a test hub holding reportScenario, every event of it posted through POST /v1/events.
func newReportHub(t testing.TB) *testHub {
	t.Helper()
	th := newTestHub(t, hub.Options{})
	kiosk, err := th.st.AddTerminal("s1", "kiosk-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := th.st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Cards: []string{"2770000000015"}, Balance: 1000}}, false); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"W-100", "W-101"} {
		o := wire.PickupOrder{ID: hub.PickupOrderID("s1", n), Number: n, Store: "s1", Status: wire.PickupReady}
		if _, _, err := th.st.PutPickupOrder(ctx, o, ""); err != nil {
			t.Fatal(err)
		}
	}
	tokens := map[string]string{"till-1": "Bearer " + th.token, "kiosk-1": "Bearer " + kiosk, "till-9": "Bearer " + th.other}
	seq := map[string]uint64{}
	for _, e := range reportScenario {
		payload, err := json.Marshal(e.payload)
		if err != nil {
			t.Fatal(err)
		}
		seq[e.term]++
		ev := wire.Event{ID: e.id, Seq: seq[e.term], Type: e.typ, Terminal: e.term, At: msk(e.at), Payload: payload}
		body, _ := json.Marshal(wire.Batch{Events: []wire.Event{ev}})
		rec := th.post(tokens[e.term], string(body))
		var res wire.BatchResult
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || len(res.Acked) != 1 {
			t.Fatalf("event %s: %d %s", e.id, rec.Code, rec.Body)
		}
	}
	return th
}

func ratioOf(v float64) *float64 { return &v }
func secs(v int64) *int64        { return &v }

// The rows of the period 13-15 March, Moscow days.
var (
	rowS1Day13 = wire.ReportRow{Store: "s1", Day: "2026-03-13", TillSales: 2, TillSum: 13040, BasketSales: 1, BasketSum: 11980,
		Refunds: 1, RefundSum: 990, KioskViews: 3, ContinueOnline: 1, BasketsCreated: 2, BasketsRedeemed: 1, Conversion: ratioOf(0.5),
		LoyaltyRecognised: 1, LoyaltySales: 2, LoyaltySum: 24030, LoyaltyShare: ratioOf(0.6667)}
	rowS1Day14 = wire.ReportRow{Store: "s1", Day: "2026-03-14", TillSales: 1, TillSum: 4500, PickupSales: 2, PickupSum: 16080,
		BasketSales: 1, BasketSum: 6290, BasketsCreated: 1, BasketsRedeemed: 2, Conversion: ratioOf(2),
		PickupsHandedOut: 3, PickupWaitMedian: secs(5400), PickupWaitP90: secs(95400), LoyaltyRecognised: 1, LoyaltyShare: ratioOf(0)}
	rowS1Day15 = wire.ReportRow{Store: "s1", Day: "2026-03-15", TillSales: 1, TillSum: 1000, BasketSales: 1, BasketSum: 2400,
		BasketsRedeemed: 1, LoyaltyRecognised: 1, LoyaltySales: 1, LoyaltySum: 1000, LoyaltyShare: ratioOf(0.5)}
	rowS2Day14 = wire.ReportRow{Store: "s2", Day: "2026-03-14", TillSales: 1, TillSum: 5000, LoyaltyShare: ratioOf(0)}
	totalS1    = wire.ReportRow{Store: "s1", TillSales: 4, TillSum: 18540, PickupSales: 2, PickupSum: 16080, BasketSales: 3,
		BasketSum: 20670, Refunds: 1, RefundSum: 990, KioskViews: 3, ContinueOnline: 1, BasketsCreated: 3, BasketsRedeemed: 4,
		Conversion: ratioOf(1.3333), PickupsHandedOut: 3, PickupWaitMedian: secs(5400), PickupWaitP90: secs(95400),
		LoyaltyRecognised: 3, LoyaltySales: 3, LoyaltySum: 25030, LoyaltyShare: ratioOf(0.3333)}
)

func TestBuildReport(t *testing.T) {
	th := newReportHub(t)
	rowS1Day13UTC := rowS1Day13
	// S3 at 22:30 UTC is the 13th's: a third till sale, and two loyalty sales of four.
	rowS1Day13UTC.TillSales, rowS1Day13UTC.TillSum, rowS1Day13UTC.LoyaltyShare = 3, 17540, ratioOf(0.5)
	tests := []struct {
		name     string
		q        hub.ReportQuery
		days     []string         // store/day of every row, in order
		rows     []wire.ReportRow // rows that must be among them, exactly
		totals   []wire.ReportRow
		zoneName string
	}{
		{name: "period in Moscow days", q: hub.ReportQuery{From: "2026-03-13", To: "2026-03-15"},
			days: []string{"s1/2026-03-13", "s1/2026-03-14", "s1/2026-03-15", "s2/2026-03-14"},
			rows: []wire.ReportRow{rowS1Day13, rowS1Day14, rowS1Day15, rowS2Day14}, totals: []wire.ReportRow{totalS1, rowS2Total},
			zoneName: "Europe/Moscow"},
		{name: "one store", q: hub.ReportQuery{Store: "s2", From: "2026-03-13", To: "2026-03-15"},
			days: []string{"s2/2026-03-14"}, rows: []wire.ReportRow{rowS2Day14}, totals: []wire.ReportRow{rowS2Total}},
		// The basket of S8 was redeemed before midnight, outside the period: the sale is still the basket's.
		{name: "last day links across midnight", q: hub.ReportQuery{Store: "s1", From: "2026-03-15", To: "2026-03-15"},
			days: []string{"s1/2026-03-15"}, rows: []wire.ReportRow{rowS1Day15}},
		{name: "UTC days", q: hub.ReportQuery{Store: "s1", From: "2026-03-13", To: "2026-03-13", Zone: "UTC"},
			days: []string{"s1/2026-03-13"}, rows: []wire.ReportRow{rowS1Day13UTC}, zoneName: "UTC"},
		{name: "open period", q: hub.ReportQuery{Store: "s1"},
			days: []string{"s1/2026-03-12", "s1/2026-03-13", "s1/2026-03-14", "s1/2026-03-15", "s1/2026-03-16"},
			rows: []wire.ReportRow{{Store: "s1", Day: "2026-03-12", KioskViews: 1}, rowS1Day14}},
		{name: "from only", q: hub.ReportQuery{From: "2026-03-16"}, days: []string{"s1/2026-03-16"}},
		{name: "nothing", q: hub.ReportQuery{From: "2027-01-01", To: "2027-01-31"}},
		{name: "unknown store", q: hub.ReportQuery{Store: "s9"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := hub.BuildReport(ctx, th.st, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var days []string
			for _, r := range rep.Rows {
				days = append(days, r.Store+"/"+r.Day)
			}
			if fmt.Sprint(days) != fmt.Sprint(tc.days) {
				t.Errorf("rows %v, want %v", days, tc.days)
			}
			for _, want := range tc.rows {
				checkRow(t, rep.Rows, want)
			}
			for _, want := range tc.totals {
				checkRow(t, rep.Totals, want)
			}
			if tc.zoneName != "" && rep.Zone != tc.zoneName || rep.From != tc.q.From || rep.To != tc.q.To {
				t.Errorf("report of %s from %q to %q", rep.Zone, rep.From, rep.To)
			}
		})
	}
}

var rowS2Total = func() wire.ReportRow { r := rowS2Day14; r.Day = ""; return r }()

func checkRow(t *testing.T, rows []wire.ReportRow, want wire.ReportRow) {
	t.Helper()
	for _, r := range rows {
		if r.Store == want.Store && r.Day == want.Day {
			if !reflect.DeepEqual(r, want) {
				got, _ := json.Marshal(r)
				exp, _ := json.Marshal(want)
				t.Errorf("row %s/%s:\n got %s\nwant %s", want.Store, want.Day, got, exp)
			}
			return
		}
	}
	t.Errorf("no row %s/%s", want.Store, want.Day)
}

func TestBuildReportInvalid(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	for _, q := range []hub.ReportQuery{
		{From: "2026-13-01"},
		{To: "14.03.2026"},
		{From: "2026-02-30"},
		{From: "2026-03-15", To: "2026-03-14"},
		{Zone: "Mars/Olympus_Mons"},
		{Zone: "Local"},
		{Store: "s\x001"},
	} {
		if _, err := hub.BuildReport(ctx, th.st, q); !errors.Is(err, hub.ErrInvalid) {
			t.Errorf("BuildReport(%+v) = %v, want ErrInvalid", q, err)
		}
	}
}
