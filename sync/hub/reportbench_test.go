package hub_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// BenchmarkReport builds the report of one day and of the whole history from a hub holding 90 days of
// one store: 300 sales and 100 analytics events a day (36,000 events). With the timeline, a day's report
// reads that day's events and its two-day margins, not the history.
//
//	go test -run '^$' -bench Report -benchmem ./sync/hub/
func BenchmarkReport(b *testing.B) {
	th := newTestHub(b, hub.Options{})
	start := time.Date(2026, 1, 1, 7, 0, 0, 0, time.UTC)
	const days, sales, views = 90, 300, 100
	seq := uint64(0)
	for d := range days {
		var batch []hub.Incoming
		for i := range sales + views {
			seq++
			at := start.AddDate(0, 0, d).Add(time.Duration(i) * 90 * time.Second)
			id := fmt.Sprintf("ev-%07d", seq)
			ev := wire.Event{ID: id, Seq: seq, Type: wire.TypeSale, Terminal: "till-1", At: at}
			if i < sales {
				var s wire.Sale
				if err := json.Unmarshal([]byte(saleJSON(id, 150, 100, 50)), &s); err != nil {
					b.Fatal(err)
				}
				s.Fiscal.At = at
				ev.Payload, _ = json.Marshal(s)
			} else {
				ev.Type = wire.TypeAnalytics
				ev.Payload, _ = json.Marshal(wire.Analytics{Kind: wire.AnalyticsKioskView, At: at, Product: "100001"})
			}
			batch = append(batch, hub.Incoming{Event: ev})
		}
		if _, err := th.st.Append(ctx, till1, batch, start); err != nil {
			b.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		q    hub.ReportQuery
		rows int
	}{
		{"period=1day", hub.ReportQuery{From: "2026-02-01", To: "2026-02-01"}, 1},
		{"period=90days", hub.ReportQuery{}, days},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				rep, err := hub.BuildReport(ctx, th.st, tc.q)
				if err != nil || len(rep.Rows) != tc.rows || rep.Rows[0].TillSales != sales {
					b.Fatalf("report: %v, %d rows", err, len(rep.Rows))
				}
			}
		})
	}
}
