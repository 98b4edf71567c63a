package hub_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/metrics"
	"github.com/kassa-pos/kassa/sync/wire"
)

// specRouter loads sync/openapi.yaml, checks that it is valid and routes requests to its operations on
// their paths alone, whatever host httptest uses.
func specRouter(t *testing.T) routers.Router {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router
}

// TestOpenAPI checks real exchanges with the handler against sync/openapi.yaml: the document describes
// what the hub accepts and answers.
func TestOpenAPI(t *testing.T) {
	ctx := context.Background()
	router := specRouter(t)
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	if _, err := th.st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Cards: []string{"2770000000015"}, PhoneHash: "ab", Name: "Анна П.", Balance: 100}}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := th.st.ImportOffers(ctx, "s1", []wire.Offer{{ProductID: "100001", OnlinePrice: 5990, StockHere: 12000,
		StockNearby: []wire.StoreStock{{Store: "s2", Name: "На Мира", Qty: 3000}}}}, true); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", th.h)
	mux.Handle("GET /metrics", metrics.New().Handler())
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
		{"healthz", "GET", "/healthz", "", "", 200, true},
		{"metrics", "GET", "/metrics", "", "", 200, true},
		{"refund and loyalty", "POST", "/v1/events", "TOKEN", batchJSON(eventJSON("o5", 5, "refund", saleJSON("s", 150, 100, 50)),
			eventJSON("o6", 6, "loyalty_accrual", `{"customer":"c1","points":15,"sale":"s"}`),
			eventJSON("o9", 9, "pickup_handover", `{"order":"po-none"}`)), 200, true},
		{"cash in and out", "POST", "/v1/events", "TOKEN", batchJSON(eventJSON("o30", 30, "cash", cashJSON("in", 500000, "till-1")),
			eventJSON("o31", 31, "cash", cashJSON("out", 120000, "till-1"))), 200, true},
		{"cash not a number", "POST", "/v1/events", "TOKEN", batchJSON(eventJSON("o32", 32, "cash",
			`{"id":"x","terminal":"till-1","shift":1,"kind":"in","amount":"much","cashier":"А","at":"2026-03-14T10:00:00Z"}`)), 200, false},
		{"pickup order", "POST", "/v1/admin/pickup-orders", "ADMIN", goodPickup, 201, true},
		{"pickup order again", "POST", "/v1/admin/pickup-orders", "ADMIN", goodPickup, 200, true},
		{"pickup order conflict", "POST", "/v1/admin/pickup-orders", "ADMIN", strings.Replace(goodPickup, "2000", "3000", 1), 409, true},
		{"pickup order bad", "POST", "/v1/admin/pickup-orders", "ADMIN", `{"store":"s1"}`, 400, false},
		{"pickup order no admin", "POST", "/v1/admin/pickup-orders", "TOKEN", goodPickup, 401, true},
		{"basket", "POST", "/v1/admin/baskets", "ADMIN", goodBasket, 201, true},
		{"basket weighed", "POST", "/v1/admin/baskets", "ADMIN", strings.Replace(goodBasket, "4601234567893", "2000000000015", 1), 400, true},
		{"basket from a kiosk", "POST", "/v1/admin/baskets", "ADMIN", strings.Replace(goodBasket, `"web"`, `"kiosk"`, 1), 400, false},
		{"basket no admin", "POST", "/v1/admin/baskets", "TOKEN", goodBasket, 401, true},
		{"analytics", "POST", "/v1/events", "TOKEN", batchJSON(eventJSON("o10", 10, "analytics", analyticsCases[2].payload)), 200, true},
		{"analytics with a phone", "POST", "/v1/events", "TOKEN",
			batchJSON(eventJSON("o11", 11, "analytics", `{"kind":"loyalty_recognised","phone":"+79123456789"}`)), 200, false},
		{"report", "GET", "/v1/admin/report?from=2026-03-14&to=2026-03-14", "ADMIN", "", 200, true},
		{"report bad day", "GET", "/v1/admin/report?from=14.03.2026", "ADMIN", "", 400, false},
		{"report no admin", "GET", "/v1/admin/report", "TOKEN", "", 401, true},
		{"audit event", "POST", "/v1/events", "TOKEN", batchJSON(eventJSON("o12", 12, "audit", auditJSON)), 200, true},
		{"audit log", "GET", "/v1/admin/audit?from=2026-03-14T00:00:00Z", "ADMIN", "", 200, true},
		{"audit log bad time", "GET", "/v1/admin/audit?from=14.03.2026", "ADMIN", "", 400, false},
		{"audit log no admin", "GET", "/v1/admin/audit", "TOKEN", "", 401, true},
		{"catalog", "GET", "/v1/catalog?limit=2", "TOKEN", "", 200, true},
		{"catalog next", "GET", "/v1/catalog?since=CURSOR", "TOKEN", "", 200, true},
		{"customers", "GET", "/v1/customers", "TOKEN", "", 200, true},
		{"offers", "GET", "/v1/offers", "TOKEN", "", 200, true},
		{"pickup orders", "GET", "/v1/pickup-orders", "TOKEN", "", 200, true},
		{"bad limit", "GET", "/v1/catalog?limit=0", "TOKEN", "", 400, false},
		{"bad cursor", "GET", "/v1/catalog?since=nope", "TOKEN", "", 400, true},
		{"feed no token", "GET", "/v1/offers", "", "", 401, false},
		{"pickup handed over twice, points overdrawn", "POST", "/v1/events", "TOKEN", batchJSON(
			eventJSON("o20", 20, "pickup_handover", `{"order":"`+hub.PickupOrderID("s1", "W-100")+`"}`),
			eventJSON("o21", 21, "pickup_handover", `{"order":"`+hub.PickupOrderID("s1", "W-100")+`","sale":"s"}`),
			eventJSON("o22", 22, "loyalty_redemption", `{"customer":"c1","points":500,"sale":"s"}`)), 200, true},
		{"pickup conflicts", "GET", "/v1/admin/pickup-conflicts", "ADMIN", "", 200, true},
		{"pickup conflicts of a store", "GET", "/v1/admin/pickup-conflicts?store=s1", "ADMIN", "", 200, true},
		{"pickup conflicts bad store", "GET", "/v1/admin/pickup-conflicts?store=%20s1", "ADMIN", "", 400, true},
		{"pickup conflicts no admin", "GET", "/v1/admin/pickup-conflicts", "TOKEN", "", 401, true},
	}
	cursor := th.page(t, "catalog", "", 2).Next
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, strings.Replace(tc.path, "CURSOR", cursor, 1), strings.NewReader(tc.body))
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
			mux.ServeHTTP(rec, req)
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
