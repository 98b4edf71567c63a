package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/wire"
)

const (
	benchCatalog = 1_000_000
	benchDelta   = 1_000
)

// genCatalog serves a synthetic catalog feed without holding it: position p < total of the change log is
// the initial version of product p; later positions are the changes each delta appended.
type genCatalog struct {
	total int
	mu    sync.Mutex
	delta []wire.Product // ID "" marks a deletion of deleted[i]
	gone  []string
}

// genProduct is version v of product i, with a random-looking but unique EAN-13 (the multiplier is odd
// and not a multiple of 5, so it permutes the residues modulo 10^9).
func genProduct(i, v int) wire.Product {
	code := 460_000_000_000 + (uint64(i)*2_654_435_761)%1_000_000_000 + uint64(v%10)*1_000_000_000
	digits := strconv.FormatUint(code, 10)
	sum := 0
	for k, c := range digits {
		d := int(c - '0')
		if k%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return wire.Product{ID: fmt.Sprintf("%07d", i), Name: fmt.Sprintf("Товар %d, упаковка %d г", i, 100+i%900),
		Barcodes: []string{digits + strconv.Itoa((10-sum%10)%10)}, Price: int64(1000 + (i*7+v*13)%50000),
		VAT: "22", Unit: "pcs"}
}

// addDelta appends n changes: updates of random-looking products (a new price; every tenth a new
// barcode) and, every hundredth, a deletion.
func (g *genCatalog) addDelta(n, round int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for k := range n {
		i := (k*7919 + round*104_729) % g.total
		if k%100 == 99 {
			g.delta, g.gone = append(g.delta, wire.Product{}), append(g.gone, fmt.Sprintf("%07d", i))
			continue
		}
		v := round + 1
		if k%10 != 0 {
			v = 0 // same barcode, new price below
		}
		p := genProduct(i, v)
		p.Price += int64(round + 1)
		g.delta, g.gone = append(g.delta, p), append(g.gone, "")
	}
}

func (g *genCatalog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	from, _ := strconv.Atoi(r.URL.Query().Get("since"))
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	g.mu.Lock()
	end := g.total + len(g.delta)
	to := min(from+limit, end)
	page := wire.Page[wire.Product]{Items: make([]wire.Product, 0, to-from), Next: strconv.Itoa(to), More: to < end}
	for p := from; p < to; p++ {
		switch {
		case p < g.total:
			page.Items = append(page.Items, genProduct(p, 0))
		case g.delta[p-g.total].ID == "":
			page.Deleted = append(page.Deleted, g.gone[p-g.total])
		default:
			page.Items = append(page.Items, g.delta[p-g.total])
		}
	}
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(page)
}

// timedSink measures the time the store takes to apply pages (the rest is fetching and decoding them).
type timedSink struct {
	client.FeedSink[wire.Product]
	total, longest time.Duration
}

func (s *timedSink) Apply(ctx context.Context, since string, page wire.Page[wire.Product]) error {
	start := time.Now()
	err := s.FeedSink.Apply(ctx, since, page)
	d := time.Since(start)
	s.total += d
	s.longest = max(s.longest, d)
	return err
}

// peakHeap samples the heap in use until stop is called and returns the highest sample in MB.
func peakHeap() (stop func() float64) {
	var peak uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() float64 { close(done); <-finished; return float64(peak) / (1 << 20) }
}

// BenchmarkPullCatalog measures the first pull of a 1,000,000-product catalog into an empty terminal store
// (DESIGN.md: <= 15 s) and then 1,000-change deltas into it (<= 1 s), with the peak heap in use. The fake
// hub generates the pages in the same process.
func BenchmarkPullCatalog(b *testing.B) {
	g := &genCatalog{total: benchCatalog}
	srv := httptest.NewServer(g)
	b.Cleanup(srv.Close)
	var st *store.Store
	var sink *timedSink
	pull := func(b *testing.B, st *store.Store) []client.FeedResult {
		sink = &timedSink{FeedSink: st.CatalogFeed()}
		p := client.NewPuller(client.Feeds{Catalog: sink}, client.PullConfig{BaseURL: srv.URL, Token: "t"})
		res, err := p.PullOnce(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	outer := b // the delta reuses the store of the last initial pull
	open := func() *store.Store {
		s, err := store.Open(outer.TempDir()+"/kassa.db", store.Options{})
		if err != nil {
			outer.Fatal(err)
		}
		outer.Cleanup(func() { s.Close() })
		return s
	}
	b.Run("initial-1M", func(b *testing.B) {
		var peak float64
		for range b.N {
			b.StopTimer()
			st = open()
			runtime.GC()
			stop := peakHeap()
			b.StartTimer()
			res := pull(b, st)
			b.StopTimer()
			peak = max(peak, stop())
			if res[0].Items != benchCatalog {
				b.Fatalf("pulled %d products", res[0].Items)
			}
		}
		b.ReportMetric(peak, "peak-heap-MB")
		b.ReportMetric(float64(benchCatalog)*float64(b.N)/b.Elapsed().Seconds(), "products/s")
		b.ReportMetric(sink.total.Seconds(), "store-s")
		b.ReportMetric(sink.longest.Seconds(), "last-page-s")
	})
	b.Run("delta-1k", func(b *testing.B) {
		if st == nil { // run alone (-bench PullCatalog/delta): the catalog first
			st = open()
			pull(b, st)
		}
		var peak float64
		for i := range b.N {
			b.StopTimer()
			g.addDelta(benchDelta, i)
			runtime.GC()
			stop := peakHeap()
			b.StartTimer()
			res := pull(b, st)
			b.StopTimer()
			peak = max(peak, stop())
			if got := res[0].Items + res[0].Deleted; got != benchDelta {
				b.Fatalf("pulled %d changes, want %d", got, benchDelta)
			}
		}
		b.ReportMetric(peak, "peak-heap-MB")
	})
}
