package hub_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

const goodPickup = `{"store":"s1","number":"W-100","phone":"+7 912 345-67-89","customer":"Анна Петрова",` +
	`"items":[{"barcode":"4601234567893","qty":2000},{"product_id":"200001","qty":500}],"prepaid":12580}`

// adminCases are POST /v1/admin/pickup-orders exchanges, in order, on one hub; FuzzAdminPickup starts
// from their bodies.
var adminCases = []struct {
	name, auth, body string
	want             int
	has              string
}{
	{"created", "ADMIN", goodPickup, 201, `"qr":"KP1.k1.`},
	{"repeated", "ADMIN", goodPickup, 200, `"number":"W-100"`},
	{"same number, other order", "ADMIN", strings.Replace(goodPickup, `"qty":2000`, `"qty":3000`, 1), 409, "already exists"},
	{"unknown barcode", "ADMIN", strings.Replace(goodPickup, "4601234567893", "4600000000000", 1), 400, "not in the catalog"},
	{"bad phone", "ADMIN", strings.Replace(goodPickup, "+7 912 345-67-89", "12", 1), 400, "phone"},
	{"unknown field", "ADMIN", strings.Replace(goodPickup, `"store"`, `"shop":1,"store"`, 1), 400, "unknown field"},
	{"not json", "ADMIN", `{"store":`, 400, "malformed JSON"},
	{"trailing data", "ADMIN", goodPickup + `{}`, 400, "after the request"},
	{"terminal token", "TOKEN", goodPickup, 401, "admin token"},
	{"no token", "", goodPickup, 401, "admin token"},
	{"too large", "ADMIN", `{"store":"` + strings.Repeat("s", 5000) + `"}`, 413, "larger than"},
}

func TestAdminPickupOrders(t *testing.T) {
	th := newTestHub(t, hub.Options{MaxBody: 4096})
	th.seedCatalog(t)
	for _, tc := range adminCases {
		t.Run(tc.name, func(t *testing.T) {
			rec := th.do(http.MethodPost, "/v1/admin/pickup-orders", tc.auth, tc.body)
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.has) {
				t.Fatalf("%d %s, want %d with %q", rec.Code, rec.Body, tc.want, tc.has)
			}
			if rec.Code != 201 {
				return
			}
			var res wire.PickupCreated
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if res.Order.Total != 2*6290+7995 || res.Order.Customer != "Анна П." || strings.Contains(rec.Body.String(), "912") {
				t.Errorf("order %+v", res.Order)
			}
			q, err := wire.VerifyPickupQR(res.QR, func(kid string) ([]byte, bool) { return qrKey, kid == "k1" }, time.Now())
			if err != nil || q.Order != res.Order.ID || q.Store != "s1" || !q.Expires.Equal(res.Order.ExpiresAt) {
				t.Errorf("QR %q: %+v, %v", res.QR, q, err)
			}
		})
	}
	// The till sees the order in its pickup feed.
	if p := th.page(t, wire.FeedPickupOrders, "", 10); len(p.Items) != 1 || !strings.Contains(string(p.Items[0]), `"phone_last4":"6789"`) {
		t.Errorf("pickup feed %s", mustJSON(p))
	}
}

func TestAdminDisabled(t *testing.T) {
	th := newTestHub(t, hub.Options{AdminTokens: []string{}})
	rec := th.do(http.MethodPost, "/v1/admin/pickup-orders", "Bearer anything", goodPickup)
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), "not enabled") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}
