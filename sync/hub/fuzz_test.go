package hub_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// checkAnswer fails unless rec is a documented status with a JSON body of the matching type.
func checkAnswer(t *testing.T, code int, body []byte, ok any, allowed ...int) {
	t.Helper()
	for _, a := range allowed {
		if code != a {
			continue
		}
		if code < 300 {
			if err := json.Unmarshal(body, ok); err != nil {
				t.Fatalf("%d with body %q: %v", code, body, err)
			}
			return
		}
		var e wire.Error
		if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
			t.Fatalf("%d with body %q: %v", code, body, err)
		}
		return
	}
	t.Fatalf("status %d: %s", code, body)
}

// FuzzEvents posts arbitrary bodies with a valid token: the handler must never panic and must always answer
// a documented status with a JSON body of the matching type.
func FuzzEvents(f *testing.F) {
	for _, tc := range eventCases {
		f.Add(tc.body)
	}
	th := newTestHub(f, hub.Options{MaxBody: 4096})
	f.Fuzz(func(t *testing.T, body string) {
		rec := th.post("Bearer "+th.token, body)
		var res wire.BatchResult
		checkAnswer(t, rec.Code, rec.Body.Bytes(), &res, http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge)
		if rec.Code == http.StatusOK && res.Acked == nil {
			t.Fatalf("200 without acked: %s", rec.Body)
		}
	})
}

// FuzzFeedQuery sends arbitrary since and limit values to every feed.
func FuzzFeedQuery(f *testing.F) {
	th := newTestHub(f, hub.Options{})
	th.seedCatalog(f)
	next := th.page(f, wire.FeedCatalog, "", 1).Next
	for _, seed := range []struct{ since, limit string }{{"", ""}, {next, "1"}, {"42", "0"}, {"abc.x", "ten"}, {"x.18446744073709551615", "10000"}, {next + "0", "-1"}} {
		f.Add(seed.since, seed.limit)
	}
	f.Fuzz(func(t *testing.T, since, limit string) {
		for _, feed := range []string{wire.FeedCatalog, wire.FeedCustomers, wire.FeedOffers, wire.FeedPickupOrders} {
			q := url.Values{"since": {since}, "limit": {limit}}
			rec := th.do(http.MethodGet, "/v1/"+feed+"?"+q.Encode(), "TOKEN", "")
			var p hub.FeedPage
			checkAnswer(t, rec.Code, rec.Body.Bytes(), &p, http.StatusOK, http.StatusBadRequest)
			if rec.Code == http.StatusOK && (p.Items == nil || p.Next == "") {
				t.Fatalf("page without items or next: %s", rec.Body)
			}
		}
	})
}

// FuzzAdminPickup posts arbitrary bodies to the web shop's endpoint.
func FuzzAdminPickup(f *testing.F) {
	for _, tc := range adminCases {
		f.Add(tc.body)
	}
	for _, tc := range pickupCases {
		data, _ := json.Marshal(tc.req)
		f.Add(string(data))
	}
	th := newTestHub(f, hub.Options{MaxBody: 4096})
	th.seedCatalog(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := th.do(http.MethodPost, "/v1/admin/pickup-orders", "ADMIN", body)
		var res wire.PickupCreated
		checkAnswer(t, rec.Code, rec.Body.Bytes(), &res, http.StatusCreated, http.StatusOK, http.StatusBadRequest,
			http.StatusConflict, http.StatusRequestEntityTooLarge)
		if rec.Code < 300 && (res.Order.ID == "" || res.QR == "" || res.Order.Total < res.Order.Prepaid) {
			t.Fatalf("order %s", rec.Body)
		}
	})
}
