package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/metrics"
	"github.com/kassa-pos/kassa/sync/hub/pgstore"
	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
)

// TestPoolMetrics: a hub on PostgreSQL exports its pool's kassahub_pg_pool_* metrics, read live from
// pgxpool; a bbolt hub exports none.
func TestPoolMetrics(t *testing.T) {
	scrape := func(t *testing.T, st hubStore) string {
		t.Helper()
		m := metrics.New()
		if err := registerPoolMetrics(m, st); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	t.Run("bbolt", func(t *testing.T) {
		st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if out := scrape(t, st); strings.Contains(out, "kassahub_pg_pool_") {
			t.Errorf("a bbolt hub exports pool metrics:\n%s", out)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		st, err := pgstore.Open(context.Background(), withPoolMax(pgtest.DSN(t), 7))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.Terminals(); err != nil { // at least one acquire
			t.Fatal(err)
		}
		out := scrape(t, st)
		for _, re := range []string{
			`(?m)^kassahub_pg_pool_max_conns 7$`,
			`(?m)^kassahub_pg_pool_total_conns [1-7]$`,
			`(?m)^kassahub_pg_pool_acquired_conns 0$`,
			`(?m)^kassahub_pg_pool_idle_conns [1-7]$`,
			`(?m)^kassahub_pg_pool_acquires_total [1-9][0-9]*$`,
			`(?m)^kassahub_pg_pool_acquire_duration_seconds_total \S+$`,
			`(?m)^kassahub_pg_pool_empty_acquire_wait_seconds_total \S+$`,
		} {
			if !regexp.MustCompile(re).MatchString(out) {
				t.Errorf("no line matching %s in:\n%s", re, grepPool(out))
			}
		}
	})
}

func grepPool(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "kassahub_pg_pool_") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// withPoolMax sets pool_max_conns in a URL or key=value DSN.
func withPoolMax(dsn string, n int) string {
	switch {
	case !strings.Contains(dsn, "://"):
		return dsn + " pool_max_conns=" + strconv.Itoa(n)
	case strings.Contains(dsn, "?"):
		return dsn + "&pool_max_conns=" + strconv.Itoa(n)
	default:
		return dsn + "?pool_max_conns=" + strconv.Itoa(n)
	}
}
