package metrics

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// PoolStat is a snapshot of the storage's database connection pool. It is the package's own type, so
// that metrics does not depend on a database driver: cmd/kassahub copies pgxpool.Stat into it.
type PoolStat struct {
	Acquired, Idle, Total, Max int32         // connections now in use, idle, open (incl. connecting), allowed
	Acquires                   int64         // successful acquires since start
	EmptyAcquires              int64         // of them, those that waited because no connection was idle
	CanceledAcquires           int64         // acquires given up by their context
	AcquireDuration            time.Duration // total time of successful acquires
	EmptyAcquireWait           time.Duration // total time waited by the EmptyAcquires
}

// poolCollector reads the pool at each scrape: the pool keeps its own counters, so there is nothing to
// update on the request path.
type poolCollector struct {
	read                                              func() PoolStat
	acquired, idle, total, max                        *prometheus.Desc
	acquires, emptyAcquires, canceled, acquireSeconds *prometheus.Desc
	waitSeconds                                       *prometheus.Desc
}

func newPoolCollector(read func() PoolStat) *poolCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName("kassahub", "pg_pool", name), help, nil, nil)
	}
	return &poolCollector{
		read:           read,
		acquired:       desc("acquired_conns", "PostgreSQL connections in use by a request."),
		idle:           desc("idle_conns", "Idle PostgreSQL connections in the pool."),
		total:          desc("total_conns", "Open PostgreSQL connections (in use, idle and being opened)."),
		max:            desc("max_conns", "Largest number of PostgreSQL connections the pool opens (pool_max_conns)."),
		acquires:       desc("acquires_total", "Successful connection acquires from the pool."),
		emptyAcquires:  desc("empty_acquires_total", "Acquires that waited because no connection was idle."),
		canceled:       desc("canceled_acquires_total", "Acquires given up because their request's context ended."),
		acquireSeconds: desc("acquire_duration_seconds_total", "Total time spent acquiring connections."),
		waitSeconds:    desc("empty_acquire_wait_seconds_total", "Total time acquires waited for a connection to free up or open."),
	}
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.acquired, c.idle, c.total, c.max, c.acquires, c.emptyAcquires,
		c.canceled, c.acquireSeconds, c.waitSeconds} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.read()
	gauge := func(d *prometheus.Desc, v int32) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v))
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(c.acquired, s.Acquired)
	gauge(c.idle, s.Idle)
	gauge(c.total, s.Total)
	gauge(c.max, s.Max)
	counter(c.acquires, float64(s.Acquires))
	counter(c.emptyAcquires, float64(s.EmptyAcquires))
	counter(c.canceled, float64(s.CanceledAcquires))
	counter(c.acquireSeconds, s.AcquireDuration.Seconds())
	counter(c.waitSeconds, s.EmptyAcquireWait.Seconds())
}

// RegisterPool adds the kassahub_pg_pool_* metrics, read from read at each scrape. Call it once, only when
// the hub runs on PostgreSQL; a second call is an error.
func (m *Metrics) RegisterPool(read func() PoolStat) error {
	if err := m.reg.Register(newPoolCollector(read)); err != nil {
		return fmt.Errorf("register pool metrics: %w", err)
	}
	return nil
}
