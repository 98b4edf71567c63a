package hub_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// benchSale is a three-line receipt as a till sends it.
func benchSale() []byte {
	s := wire.Sale{ID: "01890a5d-ac96-774b-bcce-b302099a8057", Terminal: "till-1", Cashier: "Иванова А. С.", Shift: 7,
		CreatedAt: t0, Total: 28270,
		Lines: []wire.SaleLine{
			{ProductID: "100001", Name: "Хлеб Дарницкий формовой 700 г", Barcode: "4601234567893", Price: 6290, Qty: 2000, Unit: "pcs", VAT: "10", Sum: 12580},
			{ProductID: "100002", Name: "Молоко Простоквашино 3,2% 930 мл", Barcode: "4607053470017", Price: 10990, Qty: 1000, Unit: "pcs", VAT: "10", Sum: 10990},
			{ProductID: "200001", Name: "Бананы", Barcode: "2000000000015", Price: 15990, Qty: 294, Unit: "kg", VAT: "22", Sum: 4700},
		},
		VAT:      []wire.VATAmount{{Rate: "10", Base: 23570, Tax: 2143}, {Rate: "22", Base: 4700, Tax: 848}},
		Payments: []wire.Payment{{Method: "card", Amount: 28270, Approval: "482913"}},
		Fiscal: wire.Fiscal{FDNumber: 163, FiscalSign: 776727275, FNSerial: "9999078900004312", At: t0,
			QR: "t=20260314T1030&s=282.70&fn=9999078900004312&i=163&fp=776727275&n=1"}}
	data, _ := json.Marshal(s)
	return data
}

// BenchmarkIngestLoopback is the bare durable ingest: batches of 200 new sale events posted over loopback
// HTTP to the handler, each batch validated and committed (fsync'd) by bbolt before the answer. It is the
// baseline the terminal's replay benchmark compares to. Sub-benchmarks vary the receipt: JSON decoding of
// the payload dominates the cost, so events/s depends on its size.
//
//	go test -run '^$' -bench IngestLoopback -benchtime 1000x ./sync/hub/
func BenchmarkIngestLoopback(b *testing.B) {
	three := benchSale()
	var one wire.Sale
	if err := json.Unmarshal(three, &one); err != nil {
		b.Fatal(err)
	}
	one.Lines, one.Total, one.VAT = one.Lines[:1], one.Lines[0].Sum, one.VAT[:1]
	small, _ := json.Marshal(one)
	for _, tc := range []struct {
		name    string
		payload []byte
	}{{"receipt=3lines", three}, {"receipt=1line", small}} {
		b.Run(tc.name, func(b *testing.B) { benchIngest(b, tc.payload, 200) })
	}
}

func benchIngest(b *testing.B, payload []byte, batch int) {
	th := newTestHub(b, hub.Options{})
	srv := httptest.NewServer(th.h)
	defer srv.Close()
	client := srv.Client()
	var body bytes.Buffer
	seq := 0
	b.ResetTimer()
	for range b.N {
		body.Reset()
		body.WriteString(`{"events":[`)
		for j := range batch {
			seq++
			if j > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"id":"ev-%09d","seq":%d,"type":"sale","terminal":"till-1","at":"2026-03-14T10:30:00Z","payload":`, seq, seq)
			body.Write(payload)
			body.WriteByte('}')
		}
		body.WriteString(`]}`)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/events", bytes.NewReader(body.Bytes()))
		req.Header.Set("Authorization", "Bearer "+th.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var res wire.BatchResult
		err = json.NewDecoder(resp.Body).Decode(&res)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || len(res.Acked) != batch {
			b.Fatalf("answer %d: %v, %d acked", resp.StatusCode, err, len(res.Acked))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(len(payload)), "payload-bytes")
	if n, _ := th.st.EventCount(); n != seq {
		b.Fatalf("%d events stored, want %d", n, seq)
	}
}

// BenchmarkCatalogFeed serves a whole 100,000-product catalog in pages of 5,000 over loopback HTTP: the
// hub's side of a terminal's initial pull (the budget is 1,000,000 products in 15 s end to end).
func BenchmarkCatalogFeed(b *testing.B) {
	const products, pageSize = 100_000, 5000
	th := newTestHub(b, hub.Options{})
	ps := make([]wire.Product, products)
	for i := range ps {
		ps[i] = wire.Product{ID: fmt.Sprintf("%07d", i), Name: fmt.Sprintf("Товар номер %d, упаковка 500 г", i),
			Barcodes: []string{fmt.Sprintf("46%011d", i)}, Price: int64(1000 + i%50000), VAT: "20", Unit: "pcs"}
	}
	if _, err := th.st.ImportCatalog(ctx, "s1", ps, true); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(th.h)
	defer srv.Close()
	client := srv.Client()
	b.ResetTimer()
	for range b.N {
		since, n := "", 0
		for {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1/catalog?since=%s&limit=%d", srv.URL, since, pageSize), nil)
			req.Header.Set("Authorization", "Bearer "+th.token)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var p wire.Page[json.RawMessage]
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			n += len(p.Items)
			if since = p.Next; !p.More {
				break
			}
		}
		if n != products {
			b.Fatalf("%d products pulled", n)
		}
	}
	b.ReportMetric(float64(b.N*products)/b.Elapsed().Seconds(), "products/s")
}
