package hub_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kassa-pos/kassa/sync/hub"
)

// TestOpenAPI checks real exchanges with the handler against sync/openapi.yaml: the document describes
// what the hub accepts and answers.
func TestOpenAPI(t *testing.T) {
	ctx := context.Background()
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	doc.Servers = nil // route on paths alone, whatever host httptest uses
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	th := newTestHub(t, hub.Options{})
	auth := func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
		if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
			return errors.New("no bearer token")
		}
		return nil
	}

	tests := []struct {
		name, method, path, auth, body string
		wantStatus                     int
		requestValid                   bool
	}{
		{"good batch", "POST", "/v1/events", "TOKEN",
			batchJSON(eventJSON("o1", 1, "shift_open", shiftOpen), eventJSON("o2", 2, "sale", saleJSON("s", 150, 100, 50))),
			200, true},
		{"replayed batch", "POST", "/v1/events", "TOKEN", batchJSON(eventJSON("o2", 2, "sale", saleJSON("s", 150, 100, 50))), 200, true},
		{"rejected event", "POST", "/v1/events", "TOKEN",
			batchJSON(eventJSON("o3", 3, "sale", saleJSON("s", 999, 100, 50)), eventJSON("o4", 4, "shift_close", shiftClose)),
			200, true},
		{"empty batch", "POST", "/v1/events", "TOKEN", `{"events":[]}`, 200, true},
		{"malformed", "POST", "/v1/events", "TOKEN", `{"events":[`, 400, false},
		{"missing events", "POST", "/v1/events", "TOKEN", `{}`, 400, false},
		{"unknown token", "POST", "/v1/events", "Bearer nope", `{"events":[]}`, 401, true},
		{"no token", "POST", "/v1/events", "", `{"events":[]}`, 401, false},
		{"health", "GET", "/v1/health", "", "", 200, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if h := th.authHeader(tc.auth); h != "" {
				req.Header.Set("Authorization", h)
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: auth}}
			err = openapi3filter.ValidateRequest(ctx, in)
			if (err == nil) != tc.requestValid {
				t.Fatalf("request validation: %v, want valid=%v", err, tc.requestValid)
			}
			req.Body = io.NopCloser(strings.NewReader(tc.body))

			rec := httptest.NewRecorder()
			th.h.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.wantStatus, rec.Body)
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code,
				Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
				Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
				t.Errorf("response %d %s does not match openapi.yaml: %v", rec.Code, rec.Body, err)
			}
		})
	}

	// The validator must be live: an answer that breaks the schema is caught.
	req := httptest.NewRequest("POST", "/v1/events", strings.NewReader(`{"events":[]}`))
	req.Header.Set("Content-Type", "application/json")
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: auth}}
	bad := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: 200,
		Header: map[string][]string{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(strings.NewReader(`{"acked":"e1"}`))}
	if err := openapi3filter.ValidateResponse(ctx, bad); err == nil {
		t.Error("a BatchResult with a string for acked passed validation")
	}
}
