package hub_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu       sync.Mutex
	requests []string
	batches  []hub.BatchReport
	pulls    []string
}

func (r *recorder) ObserveRequest(route string, status int, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if d < 0 {
		route += " negative duration"
	}
	r.requests = append(r.requests, route+" "+strconv.Itoa(status))
}

func (r *recorder) ObserveBatch(b hub.BatchReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, b)
}

func (r *recorder) ObservePull(feed string, items, deleted int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pulls = append(r.pulls, feed)
}

// TestRequestLogAndObserver: one structured log line per request with the terminal, the events and the
// status, and the observer sees each request, batch and pull.
func TestRequestLogAndObserver(t *testing.T) {
	var logs bytes.Buffer
	rec := &recorder{}
	th := newTestHub(t, hub.Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})), Observer: rec})
	th.post("TOKEN", batchJSON(eventJSON("a1", 1, "sale", saleJSON("s", 5, 5)), eventJSON("a1", 1, "sale", saleJSON("s", 5, 5)),
		eventJSON("a3", 3, "sale", saleJSON("s", 6, 5)), eventJSON("a4", 4, "sale", saleJSON("s", 5, 5))))
	th.do("GET", "/v1/catalog?limit=5", "TOKEN", "")
	th.do("GET", "/v1/health", "", "")
	th.post("Bearer wrong", `{"events":[]}`)
	th.do("GET", "/nowhere", "", "")

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	tests := []struct {
		path   string
		status float64
		level  string
		fields map[string]any
	}{
		{"/v1/events", 200, "INFO", map[string]any{"terminal": "till-1", "store": "s1", "events": 4.0, "new": 2.0, "duplicates": 1.0, "rejected": 1.0, "gaps": 1.0}},
		{"/v1/catalog", 200, "INFO", map[string]any{"terminal": "till-1", "feed": "catalog", "items": 0.0}},
		{"/v1/events", 401, "WARN", map[string]any{"reason": "unknown token"}},
		{"/nowhere", 404, "WARN", nil},
	}
	if len(lines) != len(tests) {
		t.Fatalf("%d request lines (health is debug), want %d:\n%s", len(lines), len(tests), logs.String())
	}
	for i, tc := range tests {
		l := lines[i]
		if l["path"] != tc.path || l["status"] != tc.status || l["level"] != tc.level || l["duration"] == nil {
			t.Errorf("line %d: %v", i, l)
		}
		for k, v := range tc.fields {
			if l[k] != v {
				t.Errorf("line %d: %s = %v, want %v", i, k, l[k], v)
			}
		}
	}
	if !strings.Contains(logs.String(), `"msg":"event seq gap"`) || !strings.Contains(logs.String(), `"msg":"event rejected"`) {
		t.Errorf("no gap or rejection warning in\n%s", logs.String())
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	wantReq := "POST /v1/events 200,GET /v1/catalog 200,GET /v1/health 200,POST /v1/events 401, 404"
	if got := strings.Join(rec.requests, ","); got != wantReq {
		t.Errorf("requests %q, want %q", got, wantReq)
	}
	if len(rec.batches) != 1 || len(rec.batches[0].Types) != 4 || rec.batches[0].Results[1].Status != hub.Duplicate ||
		rec.batches[0].Results[2].Status != hub.Rejected || len(rec.batches[0].Gaps) != 1 || rec.batches[0].Gaps[0] != 2 {
		t.Errorf("batches %+v", rec.batches)
	}
	if strings.Join(rec.pulls, ",") != "catalog" {
		t.Errorf("pulls %v", rec.pulls)
	}
}
