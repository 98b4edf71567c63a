package metrics_test

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/metrics"
)

func scrape(t *testing.T, h http.Handler) map[string]string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Header())
	}
	out := map[string]string{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		out[line[:i]] = line[i+1:]
	}
	return out
}

func TestMetrics(t *testing.T) {
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token, err := st.AddTerminal("s1", "till-1")
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	h := hub.NewServer(st, hub.Options{Observer: m}).Handler()
	send := func(method, path, body string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	ev := func(id, seq, typ, payload string) string {
		return `{"id":"` + id + `","seq":` + seq + `,"type":"` + typ + `","terminal":"till-1","at":"2026-03-14T10:30:00Z","payload":` + payload + `}`
	}
	sale := `{"id":"s","lines":[{"product_id":"1","name":"Хлеб","price":5,"qty":1000,"sum":5}],"total":5}`
	send("POST", "/v1/events", `{"events":[`+ev("a", "1", "sale", sale)+`,`+ev("a", "1", "sale", sale)+`,`+
		ev("b", "4", "refund", sale)+`,`+ev("c", "5", "sale", `{}`)+`,`+ev("d", "6", "cash_in", `{}`)+`]}`)
	send("GET", "/v1/catalog", "")
	send("GET", "/v1/offers?limit=0", "")

	got := scrape(t, m.Handler())
	tests := []struct{ series, want string }{
		{`kassahub_events_received_total{type="sale"}`, "3"},
		{`kassahub_events_received_total{type="refund"}`, "1"},
		{`kassahub_events_received_total{type="other"}`, "1"},
		{`kassahub_events_acked_total{type="sale"}`, "2"},
		{`kassahub_events_acked_total{type="refund"}`, "1"},
		{`kassahub_events_duplicate_total{type="sale"}`, "1"},
		{`kassahub_events_rejected_total{type="sale"}`, "1"},
		{`kassahub_events_rejected_total{type="other"}`, "1"},
		{`kassahub_events_rejected_total{type="loyalty_accrual"}`, "0"},
		{`kassahub_seq_gaps_total{store="s1",terminal="till-1"}`, "1"},
		{`kassahub_event_warnings_total{kind="loyalty_overdraft"}`, "0"},
		{`kassahub_pulls_total{feed="catalog"}`, "1"},
		{`kassahub_pulls_total{feed="offers"}`, "0"},
		{`kassahub_pull_items_total{feed="catalog",kind="changed"}`, "0"},
		{`kassahub_request_duration_seconds_count{code="200",route="POST /v1/events"}`, "1"},
		{`kassahub_request_duration_seconds_count{code="400",route="GET /v1/offers"}`, "1"},
	}
	for _, tc := range tests {
		if got[tc.series] != tc.want {
			t.Errorf("%s = %q, want %s", tc.series, got[tc.series], tc.want)
		}
	}
	if got["go_goroutines"] == "" {
		t.Error("no Go runtime metrics")
	}
	// A second hub in the same process has its own registry: no duplicate registration panic, no sharing.
	if other := scrape(t, metrics.New().Handler()); other[`kassahub_events_received_total{type="sale"}`] != "0" {
		t.Errorf("a new registry starts at %q", other[`kassahub_events_received_total{type="sale"}`])
	}
}
