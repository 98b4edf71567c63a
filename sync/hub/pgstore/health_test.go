package pgstore_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
)

// TestHealthPing: the hub's probes answer 200 while the pool reaches the database and 503 with a JSON
// reason once the pool is closed.
func TestHealthPing(t *testing.T) {
	st := open(t, pgtest.DSN(t))
	ctx := context.Background()
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	h := hub.NewServer(st, hub.Options{}).Handler()
	tests := []struct {
		name   string
		closed bool
		want   int
		body   string
	}{
		{"up", false, 200, `{"status":"ok"}`},
		{"pool closed", true, 503, `{"error":"storage unavailable"}`},
	}
	for _, tc := range tests {
		if tc.closed {
			st.Close()
			if err := st.Ping(ctx); err == nil {
				t.Fatal("Ping of a closed pool succeeded")
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		if rec.Code != tc.want || strings.TrimSpace(rec.Body.String()) != tc.body {
			t.Errorf("%s: %d %s, want %d %s", tc.name, rec.Code, rec.Body, tc.want, tc.body)
		}
	}
}
