package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

var ctx = context.Background()

// Keys of the test hub's configuration.
var (
	qrKey    = []byte("pickup-qr-key-0123456789abcdef")
	phoneKey = []byte("chain-phone-key-0123456789")
)

// testHub is a hub on a temporary database with terminals "till-1" of store "s1" and "till-9" of store
// "s2", an admin token, and pickup QR signing.
type testHub struct {
	st                  *hub.Storage
	h                   http.Handler
	token, other, admin string
}

func newTestHub(t testing.TB, opt hub.Options) *testHub {
	t.Helper()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	th := &testHub{st: st}
	if th.token, err = st.AddTerminal("s1", "till-1"); err != nil {
		t.Fatal(err)
	}
	if th.other, err = st.AddTerminal("s2", "till-9"); err != nil {
		t.Fatal(err)
	}
	admin, hash, err := hub.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if opt.AdminTokens == nil {
		opt.AdminTokens, th.admin = []string{hash}, admin
	}
	if opt.Pickup.KeyID == "" {
		opt.Pickup = hub.PickupOptions{KeyID: "k1", Key: qrKey, PhoneKey: phoneKey, TTL: 72 * time.Hour}
	}
	th.h = hub.NewServer(st, opt).Handler()
	return th
}

// authHeader turns a case's symbolic auth into a header value: TOKEN (till-1 of s1), OTHER (till-9 of
// s2), ADMIN, bearer-lower; anything else is sent as it is.
func (th *testHub) authHeader(auth string) string {
	switch auth {
	case "TOKEN":
		return "Bearer " + th.token
	case "OTHER":
		return "Bearer " + th.other
	case "ADMIN":
		return "Bearer " + th.admin
	case "bearer-lower":
		return "bearer " + th.token
	}
	return auth
}

// do sends one request with a symbolic auth (see authHeader).
func (th *testHub) do(method, path, auth, body string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if h := th.authHeader(auth); h != "" {
		req.Header.Set("Authorization", h)
	}
	rec := httptest.NewRecorder()
	th.h.ServeHTTP(rec, req)
	return rec
}

// post sends body to POST /v1/events with the given Authorization header.
func (th *testHub) post(auth, body string) *httptest.ResponseRecorder {
	return th.do(http.MethodPost, "/v1/events", auth, body)
}

// page GETs a feed page as till-1 and decodes it, failing the test on any other answer than 200.
func (th *testHub) page(t testing.TB, feed, since string, limit int) hub.FeedPage {
	t.Helper()
	rec := th.do(http.MethodGet, fmt.Sprintf("/v1/%s?since=%s&limit=%d", feed, since, limit), "TOKEN", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", feed, rec.Code, rec.Body)
	}
	var p hub.FeedPage
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// seedCatalog gives store s1 three products: bread, milk (two barcodes) and bananas by weight.
func (th *testHub) seedCatalog(t testing.TB) {
	t.Helper()
	_, err := th.st.ImportCatalog(ctx, "s1", []wire.Product{
		{ID: "100001", Name: "Хлеб Дарницкий", Barcodes: []string{"4601234567893"}, Price: 6290, VAT: "10", Unit: "pcs"},
		{ID: "100002", Name: "Молоко 3,2%", Barcodes: []string{"4607053470017", "4601111111119"}, Price: 10990, VAT: "10", Unit: "pcs"},
		{ID: "200001", Name: "Бананы", Barcodes: []string{"2000000000015"}, Price: 15990, VAT: "22", Unit: "kg"},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
}

var t0 = time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)

// saleJSON is a sale payload whose lines have the given sums and whose total is total.
func saleJSON(id string, total int64, sums ...int64) string {
	s := wire.Sale{ID: id, Terminal: "till-1", Cashier: "Иванова", Shift: 7, CreatedAt: t0, Total: total,
		Payments: []wire.Payment{{Method: "cash", Amount: total}},
		Fiscal:   wire.Fiscal{FDNumber: 163, FiscalSign: 776727275, FNSerial: "9999078900004312", At: t0}}
	for i, sum := range sums {
		s.Lines = append(s.Lines, wire.SaleLine{ProductID: fmt.Sprint("p", i), Name: "Хлеб", Price: sum,
			Qty: 1000, Unit: "pcs", VAT: "10", Sum: sum})
	}
	data, _ := json.Marshal(s)
	return string(data)
}

// eventJSON renders one event of till-1.
func eventJSON(id string, seq uint64, typ, payload string) string {
	return fmt.Sprintf(`{"id":%q,"seq":%d,"type":%q,"terminal":"till-1","at":"2026-03-14T10:30:00Z","payload":%s}`,
		id, seq, typ, payload)
}

func batchJSON(events ...string) string {
	return `{"events":[` + strings.Join(events, ",") + `]}`
}

// saleEvents builds n valid sale events e1..en of till-1 with seq 1..n.
func saleEvents(n int) []wire.Event {
	out := make([]wire.Event, n)
	for i := range out {
		id := fmt.Sprint("e", i+1)
		out[i] = wire.Event{ID: id, Seq: uint64(i + 1), Type: wire.TypeSale, Terminal: "till-1", At: t0,
			Payload: json.RawMessage(saleJSON(id, 150, 100, 50))}
	}
	return out
}

// incoming wraps valid events as a Server hands them to the storage.
func incoming(evs []wire.Event) []hub.Incoming {
	out := make([]hub.Incoming, len(evs))
	for i, ev := range evs {
		out[i] = hub.Incoming{Event: ev}
	}
	return out
}

var till1 = hub.Terminal{Store: "s1", Name: "till-1"}
