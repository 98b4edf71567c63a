package hub_test

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/kassa-pos/kassa/sync/hub"
)

// TestHealthChecksStorage: the probes answer 200 while the bbolt storage is open and 503 with a JSON
// reason once it is closed, and both answers match sync/openapi.yaml.
func TestHealthChecksStorage(t *testing.T) {
	ctx := context.Background()
	router := specRouter(t)
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := hub.NewServer(st, hub.Options{}).Handler()
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("Ping of an open storage: %v", err)
	}
	probe := func(closed bool) {
		for _, path := range []string{"/v1/health", "/healthz"} {
			req := httptest.NewRequest("GET", path, nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			want, body := 200, `{"status":"ok"}`
			if closed {
				want, body = 503, `{"error":"storage unavailable"}`
			}
			if rec.Code != want || strings.TrimSpace(rec.Body.String()) != body {
				t.Errorf("GET %s (closed %v): %d %s, want %d %s", path, closed, rec.Code, rec.Body, want, body)
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code,
				Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
				Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
				t.Errorf("GET %s: response %d %s does not match openapi.yaml: %v", path, rec.Code, rec.Body, err)
			}
		}
	}
	probe(false)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err == nil {
		t.Error("Ping of a closed storage succeeded")
	}
	probe(true)
}

// TestPingHonoursContext: a probe whose deadline has passed does not report the storage up.
func TestPingHonoursContext(t *testing.T) {
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := st.Ping(ctx); err == nil {
		t.Error("Ping with a cancelled context succeeded")
	}
}
