//go:build unix

package store_test

import (
	"context"
	"fmt"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/pos/store/synthcatalog"
	"github.com/kassa-pos/kassa/sync/wire"
)

// BenchmarkBulkBuild measures the page that ends the first pull of a 1,000,000-product catalog: the build
// of the products, barcode, PLU and name indexes from the staged pages, and its commit. The pages before
// it are staged with the timer stopped. cpu-s is the process's CPU time (user + system, all threads) over
// the build, steadier than the wall time on a shared machine. "numbered" names every product with its
// own number (a million one-article words, the name index's worst case), "grocery" is synthcatalog's.
func BenchmarkBulkBuild(b *testing.B) {
	numbered := func(i int) wire.Product {
		return wire.Product{ID: fmt.Sprintf("%07d", i), Name: fmt.Sprintf("Товар %d, упаковка %d г", i, 100+i%900),
			Barcodes: []string{strconv.Itoa(4_600_000_000_000 + (i*2_654_435_761)%1_000_000_000)},
			Price:    int64(1000 + i*7%50000), VAT: "22", Unit: "pcs"}
	}
	for _, bc := range []struct {
		name    string
		product func(int) wire.Product
	}{{"numbered", numbered}, {"grocery", synthcatalog.Product}} {
		b.Run(bc.name, func(b *testing.B) {
			var cpu, wall time.Duration
			for range b.N {
				b.StopTimer()
				st, err := store.Open(b.TempDir()+"/kassa.db", store.Options{})
				if err != nil {
					b.Fatal(err)
				}
				feed, ctx := st.CatalogFeed(), context.Background()
				const n, page = 1_000_000, 10_000
				since := ""
				for from := 0; from < n; from += page {
					pg := wire.Page[wire.Product]{Next: strconv.Itoa(from + page), More: true}
					for i := from; i < from+page; i++ {
						pg.Items = append(pg.Items, bc.product(i))
					}
					if err := feed.Apply(ctx, since, pg); err != nil {
						b.Fatal(err)
					}
					since = pg.Next
				}
				c0, t0 := cpuTime(), time.Now()
				b.StartTimer()
				err = feed.Apply(ctx, since, wire.Page[wire.Product]{Next: "end"})
				b.StopTimer()
				cpu, wall = cpu+cpuTime()-c0, wall+time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
			b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
