package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"go.etcd.io/bbolt"
)

// Benchmarks run on the default temp dir; set KASSA_BENCH_DIR to measure another disk (fsync cost is
// what the commit benchmarks are about, so it must not be tmpfs).

// reportWrites reports bbolt's write calls per operation since w0 (see BenchmarkSaleCommit).
func reportWrites(b *testing.B, s *Store, w0 int64) {
	st := s.db.Stats()
	b.ReportMetric(float64(st.TxStats.GetWrite()-w0)/float64(b.N), "writes/op")
}

func writesSoFar(s *Store) int64 { st := s.db.Stats(); return st.TxStats.GetWrite() }

// sampler records every operation's duration to report the 99th percentile next to the mean.
type sampler []time.Duration

func (s sampler) report(b *testing.B) {
	if len(s) == 0 {
		return
	}
	slices.Sort(s)
	b.ReportMetric(float64(s[len(s)*99/100].Nanoseconds()), "p99-ns")
}

func benchStore(b *testing.B) *Store {
	dir, err := os.MkdirTemp(os.Getenv("KASSA_BENCH_DIR"), "kassa-bench")
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(filepath.Join(dir, "kassa.db"), Options{Terminal: "T1"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close(); os.RemoveAll(dir) })
	return s
}

func tenLineSale(id string) pos.Sale {
	sale := pos.Sale{ID: id, Terminal: "T1", Cashier: "Иванова", Shift: 1, CreatedAt: saleTime,
		Status: pos.SalePending}
	for i := range 10 {
		sum := pos.Money(10990 + 100*i)
		sale.Lines = append(sale.Lines, pos.Line{ProductID: fmt.Sprintf("%07d", i),
			Name: fmt.Sprintf("Товар номер %d упаковка 500 г", i), Barcode: ean13(uint64(i)), Price: sum,
			Qty: pos.QtyOne, VAT: pos.VAT10, Sum: sum})
		sale.Total += sum
	}
	sale.VAT = []pos.VATAmount{{Rate: pos.VAT10, Base: sale.Total, Tax: pos.VAT10.TaxOf(sale.Total)}}
	sale.Payments = []pos.Payment{{Method: pos.PayCard, Amount: sale.Total}}
	return sale
}

// BenchmarkSaleCommit is the durable path of one sale: BeginSale (fsync) then CompleteSale with its
// outbox event (fsync). /complete times CompleteSale alone, the commit made after the ККТ answered.
//
// What it measures: the budget "durable sale commit <= 2x a bare fsync'd bbolt commit in the same run"
// compares /complete with BenchmarkBareCommit; run both in one invocation with -count, because fsync time
// on a shared machine drifts by 2x between runs. A bbolt commit costs two fdatasyncs plus one write per
// dirty node, so besides the time it reports writes/op (bbolt's write calls per commit, one per dirty
// node, from TxStats): a noise-free count of what the journal and outbox layout costs. Events are never acknowledged here, so the
// outbox grows as it would on a terminal that is offline.
func BenchmarkSaleCommit(b *testing.B) {
	b.Run("begin+complete", func(b *testing.B) {
		s := benchStore(b)
		samples := make(sampler, 0, b.N)
		w0 := writesSoFar(s)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			start := time.Now()
			id := fmt.Sprintf("sale-%08d", i)
			if err := s.BeginSale(tenLineSale(id)); err != nil {
				b.Fatal(err)
			}
			if _, err := s.CompleteSale(id, testFiscal); err != nil {
				b.Fatal(err)
			}
			samples = append(samples, time.Since(start))
		}
		b.StopTimer()
		samples.report(b)
		reportWrites(b, s, w0)
	})
	b.Run("complete", func(b *testing.B) {
		s := benchStore(b)
		for i := 0; i < b.N; i++ {
			if err := s.BeginSale(tenLineSale(fmt.Sprintf("sale-%08d", i))); err != nil {
				b.Fatal(err)
			}
		}
		samples := make(sampler, 0, b.N)
		w0 := writesSoFar(s)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			start := time.Now()
			if _, err := s.CompleteSale(fmt.Sprintf("sale-%08d", i), testFiscal); err != nil {
				b.Fatal(err)
			}
			samples = append(samples, time.Since(start))
		}
		b.StopTimer()
		samples.report(b)
		reportWrites(b, s, w0)
	})
}

// BenchmarkBareCommit is the baseline: one fsync'd bbolt Update putting 1 KB under a new key, in a file
// opened with the store's options.
func BenchmarkBareCommit(b *testing.B) {
	s := benchStore(b)
	value := make([]byte, 1024)
	samples := make(sampler, 0, b.N)
	w0 := writesSoFar(s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		err := s.db.Update(func(tx *bbolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("bare"))
			if err != nil {
				return err
			}
			return bk.Put(fmt.Appendf(nil, "%08d", i), value)
		})
		if err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	samples.report(b)
	reportWrites(b, s, w0)
}
