package hub_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// goodBasket: two breads (cheaper online, the offer ends in a week) and a milk (no offer) from the web shop.
const goodBasket = `{"store":"s1","source":"web","items":[{"barcode":"4601234567893","qty":2000},{"product_id":"100002","qty":1000}]}`

// seedOffers gives s1's bread an online price of 59,90 less 5,00 online-only, until t0 plus a week.
func (th *testHub) seedOffers(t testing.TB) {
	t.Helper()
	if _, err := th.st.ImportOffers(ctx, "s1", []wire.Offer{{ProductID: "100001", OnlinePrice: 5990, OnlineDiscount: 500,
		StockHere: 12000, ValidUntil: t0.Add(7 * 24 * time.Hour)}}, true); err != nil {
		t.Fatal(err)
	}
}

var basketCases = []struct {
	name    string
	req     wire.BasketRequest
	wantErr error
	detail  string
}{
	{"named twice", wire.BasketRequest{Store: "s1", Source: "app", Items: []wire.BasketRequestItem{
		{Barcode: "4601234567893", Qty: 1000}, {ProductID: "100001", Qty: 1000}, {Barcode: "4601111111119", Qty: 1000}}}, nil, ""},
	{"weighed", wire.BasketRequest{Store: "s1", Source: "web", Items: []wire.BasketRequestItem{{ProductID: "200001", Qty: 1000}}},
		hub.ErrInvalid, "weighed"},
	{"half a loaf", wire.BasketRequest{Store: "s1", Source: "web", Items: []wire.BasketRequestItem{{ProductID: "100001", Qty: 500}}},
		hub.ErrInvalid, "not whole"},
	{"unknown", wire.BasketRequest{Store: "s1", Source: "web", Items: []wire.BasketRequestItem{{Barcode: "4600000000000", Qty: 1000}}},
		hub.ErrNotFound, "not in the catalog"},
	{"other store's catalog", wire.BasketRequest{Store: "s2", Source: "web", Items: []wire.BasketRequestItem{{ProductID: "100001", Qty: 1000}}},
		hub.ErrNotFound, "store s2"},
	{"kiosk source", wire.BasketRequest{Store: "s1", Source: "kiosk", Items: []wire.BasketRequestItem{{ProductID: "100001", Qty: 1000}}},
		hub.ErrInvalid, "source"},
	{"no items", wire.BasketRequest{Store: "s1", Source: "web"}, hub.ErrInvalid, "items"},
	{"both codes", wire.BasketRequest{Store: "s1", Source: "web", Items: []wire.BasketRequestItem{{Barcode: "4601234567893", ProductID: "100001", Qty: 1000}}},
		hub.ErrInvalid, "barcode or a product_id"},
	{"too many pieces", wire.BasketRequest{Store: "s1", Source: "web", Items: []wire.BasketRequestItem{
		{ProductID: "100001", Qty: 60000}, {Barcode: "4601234567893", Qty: 60000}}}, hub.ErrInvalid, "adds up"},
	{"ttl too long", wire.BasketRequest{Store: "s1", Source: "web", TTLMinutes: 20000, Items: []wire.BasketRequestItem{{ProductID: "100001", Qty: 1000}}},
		hub.ErrInvalid, "ttl_minutes"},
}

func TestBuildBasket(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	th.seedOffers(t)
	for _, tc := range basketCases {
		t.Run(tc.name, func(t *testing.T) {
			b, prices, err := hub.BuildBasket(ctx, th.st, tc.req, t0)
			if !errors.Is(err, tc.wantErr) || err != nil && !strings.Contains(err.Error(), tc.detail) {
				t.Fatalf("BuildBasket = %v, want %v mentioning %q", err, tc.wantErr, tc.detail)
			}
			if err != nil {
				return
			}
			want := []wire.BasketItem{{ProductID: "100001", Qty: 2000, Price: 5490}, {ProductID: "100002", Qty: 1000, Price: 10990}}
			if len(b.Items) != 2 || b.Items[0] != want[0] || b.Items[1] != want[1] || b.Source != "app" ||
				!b.Expires.Equal(t0.Add(hub.DefaultBasketTTL)) || len(b.ID) != 16 {
				t.Errorf("basket %+v", b)
			}
			if prices[0].StorePrice != 6290 || prices[0].Name != "Хлеб Дарницкий" || prices[0].Qty != 2000 {
				t.Errorf("prices %+v", prices)
			}
		})
	}
	// An offer ending before the basket goes with its item.
	long := wire.BasketRequest{Store: "s1", Source: "web", TTLMinutes: 10080, Items: []wire.BasketRequestItem{{ProductID: "100001", Qty: 1000}}}
	b, _, err := hub.BuildBasket(ctx, th.st, long, t0.Add(time.Hour))
	if err != nil || !b.Items[0].Until.Equal(t0.Add(7*24*time.Hour)) {
		t.Errorf("basket %+v, %v: want the offer's end on the item", b, err)
	}
}

func TestAdminBaskets(t *testing.T) {
	th := newTestHub(t, hub.Options{MaxBody: 4096})
	th.seedCatalog(t)
	th.seedOffers(t)
	for _, tc := range []struct {
		name, auth, body string
		want             int
		has              string
	}{
		{"signed", "ADMIN", goodBasket, 201, `"qr":"KB1.k1.`},
		{"unknown field", "ADMIN", strings.Replace(goodBasket, `"store"`, `"shop":1,"store"`, 1), 400, "unknown field"},
		{"unknown product", "ADMIN", strings.Replace(goodBasket, "100002", "999999", 1), 400, "not in the catalog"},
		{"not json", "ADMIN", `{"store":`, 400, "malformed JSON"},
		{"terminal token", "TOKEN", goodBasket, 401, "admin token"},
		{"too large", "ADMIN", `{"store":"` + strings.Repeat("s", 5000) + `"}`, 413, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := th.do(http.MethodPost, "/v1/admin/baskets", tc.auth, tc.body)
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.has) {
				t.Fatalf("%d %s, want %d with %q", rec.Code, rec.Body, tc.want, tc.has)
			}
			if rec.Code != 201 {
				return
			}
			var res wire.BasketCreated
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if res.Total != 2*5490+10990 || res.Store != "s1" || res.Source != "web" || len(res.Items) != 2 {
				t.Errorf("answer %+v", res)
			}
			// The till verifies it offline with the chain's key and finds the same basket.
			q, err := wire.VerifyBasketQR(res.QR, func(kid string) ([]byte, bool) { return qrKey, kid == "k1" }, time.Now())
			if err != nil || q.ID != res.ID || q.Store != "s1" || q.Total() != res.Total || !q.Expires.Equal(res.ExpiresAt) {
				t.Errorf("QR %q: %+v, %v", res.QR, q, err)
			}
		})
	}
}

func TestAdminBasketsWithoutKey(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	th.seedCatalog(t)
	admin, hash, err := hub.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	th.h = hub.NewServer(th.st, hub.Options{AdminTokens: []string{hash}}).Handler()
	rec := th.do(http.MethodPost, "/v1/admin/baskets", "Bearer "+admin, goodBasket)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "signing key") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

func FuzzAdminBaskets(f *testing.F) {
	f.Add(goodBasket)
	for _, tc := range basketCases {
		body, _ := json.Marshal(tc.req)
		f.Add(string(body))
	}
	th := newTestHub(f, hub.Options{})
	th.seedCatalog(f)
	th.seedOffers(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := th.do(http.MethodPost, "/v1/admin/baskets", "ADMIN", body)
		switch rec.Code {
		case 201:
			var res wire.BasketCreated
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if _, err := wire.VerifyBasketQR(res.QR, func(kid string) ([]byte, bool) { return qrKey, kid == "k1" }, time.Now()); err != nil {
				t.Fatalf("a signed basket does not verify: %v", err)
			}
		case 400, 413:
		default:
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	})
}
