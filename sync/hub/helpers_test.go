package hub_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// testHub is a hub on a temporary database with one terminal "till-1" of store "s1".
type testHub struct {
	st    *hub.Storage
	h     http.Handler
	token string
}

func newTestHub(t testing.TB, opt hub.Options) *testHub {
	t.Helper()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	token, err := st.AddTerminal("s1", "till-1")
	if err != nil {
		t.Fatal(err)
	}
	return &testHub{st: st, h: hub.NewServer(st, opt).Handler(), token: token}
}

// post sends body to POST /v1/events with the given Authorization header.
func (th *testHub) post(auth, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/v1/events", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	th.h.ServeHTTP(rec, req)
	return rec
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
