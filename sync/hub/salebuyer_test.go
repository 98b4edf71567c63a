package hub_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// buyerCases are a sale's buyer as terminals send it: masked since the terminal keeps the contact to
// itself, in clear from events queued before; and what no terminal sends.
var buyerCases = []struct {
	name, buyer string
	acked       bool
}{
	{"masked phone", "+7 ••• •••-••-01", true},
	{"masked e-mail", "a•••@example.ru", true},
	{"masked cyrillic e-mail", "и•••@почта.рф", true},
	{"masked whole", "•••", true},
	{"none", "", true},
	{"clear phone queued before the masking", "+79001234501", true},
	{"clear e-mail queued before the masking", "anna.petrova@example.ru", true},
	{"longest", strings.Repeat("•", 128), true},
	{"overlong", strings.Repeat("•", 129), false},
	{"a line break", "a•••@example.ru\n", false},
	{"a NUL", "+7 ••• •••-••-0\x001", false},
}

func buyerSale(id, buyer string) string {
	var s wire.Sale
	if err := json.Unmarshal([]byte(saleJSON(id, 150, 100, 50)), &s); err != nil {
		panic(err)
	}
	s.Buyer = buyer
	data, _ := json.Marshal(s)
	return string(data)
}

// TestSaleBuyer: the hub takes the masked contacts the terminal sends (and clear ones queued before the
// masking), keeps them as sent, and refuses control characters and overlong text.
func TestSaleBuyer(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	want := map[string]string{}
	for i, tc := range buyerCases {
		id := "sb" + string(rune('a'+i))
		rec := th.post("TOKEN", batchJSON(eventJSON(id, uint64(i+1), "sale", buyerSale(id, tc.buyer))))
		var res wire.BatchResult
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil {
			t.Fatalf("%s: %d %s", tc.name, rec.Code, rec.Body)
		}
		if got := len(res.Acked) == 1; got != tc.acked {
			t.Errorf("%s: answer %+v, want acked %v", tc.name, res, tc.acked)
		}
		if !tc.acked && (len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0].Reason, "buyer")) {
			t.Errorf("%s: rejections %+v, want one about the buyer", tc.name, res.Rejected)
		}
		if tc.acked {
			want[id] = tc.buyer
		}
	}
	sales, err := th.st.Sales("s1")
	if err != nil || len(sales) != len(want) {
		t.Fatalf("sales %+v, %v; want %d", sales, err, len(want))
	}
	for _, s := range sales {
		if b, ok := want[s.Sale.ID]; !ok || s.Sale.Buyer != b {
			t.Errorf("stored sale %s buyer %q, want %q", s.Sale.ID, s.Sale.Buyer, b)
		}
	}
}

// TestSaleBuyerOpenAPI: sync/openapi.yaml describes the same buyer the hub accepts, as far as a schema can
// (its length: the control characters are the hub's own check).
func TestSaleBuyerOpenAPI(t *testing.T) {
	router := specRouter(t)
	for i, tc := range buyerCases {
		if strings.ContainsAny(tc.buyer, "\n\x00") {
			continue
		}
		id := "sb" + string(rune('a'+i))
		body := batchJSON(eventJSON(id, uint64(i+1), "sale", buyerSale(id, tc.buyer)))
		req := httptest.NewRequest("POST", "/v1/events", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatal(err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(ctx, in); (err == nil) != tc.acked {
			t.Errorf("%s: request validation %v, want valid=%v", tc.name, err, tc.acked)
		}
	}
}
