package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
	_ "time/tzdata" // the report's days are Moscow's even on a host without a zoneinfo database

	"github.com/kassa-pos/kassa/sync/wire"
)

// DefaultReportZone is the time zone whose days a report counts unless the query names another.
const DefaultReportZone = "Europe/Moscow"

// reportMargin is how far beyond the period the report looks for the events that link a sale to a channel
// or a loyalty customer. They share the receipt's moment at the till (the basket scanned minutes before
// payment, the loyalty accrual of the receipt), so a sale just after midnight still finds an event just
// before it; half a day also covers a receipt fiscalised hours late after a ККТ fault. The margins are
// read too, so a one-day report reads two days of events.
const reportMargin = 12 * time.Hour

// reportTypes are the event types a report reads.
var reportTypes = []string{wire.TypeSale, wire.TypeRefund, wire.TypeAnalytics, wire.TypeLoyaltyAccrual,
	wire.TypeLoyaltyRedemption, wire.TypePickupHandover}

// ReportQuery selects an omnichannel report.
type ReportQuery struct {
	Store    string // "" for every store
	From, To string // first and last day, YYYY-MM-DD inclusive; "" leaves that end open
	Zone     string // IANA time zone of the days; "" for DefaultReportZone
}

// ReportSource is what a report needs from a backend: the events of a time window, read consistently.
// *Storage implements it with its timeline index; a SQL backend would run one query in one transaction.
type ReportSource interface {
	// ScanEvents calls fn for every stored event of one of types of store ("" for all) whose time (its
	// at, else its arrival) is in [from, to), zero bounds being open, within one read transaction.
	ScanEvents(ctx context.Context, store string, from, to time.Time, types []string, fn func(StoredEvent) error) error
}

// BuildReport computes the omnichannel report (see wire.Report) from the events of src in one scan. A
// query that breaks a rule is an error wrapping ErrInvalid.
//
// Sales and refunds count on the day of their fiscal time; analytics events on the day of their at. A
// sale's channel and loyalty come from the events naming its id (Sale.ID) within reportMargin of the
// period; an event naming an unknown sale still counts in its own column. A pickup order counts once, on
// the day of its first hand-over (pickup_handover or pickup_handed_out event), with the wait reported by
// its first pickup_handed_out. Time: O(log n + k) with the timeline, k the events of the period plus its
// margins; memory O(s + r) for the period's s sales and r rows.
func BuildReport(ctx context.Context, src ReportSource, q ReportQuery) (wire.Report, error) {
	if q.Store != "" && !validName(q.Store) {
		return wire.Report{}, fmt.Errorf("%w: store: want a store name", ErrInvalid)
	}
	if q.Zone == "" {
		q.Zone = DefaultReportZone
	}
	loc, err := time.LoadLocation(q.Zone)
	if err != nil || q.Zone == "Local" {
		return wire.Report{}, fmt.Errorf("%w: zone %.60q: want an IANA time zone such as %s", ErrInvalid, q.Zone, DefaultReportZone)
	}
	var start, end time.Time
	if q.From != "" {
		if start, err = parseDay("from", q.From, loc); err != nil {
			return wire.Report{}, err
		}
		start = start.Add(-reportMargin)
	}
	if q.To != "" {
		if end, err = parseDay("to", q.To, loc); err != nil {
			return wire.Report{}, err
		}
		end = end.AddDate(0, 0, 1).Add(reportMargin)
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		return wire.Report{}, fmt.Errorf("%w: from %s is after to %s", ErrInvalid, q.From, q.To)
	}
	b := &reportBuilder{q: q, loc: loc, rows: map[rowKey]*rowAcc{}, hands: map[linkKey]*handFact{},
		pickup: map[linkKey]bool{}, basket: map[linkKey]bool{}, loyalty: map[linkKey]bool{}}
	if err := src.ScanEvents(ctx, q.Store, start, end, reportTypes, b.add); err != nil {
		return wire.Report{}, fmt.Errorf("report: %w", err)
	}
	return b.finish(), nil
}

func parseDay(name, s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return t, fmt.Errorf("%w: %s %.40q: want a day YYYY-MM-DD", ErrInvalid, name, s)
	}
	return t, nil
}

// saleHead is the part of a wire.Sale the report reads: decoding skips the lines without building them.
type saleHead struct {
	ID        string         `json:"id"`
	CreatedAt time.Time      `json:"created_at"`
	Total     int64          `json:"total"`
	Payments  []wire.Payment `json:"payments"`
	Fiscal    struct {
		At time.Time `json:"at"`
	} `json:"fiscal"`
}

type rowKey struct{ store, day string } // day "" is the store's total
type linkKey struct{ store, id string } // a sale's or an order's id within its store

type rowAcc struct {
	wire.ReportRow
	waits []time.Duration
}

type saleFact struct {
	store, day, id string
	refund         bool
	total          int64
	prepaid        bool
}

type handFact struct {
	at, waitAt time.Time // first hand-over; first pickup_handed_out (zero without one)
	wait       time.Duration
}

type reportBuilder struct {
	q                       ReportQuery
	loc                     *time.Location
	rows                    map[rowKey]*rowAcc
	sales                   []saleFact
	hands                   map[linkKey]*handFact
	pickup, basket, loyalty map[linkKey]bool // sales linked to the channel or to a loyalty customer
}

// day names t's day in the report's zone and says whether it is in the period.
func (b *reportBuilder) day(t time.Time) (string, bool) {
	d := t.In(b.loc).Format(time.DateOnly)
	return d, (b.q.From == "" || d >= b.q.From) && (b.q.To == "" || d <= b.q.To)
}

// count calls f on the day's row and on the store's total.
func (b *reportBuilder) count(store, day string, f func(*rowAcc)) {
	for _, k := range []rowKey{{store, day}, {store, ""}} {
		r := b.rows[k]
		if r == nil {
			r = &rowAcc{ReportRow: wire.ReportRow{Store: k.store, Day: k.day}}
			b.rows[k] = r
		}
		f(r)
	}
}

func firstNonZero(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func (b *reportBuilder) add(ev StoredEvent) error {
	bad := func(err error) error { return fmt.Errorf("decode %s event %q: %w", ev.Type, ev.ID, err) }
	switch ev.Type {
	case wire.TypeSale, wire.TypeRefund:
		var s saleHead
		if err := json.Unmarshal(ev.Payload, &s); err != nil {
			return bad(err)
		}
		day, ok := b.day(firstNonZero(s.Fiscal.At, s.CreatedAt, ev.At, ev.Received))
		if !ok {
			return nil
		}
		f := saleFact{store: ev.Store, day: day, id: s.ID, refund: ev.Type == wire.TypeRefund, total: s.Total}
		f.prepaid = slices.ContainsFunc(s.Payments, func(p wire.Payment) bool { return p.Method == "prepaid" && p.Amount > 0 })
		b.sales = append(b.sales, f)
	case wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption:
		var l wire.Loyalty
		if err := json.Unmarshal(ev.Payload, &l); err != nil {
			return bad(err)
		}
		b.link(b.loyalty, ev.Store, l.Sale)
	case wire.TypePickupHandover:
		var h wire.PickupHandover
		if err := json.Unmarshal(ev.Payload, &h); err != nil {
			return bad(err)
		}
		b.link(b.pickup, ev.Store, h.Sale)
		b.handOver(ev.Store, h.Order, firstNonZero(ev.At, ev.Received), nil)
	case wire.TypeAnalytics:
		var a wire.Analytics
		if err := json.Unmarshal(ev.Payload, &a); err != nil {
			return bad(err)
		}
		b.analytics(ev.Store, a, firstNonZero(a.At, ev.At, ev.Received))
	}
	return nil
}

func (b *reportBuilder) link(set map[linkKey]bool, store, sale string) {
	if sale != "" {
		set[linkKey{store, sale}] = true
	}
}

func (b *reportBuilder) analytics(store string, a wire.Analytics, at time.Time) {
	switch a.Kind {
	case wire.AnalyticsBasketRedeemed:
		b.link(b.basket, store, a.Sale)
	case wire.AnalyticsLoyaltyKnown:
		b.link(b.loyalty, store, a.Sale)
	case wire.AnalyticsPickupHandedOut:
		b.link(b.pickup, store, a.Sale)
		b.handOver(store, a.Order, at, &a.Wait)
		return
	}
	day, ok := b.day(at)
	if !ok {
		return
	}
	b.count(store, day, func(r *rowAcc) {
		switch a.Kind {
		case wire.AnalyticsKioskView:
			r.KioskViews++
		case wire.AnalyticsContinueOnline:
			r.ContinueOnline++
		case wire.AnalyticsBasketCreated:
			r.BasketsCreated++
		case wire.AnalyticsBasketRedeemed:
			r.BasketsRedeemed++
		case wire.AnalyticsLoyaltyKnown:
			r.LoyaltyRecognised++
		}
	})
}

// handOver notes a hand-over of an order; wait is nil for a pickup_handover event, which reports none,
// and zero from a terminal that did not know when the order became ready.
func (b *reportBuilder) handOver(store, order string, at time.Time, wait *time.Duration) {
	k := linkKey{store, order}
	h := b.hands[k]
	if h == nil {
		h = &handFact{at: at}
		b.hands[k] = h
	}
	if at.Before(h.at) {
		h.at = at
	}
	if wait != nil && *wait > 0 && (h.waitAt.IsZero() || at.Before(h.waitAt)) {
		h.waitAt, h.wait = at, *wait
	}
}

func (b *reportBuilder) finish() wire.Report {
	for _, s := range b.sales {
		k := linkKey{s.store, s.id}
		b.count(s.store, s.day, func(r *rowAcc) {
			switch {
			case s.refund:
				r.Refunds++
				r.RefundSum += s.total
				return
			case s.prepaid || b.pickup[k]:
				r.PickupSales++
				r.PickupSum += s.total
			case b.basket[k]:
				r.BasketSales++
				r.BasketSum += s.total
			default:
				r.TillSales++
				r.TillSum += s.total
			}
			if b.loyalty[k] {
				r.LoyaltySales++
				r.LoyaltySum += s.total
			}
		})
	}
	for k, h := range b.hands {
		day, ok := b.day(h.at)
		if !ok {
			continue
		}
		b.count(k.store, day, func(r *rowAcc) {
			r.PickupsHandedOut++
			if !h.waitAt.IsZero() {
				r.waits = append(r.waits, h.wait)
			}
		})
	}
	rep := wire.Report{Zone: b.q.Zone, From: b.q.From, To: b.q.To, Rows: []wire.ReportRow{}, Totals: []wire.ReportRow{}}
	for _, r := range b.rows {
		r.Conversion = reportRatio(r.BasketsRedeemed, r.BasketsCreated)
		r.LoyaltyShare = reportRatio(r.LoyaltySales, r.TillSales+r.PickupSales+r.BasketSales)
		r.PickupWaitMedian, r.PickupWaitP90 = waitStats(r.waits)
		if r.Day == "" {
			rep.Totals = append(rep.Totals, r.ReportRow)
		} else {
			rep.Rows = append(rep.Rows, r.ReportRow)
		}
	}
	byStoreDay := func(a, b wire.ReportRow) int { return cmp.Or(cmp.Compare(a.Store, b.Store), cmp.Compare(a.Day, b.Day)) }
	slices.SortFunc(rep.Rows, byStoreDay)
	slices.SortFunc(rep.Totals, byStoreDay)
	return rep
}

// reportRatio is n/d rounded to 4 decimals, nil when d is 0.
func reportRatio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := math.Round(float64(n)/float64(d)*10000) / 10000
	return &v
}

// waitStats returns the median (the mean of the middle two for an even count) and the 90th percentile
// (nearest rank) of waits, in whole seconds; nil for none.
func waitStats(waits []time.Duration) (median, p90 *int64) {
	n := len(waits)
	if n == 0 {
		return nil, nil
	}
	slices.Sort(waits)
	m := waits[n/2]
	if n%2 == 0 {
		m = (waits[n/2-1] + waits[n/2]) / 2
	}
	p := waits[(9*n+9)/10-1] // ceil(0.9 n), 1-based
	sec := func(d time.Duration) *int64 { s := int64(d.Round(time.Second) / time.Second); return &s }
	return sec(m), sec(p)
}
