package metrics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub/metrics"
)

func TestPoolMetrics(t *testing.T) {
	stat := metrics.PoolStat{Acquired: 3, Idle: 2, Total: 6, Max: 10, Acquires: 1234, EmptyAcquires: 7,
		CanceledAcquires: 1, AcquireDuration: 1500 * time.Millisecond, EmptyAcquireWait: 250 * time.Millisecond}
	m := metrics.New()
	if got := scrape(t, m.Handler()); hasPrefix(got, "kassahub_pg_pool_") {
		t.Error("pool metrics exported before RegisterPool (a bbolt hub has no pool)")
	}
	if err := m.RegisterPool(func() metrics.PoolStat { return stat }); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"kassahub_pg_pool_acquired_conns":                   "3",
		"kassahub_pg_pool_idle_conns":                       "2",
		"kassahub_pg_pool_total_conns":                      "6",
		"kassahub_pg_pool_max_conns":                        "10",
		"kassahub_pg_pool_acquires_total":                   "1234",
		"kassahub_pg_pool_empty_acquires_total":             "7",
		"kassahub_pg_pool_canceled_acquires_total":          "1",
		"kassahub_pg_pool_acquire_duration_seconds_total":   "1.5",
		"kassahub_pg_pool_empty_acquire_wait_seconds_total": "0.25",
	}
	got := scrape(t, m.Handler())
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s = %q, want %s", name, got[name], v)
		}
	}
	// Read at every scrape, not copied at registration.
	stat.Acquired = 9
	if got := scrape(t, m.Handler())["kassahub_pg_pool_acquired_conns"]; got != "9" {
		t.Errorf("after a change: acquired_conns = %q, want 9", got)
	}
	if err := m.RegisterPool(func() metrics.PoolStat { return stat }); err == nil {
		t.Error("a second RegisterPool succeeded")
	}
}

func hasPrefix(m map[string]string, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}
