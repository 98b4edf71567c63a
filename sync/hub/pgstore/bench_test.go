package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
	"github.com/kassa-pos/kassa/sync/hub/storetest"
)

// Fleet size of BenchmarkFleet; KASSA_FLEET_EVENTS sets the events per terminal.
const (
	fleetTerminals = 200
	fleetBatch     = 50
)

func fleetEvents() int {
	if n, err := strconv.Atoi(os.Getenv("KASSA_FLEET_EVENTS")); err == nil && n > 0 {
		return n
	}
	return 250
}

// BenchmarkFleet replays the outboxes of 200 simulated terminals (the real sync client, batches of 50)
// to two kassahub instances on one PostgreSQL (each with its own pool of 16 connections, each terminal's
// batches alternating between them), to one instance on PostgreSQL, and to one bbolt hub for comparison. Both databases commit with
// fsync. It reports the fleet's events/s and the p50/p99 latency of POST /v1/events.
func BenchmarkFleet(b *testing.B) {
	b.Run("postgres-2-instances", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			dsn := pgtest.DSN(b) + "&pool_max_conns=16"
			st := open(b, dsn)
			urls := []string{storetest.ServeLoopback(b, st), storetest.ServeLoopback(b, open(b, dsn))}
			runFleet(b, st, urls)
		}
	})
	b.Run("postgres-1-instance", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			st := open(b, pgtest.DSN(b)+"&pool_max_conns=16")
			runFleet(b, st, []string{storetest.ServeLoopback(b, st)})
		}
	})
	b.Run("bbolt-1-instance", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			st, err := hub.Open(filepath.Join(b.TempDir(), "hub.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			runFleet(b, st, []string{storetest.ServeLoopback(b, st)})
		}
	})
}

type fleetStore interface {
	AddTerminal(store, name string) (string, error)
}

func runFleet(b *testing.B, st fleetStore, urls []string) {
	b.Helper()
	per := fleetEvents()
	fleet := make([]storetest.FleetTerminal, fleetTerminals)
	for i := range fleet {
		name := fmt.Sprintf("till-%03d", i)
		store := fmt.Sprintf("s%02d", i/10) // ten tills per store
		token, err := st.AddTerminal(store, name)
		if err != nil {
			b.Fatal(err)
		}
		fleet[i] = storetest.FleetTerminal{Name: name, Token: token, Events: storetest.SaleOutbox(name, name, per)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	b.StartTimer()
	stats, err := storetest.Replay(ctx, urls, fleet, fleetBatch)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(stats.EventsPerSecond(), "events/s")
	b.ReportMetric(float64(stats.Quantile(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(stats.Quantile(0.99).Microseconds())/1000, "p99-ms")
	b.Logf("%d terminals x %d events in batches of %d to %d instance(s): %d events, %d requests in %s",
		fleetTerminals, per, fleetBatch, len(urls), stats.Events, stats.Requests, stats.Elapsed.Round(time.Millisecond))
}

// BenchmarkAppend stores batches of 50 sales of one terminal, one after the other, straight into the
// storage (no HTTP): the cost of one durable batch without queueing, on PostgreSQL and on bbolt.
func BenchmarkAppend(b *testing.B) {
	type appender interface {
		AddTerminal(store, name string) (string, error)
		Append(ctx context.Context, term hub.Terminal, batch []hub.Incoming, received time.Time) (hub.AppendResult, error)
	}
	run := func(b *testing.B, st appender) {
		if _, err := st.AddTerminal("s1", "till-1"); err != nil {
			b.Fatal(err)
		}
		events := storetest.SaleOutbox("till-1", "till-1", 50*b.N)
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := range b.N {
			in := make([]hub.Incoming, 50)
			for k := range in {
				in[k] = hub.Incoming{Event: events[i*50+k]}
			}
			began := time.Now()
			if _, err := st.Append(context.Background(), hub.Terminal{Store: "s1", Name: "till-1"}, in, began); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(began))
		}
		b.StopTimer()
		stats := storetest.ReplayStats{Events: 50 * b.N, Latencies: lat}
		slices.Sort(stats.Latencies)
		b.ReportMetric(float64(50*b.N)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(stats.Quantile(0.50).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(stats.Quantile(0.99).Microseconds())/1000, "p99-ms")
	}
	b.Run("postgres", func(b *testing.B) { run(b, open(b, pgtest.DSN(b))) })
	b.Run("bbolt", func(b *testing.B) {
		st, err := hub.Open(filepath.Join(b.TempDir(), "hub.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		run(b, st)
	})
}
