// Package metrics exposes what a hub.Server does in the Prometheus text format: events received,
// acknowledged, rejected and duplicated by type, sequence gaps per terminal, request latency and pulls per
// feed, and, on PostgreSQL, the connection pool (RegisterPool). It keeps its own registry (never the
// global one), so two hubs in one process, as in tests, do not collide.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// knownTypes are the event types that get their own label value; anything else a terminal sends is
// counted as "other", so a hostile client cannot grow the label set.
var knownTypes = []string{wire.TypeSale, wire.TypeRefund, wire.TypeShiftOpen, wire.TypeShiftClose,
	wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption, wire.TypePickupHandover, wire.TypeAnalytics}

var feeds = []string{wire.FeedCatalog, wire.FeedCustomers, wire.FeedOffers, wire.FeedPickupOrders}

// Metrics implements hub.Observer on a private Prometheus registry.
type Metrics struct {
	reg        *prometheus.Registry
	received   *prometheus.CounterVec
	acked      *prometheus.CounterVec
	rejected   *prometheus.CounterVec
	duplicates *prometheus.CounterVec
	gaps       *prometheus.CounterVec
	warnings   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	pulls      *prometheus.CounterVec
	pullItems  *prometheus.CounterVec
}

// New returns the hub's metrics, with the Go runtime and process collectors beside them.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "kassahub", Name: name, Help: help}, labels)
		m.reg.MustRegister(c)
		return c
	}
	m.received = counter("events_received_total", "Events received in POST /v1/events, by type.", "type")
	m.acked = counter("events_acked_total", "Events acknowledged (new or duplicate), by type.", "type")
	m.rejected = counter("events_rejected_total", "Events rejected with a reason, by type.", "type")
	m.duplicates = counter("events_duplicate_total", "Events acknowledged again because the hub already had their id, by type.", "type")
	m.gaps = counter("seq_gaps_total", "New events whose seq did not follow the terminal's highest one.", "store", "terminal")
	m.warnings = counter("event_warnings_total", "Business conflicts revealed by stored events (loyalty_overdraft, pickup_conflict).", "kind")
	m.pulls = counter("pulls_total", "Feed pages served, by feed.", "feed")
	m.pullItems = counter("pull_items_total", "Items and deletions served in feed pages, by feed and kind (changed or deleted).", "feed", "kind")
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "kassahub", Name: "request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route and status code.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 10)}, []string{"route", "code"})
	m.reg.MustRegister(m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Series that exist from the start, at zero, so rates and alerts work before the first event.
	for _, t := range append(knownTypes, "other") {
		m.received.WithLabelValues(t)
		m.acked.WithLabelValues(t)
		m.rejected.WithLabelValues(t)
		m.duplicates.WithLabelValues(t)
	}
	for _, f := range feeds {
		m.pulls.WithLabelValues(f)
	}
	for _, k := range []string{hub.WarnLoyaltyOverdraft, hub.WarnPickupConflict} {
		m.warnings.WithLabelValues(k)
	}
	return m
}

// Handler serves the registry in the Prometheus text format (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, ErrorHandling: promhttp.ContinueOnError})
}

// ObserveRequest records a request's latency.
func (m *Metrics) ObserveRequest(route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.latency.WithLabelValues(route, strconv.Itoa(status)).Observe(d.Seconds())
}

// ObserveBatch counts a batch's events by type and outcome, its gaps and warnings.
func (m *Metrics) ObserveBatch(r hub.BatchReport) {
	for i, typ := range r.Types {
		typ = typeLabel(typ)
		m.received.WithLabelValues(typ).Inc()
		if i >= len(r.Results) {
			continue
		}
		switch r.Results[i].Status {
		case hub.Stored:
			m.acked.WithLabelValues(typ).Inc()
		case hub.Duplicate:
			m.acked.WithLabelValues(typ).Inc()
			m.duplicates.WithLabelValues(typ).Inc()
		default:
			m.rejected.WithLabelValues(typ).Inc()
		}
	}
	if len(r.Gaps) > 0 {
		m.gaps.WithLabelValues(r.Store, r.Terminal).Add(float64(len(r.Gaps)))
	}
	for _, w := range r.Warnings {
		m.warnings.WithLabelValues(w.Kind).Inc()
	}
}

// ObservePull counts a feed page.
func (m *Metrics) ObservePull(feed string, items, deleted int) {
	m.pulls.WithLabelValues(feed).Inc()
	m.pullItems.WithLabelValues(feed, "changed").Add(float64(items))
	m.pullItems.WithLabelValues(feed, "deleted").Add(float64(deleted))
}

func typeLabel(t string) string {
	for _, k := range knownTypes {
		if t == k {
			return t
		}
	}
	return "other"
}

var _ hub.Observer = (*Metrics)(nil)
