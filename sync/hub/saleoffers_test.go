package hub_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// TestSaleOffers: a sale names the personal offers it applied; the hub keeps them with the sale and
// refuses a list that cannot be real.
func TestSaleOffers(t *testing.T) {
	withOffers := func(id, offers string) string {
		return strings.Replace(saleJSON(id, 150, 100, 50), `"total":`, `"offers":`+offers+`,"total":`, 1)
	}
	th := newTestHub(t, hub.Options{})
	tests := []struct {
		name, offers string
		acked        bool
	}{
		{"applied", `[{"id":"a-milk","discount":1099},{"id":"a-x2","discount":0}]`, true},
		{"negative discount", `[{"id":"a-milk","discount":-1}]`, false},
		{"no id", `[{"discount":5}]`, false},
		{"too many", "[" + strings.Repeat(`{"id":"o","discount":1},`, 16) + `{"id":"o","discount":1}]`, false},
	}
	for i, tc := range tests {
		id := "so" + string(rune('1'+i))
		rec := th.post("TOKEN", batchJSON(eventJSON(id, uint64(i+1), "sale", withOffers(id, tc.offers))))
		var res wire.BatchResult
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil {
			t.Fatalf("%s: %d %s", tc.name, rec.Code, rec.Body)
		}
		if got := len(res.Acked) == 1; got != tc.acked {
			t.Errorf("%s: answer %+v, want acked %v", tc.name, res, tc.acked)
		}
	}
	sales, err := th.st.Sales("s1")
	if err != nil || len(sales) != 1 {
		t.Fatalf("sales %+v, %v", sales, err)
	}
	if s := sales[0].Sale; len(s.Offers) != 2 || s.Offers[0] != (wire.SaleOffer{ID: "a-milk", Discount: 1099}) {
		t.Errorf("stored sale %+v", s)
	}
}
