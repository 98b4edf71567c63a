package metrics_test

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/metrics"
)

// TestAnalyticsMetrics checks that analytics events have their own type label, stored or rejected.
func TestAnalyticsMetrics(t *testing.T) {
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token, err := st.AddTerminal("s1", "kiosk-1")
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	h := hub.NewServer(st, hub.Options{Observer: m}).Handler()
	ev := func(id, payload string) string {
		return `{"id":"` + id + `","seq":1,"type":"analytics","terminal":"kiosk-1","at":"2026-03-14T10:30:00Z","payload":` + payload + `}`
	}
	req := httptest.NewRequest("POST", "/v1/events", strings.NewReader(`{"events":[`+
		ev("a", `{"kind":"kiosk_view","product":"100001"}`)+`,`+ev("b", `{"kind":"kiosk_view","customer":"c1"}`)+`]}`))
	req.Header.Set("Authorization", "Bearer "+token)
	h.ServeHTTP(httptest.NewRecorder(), req)

	got := scrape(t, m.Handler())
	for series, want := range map[string]string{
		`kassahub_events_received_total{type="analytics"}`: "2",
		`kassahub_events_acked_total{type="analytics"}`:    "1",
		`kassahub_events_rejected_total{type="analytics"}`: "1",
		`kassahub_events_received_total{type="other"}`:     "0",
	} {
		if got[series] != want {
			t.Errorf("%s = %q, want %s", series, got[series], want)
		}
	}
}
