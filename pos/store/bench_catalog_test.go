package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/pos/store/synthcatalog"
)

// The catalog benchmarks read a 1,000,000-product store of the synthetic Russian catalog, built once by
// the catalog feed's bulk path and cached under the temp directory (synthcatalog.Cached): the first run
// takes a few seconds more.
const catalogSize = 1_000_000

var catalog struct {
	once sync.Once
	st   *store.Store
	err  error
}

func catalogStore(b *testing.B) *store.Store {
	catalog.once.Do(func() {
		path, err := synthcatalog.Cached(context.Background(), catalogSize)
		if err != nil {
			catalog.err = err
			return
		}
		catalog.st, catalog.err = store.Open(path, store.Options{})
	})
	if catalog.err != nil {
		b.Fatal(catalog.err)
	}
	return catalog.st
}

// randomCodes returns the barcodes of n random products of the catalog, in random order.
func randomCodes(n int) [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	codes := make([][]byte, n)
	for i := range codes {
		codes[i] = []byte(synthcatalog.Barcode(rng.IntN(catalogSize)))
	}
	return codes
}

// percentiles reports p50 and p99 of the samples under the metric names prefix+"p50-ns" and "p99-ns".
func percentiles(b *testing.B, prefix string, samples []time.Duration) (p50, p99 float64) {
	if len(samples) == 0 {
		return 0, 0
	}
	slices.Sort(samples)
	p50 = float64(samples[len(samples)/2].Nanoseconds())
	p99 = float64(samples[len(samples)*99/100].Nanoseconds())
	b.ReportMetric(p50, prefix+"p50-ns")
	b.ReportMetric(p99, prefix+"p99-ns")
	return p50, p99
}

// BenchmarkProductByBarcode times each ProductByBarcode of random keys of the 1M catalog and, right after
// it, a raw bbolt Get in its own read transaction (the baseline) of a key of the same set, half the set
// away: both walk the same keys in the same run under the same cache state. It reports both p50/p99 and their ratios: DESIGN.md asks p99 <= 50 µs and <= 3x the
// raw Get. ns/op is the pair.
func BenchmarkProductByBarcode(b *testing.B) {
	s := catalogStore(b)
	codes := randomCodes(100_000)
	for _, c := range codes { // the pages a till in service has touched, for both
		if _, err := s.ProductByBarcode(string(c)); err != nil {
			b.Fatal(err)
		}
	}
	lookups := make([]time.Duration, 0, b.N)
	raws := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code, other := codes[i%len(codes)], codes[(i+len(codes)/2)%len(codes)]
		start := time.Now()
		if _, err := s.ProductByBarcode(string(code)); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if !store.RawBarcodeGet(s, other) { // not the key just read: its pages would be in the CPU cache
			b.Fatalf("raw get of %s found nothing", other)
		}
		lookups, raws = append(lookups, mid.Sub(start)), append(raws, time.Since(mid))
	}
	b.StopTimer()
	l50, l99 := percentiles(b, "", lookups)
	r50, r99 := percentiles(b, "raw-", raws)
	b.ReportMetric(l50/r50, "p50-x-raw")
	b.ReportMetric(l99/r99, "p99-x-raw")
}

// BenchmarkRawBoltGet is the baseline alone: one read transaction with one Get of the same barcode keys.
func BenchmarkRawBoltGet(b *testing.B) {
	s := catalogStore(b)
	codes := randomCodes(100_000)
	for _, c := range codes {
		store.RawBarcodeGet(s, c)
	}
	samples := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if !store.RawBarcodeGet(s, codes[i%len(codes)]) {
			b.Fatalf("raw get of %s found nothing", codes[i%len(codes)])
		}
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	percentiles(b, "", samples)
}

// searchQueries is what cashiers type: every keystroke of a few words of random product names (the
// first letters of a word too, when the index spans the most words), the documented examples, and exact
// barcodes and articles.
func searchQueries() []string {
	qs := []string{"молок прост", "сок яблоч", "молока", "молочный", "молоко", "вода", "хлеб бород", "сыр росс",
		"шоколад мол", "кофе lavazza", "чай зел", "пиво балт", "порошок ежик", "1 л", "0,5 л",
		synthcatalog.Barcode(777), synthcatalog.ID(123_456), "00012"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 60 {
		words := strings.Fields(synthcatalog.Name(rng.IntN(catalogSize)))
		rng.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
		typed := ""
		for _, w := range words[:min(len(words), 1+rng.IntN(3))] {
			if typed != "" {
				typed += " "
			}
			letters := 0
			for _, r := range w {
				typed += string(r)
				qs = append(qs, typed)
				if letters++; letters == 6 { // cashiers stop typing a word after a few letters
					break
				}
			}
		}
	}
	return qs
}

// BenchmarkSearchProducts times SearchProducts (top 50) over the typed queries on the 1M catalog and
// reports p50/p99 (DESIGN.md: p99 <= 30 ms) and the mean number of results; the slowest queries are logged.
func BenchmarkSearchProducts(b *testing.B) {
	s := catalogStore(b)
	qs := searchQueries()
	type sample struct {
		d time.Duration
		q string
	}
	samples := make([]sample, 0, b.N)
	found := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		start := time.Now()
		ps, err := s.SearchProducts(q, store.DefaultSearchLimit)
		if err != nil {
			b.Fatal(err)
		}
		samples = append(samples, sample{time.Since(start), q})
		found += len(ps)
	}
	b.StopTimer()
	ds := make([]time.Duration, len(samples))
	for i, s := range samples {
		ds[i] = s.d
	}
	percentiles(b, "", ds)
	b.ReportMetric(float64(found)/float64(b.N), "results/op")
	slices.SortFunc(samples, func(a, b sample) int { return int(b.d - a.d) })
	var slow []string
	for _, s := range samples[:min(5, len(samples))] {
		slow = append(slow, fmt.Sprintf("%q %v", s.q, s.d.Round(time.Microsecond)))
	}
	b.Logf("%d queries; slowest: %s", len(qs), strings.Join(slow, ", "))
}
