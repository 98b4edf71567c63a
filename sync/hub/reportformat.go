package hub

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Report table languages: Russian for the store managers who read it, English for everyone else.
const (
	LangRU = "ru"
	LangEN = "en"
)

// reportCol is one column of the report: its group and name in the table ({ru, en}), its CSV name (the
// JSON field) and its cell, as the table shows it and as CSV carries it.
type reportCol struct {
	group, name [2]string
	csv         string
	text        func(r wire.ReportRow, en bool) string
	raw         func(r wire.ReportRow) string
	left        bool
}

func countCol(group, name [2]string, csvName string, v func(wire.ReportRow) int) reportCol {
	f := func(r wire.ReportRow) string { return strconv.Itoa(v(r)) }
	return reportCol{group: group, name: name, csv: csvName, raw: f, text: func(r wire.ReportRow, _ bool) string { return f(r) }}
}

func moneyCol(group [2]string, csvName string, v func(wire.ReportRow) int64) reportCol {
	return reportCol{group: group, name: [2]string{"сумма", "sum"}, csv: csvName,
		raw:  func(r wire.ReportRow) string { return strconv.FormatInt(v(r), 10) },
		text: func(r wire.ReportRow, en bool) string { return formatKopecks(v(r), en) }}
}

func ratioCol(group, name [2]string, csvName string, v func(wire.ReportRow) *float64) reportCol {
	return reportCol{group: group, name: name, csv: csvName,
		raw: func(r wire.ReportRow) string {
			if p := v(r); p != nil {
				return strconv.FormatFloat(*p, 'f', -1, 64)
			}
			return ""
		},
		text: func(r wire.ReportRow, _ bool) string {
			if p := v(r); p != nil {
				return strconv.FormatFloat(*p*100, 'f', 0, 64) + "%"
			}
			return "—"
		}}
}

func waitCol(name [2]string, csvName string, v func(wire.ReportRow) *int64) reportCol {
	return reportCol{group: grpHandOver, name: name, csv: csvName,
		raw: func(r wire.ReportRow) string {
			if p := v(r); p != nil {
				return strconv.FormatInt(*p, 10)
			}
			return ""
		},
		text: func(r wire.ReportRow, _ bool) string {
			if p := v(r); p != nil {
				m := (time.Duration(*p)*time.Second + 30*time.Second) / time.Minute
				return fmt.Sprintf("%d:%02d", m/60, m%60)
			}
			return "—"
		}}
}

var (
	grpTill     = [2]string{"Касса", "Till"}
	grpPickup   = [2]string{"Самовывоз", "Pickup"}
	grpBasket   = [2]string{"Корзина киоска", "Kiosk basket"}
	grpRefunds  = [2]string{"Возвраты", "Refunds"}
	grpKiosk    = [2]string{"Киоск", "Kiosk"}
	grpBaskets  = [2]string{"QR-корзины", "Basket QRs"}
	grpHandOver = [2]string{"Выдача заказов", "Pickup hand-over"}
	grpLoyalty  = [2]string{"Лояльность", "Loyalty"}
	nameSales   = [2]string{"чеков", "sales"}
)

var reportCols = []reportCol{
	{name: [2]string{"Магазин", "Store"}, csv: "store", left: true,
		raw: func(r wire.ReportRow) string { return r.Store }, text: func(r wire.ReportRow, _ bool) string { return r.Store }},
	{name: [2]string{"День", "Day"}, csv: "day", left: true,
		raw: func(r wire.ReportRow) string { return r.Day },
		text: func(r wire.ReportRow, en bool) string {
			if r.Day == "" {
				return langText(en, "итого", "total")
			}
			return r.Day
		}},
	countCol(grpTill, nameSales, "till_sales", func(r wire.ReportRow) int { return r.TillSales }),
	moneyCol(grpTill, "till_sum", func(r wire.ReportRow) int64 { return r.TillSum }),
	countCol(grpPickup, nameSales, "pickup_sales", func(r wire.ReportRow) int { return r.PickupSales }),
	moneyCol(grpPickup, "pickup_sum", func(r wire.ReportRow) int64 { return r.PickupSum }),
	countCol(grpBasket, nameSales, "basket_sales", func(r wire.ReportRow) int { return r.BasketSales }),
	moneyCol(grpBasket, "basket_sum", func(r wire.ReportRow) int64 { return r.BasketSum }),
	countCol(grpRefunds, [2]string{"чеков", "count"}, "refunds", func(r wire.ReportRow) int { return r.Refunds }),
	moneyCol(grpRefunds, "refund_sum", func(r wire.ReportRow) int64 { return r.RefundSum }),
	countCol(grpKiosk, [2]string{"просмотры", "views"}, "kiosk_views", func(r wire.ReportRow) int { return r.KioskViews }),
	countCol(grpKiosk, [2]string{"QR онлайн", "online QRs"}, "continue_online", func(r wire.ReportRow) int { return r.ContinueOnline }),
	countCol(grpBaskets, [2]string{"создано", "created"}, "baskets_created", func(r wire.ReportRow) int { return r.BasketsCreated }),
	countCol(grpBaskets, [2]string{"погашено", "redeemed"}, "baskets_redeemed", func(r wire.ReportRow) int { return r.BasketsRedeemed }),
	ratioCol(grpBaskets, [2]string{"конверсия", "conversion"}, "conversion", func(r wire.ReportRow) *float64 { return r.Conversion }),
	countCol(grpHandOver, [2]string{"выдано", "orders"}, "pickups_handed_out", func(r wire.ReportRow) int { return r.PickupsHandedOut }),
	waitCol([2]string{"медиана", "median"}, "pickup_wait_median", func(r wire.ReportRow) *int64 { return r.PickupWaitMedian }),
	waitCol([2]string{"p90", "p90"}, "pickup_wait_p90", func(r wire.ReportRow) *int64 { return r.PickupWaitP90 }),
	countCol(grpLoyalty, [2]string{"узнано", "recognised"}, "loyalty_recognised", func(r wire.ReportRow) int { return r.LoyaltyRecognised }),
	countCol(grpLoyalty, nameSales, "loyalty_sales", func(r wire.ReportRow) int { return r.LoyaltySales }),
	{group: grpLoyalty, csv: "loyalty_sum", raw: func(r wire.ReportRow) string { return strconv.FormatInt(r.LoyaltySum, 10) }},
	ratioCol(grpLoyalty, [2]string{"доля", "share"}, "loyalty_share", func(r wire.ReportRow) *float64 { return r.LoyaltyShare }),
}

func langText(en bool, ru, eng string) string {
	if en {
		return eng
	}
	return ru
}

// WriteReportCSV writes the report's day rows as CSV: a header of the JSON field names, money in kopecks,
// ratios 0..1, waits in seconds, an empty cell where a ratio or wait is undefined. Totals are left out so
// that a spreadsheet's sums stay right.
func WriteReportCSV(w io.Writer, rep wire.Report) error {
	cw := csv.NewWriter(w)
	row := make([]string, len(reportCols))
	for i, c := range reportCols {
		row[i] = c.csv
	}
	_ = cw.Write(row)
	for _, r := range rep.Rows {
		for i, c := range reportCols {
			row[i] = c.raw(r)
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write report csv: %w", err)
	}
	return nil
}

// WriteReportTable writes the report as an aligned text table in lang (LangRU or LangEN): a title, two
// header lines (column groups, then columns), one line per store and day, a total line per store that has
// more than one day, and a legend. Sums are in rubles, waits in hours:minutes.
func WriteReportTable(w io.Writer, rep wire.Report, lang string) error {
	if lang != LangRU && lang != LangEN {
		return fmt.Errorf("%w: language %q: want %s or %s", ErrInvalid, lang, LangRU, LangEN)
	}
	en := lang == LangEN
	li := 0
	if en {
		li = 1
	}
	cols := make([]reportCol, 0, len(reportCols))
	for _, c := range reportCols {
		if c.text != nil {
			cols = append(cols, c)
		}
	}
	period := func(d, open string) string {
		if d == "" {
			return open
		}
		return d
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s – %s (%s)\n", langText(en, "Омниканальный отчёт", "Omnichannel report"),
		period(rep.From, langText(en, "начало", "start")), period(rep.To, langText(en, "конец", "end")), rep.Zone)
	if len(rep.Rows) == 0 {
		b.WriteString(langText(en, "Нет событий за период.\n", "No events in the period.\n"))
		_, err := io.WriteString(w, b.String())
		return err
	}

	lines := [][]string{}
	days := map[string]int{}
	for _, r := range rep.Rows {
		days[r.Store]++
	}
	totals := map[string]wire.ReportRow{}
	for _, t := range rep.Totals {
		totals[t.Store] = t
	}
	cells := func(r wire.ReportRow) []string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = c.text(r, en)
		}
		return out
	}
	for i, r := range rep.Rows {
		lines = append(lines, cells(r))
		last := i == len(rep.Rows)-1 || rep.Rows[i+1].Store != r.Store
		if t, ok := totals[r.Store]; ok && last && days[r.Store] > 1 {
			lines = append(lines, cells(t))
		}
	}
	width := make([]int, len(cols))
	for i, c := range cols {
		width[i] = utf8.RuneCountInString(c.name[li])
		for _, l := range lines {
			width[i] = max(width[i], utf8.RuneCountInString(l[i]))
		}
	}
	// A group's label spans its columns; a label wider than them widens the group's last column.
	type span struct{ first, last int }
	var spans []span
	for i, c := range cols {
		if c.group[li] == "" {
			continue
		}
		if n := len(spans); n > 0 && cols[spans[n-1].first].group == c.group {
			spans[n-1].last = i
		} else {
			spans = append(spans, span{i, i})
		}
	}
	spanWidth := func(s span) int {
		n := 2 * (s.last - s.first)
		for i := s.first; i <= s.last; i++ {
			n += width[i]
		}
		return n
	}
	for _, s := range spans {
		if d := utf8.RuneCountInString(cols[s.first].group[li]) - spanWidth(s); d > 0 {
			width[s.last] += d
		}
	}
	pad := func(s string, n int, left bool) string {
		fill := strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
		if left {
			return s + fill
		}
		return fill + s
	}
	var groups []string
	for i := 0; i < len(cols); {
		if cols[i].group[li] == "" {
			groups = append(groups, pad("", width[i], true))
			i++
			continue
		}
		for _, s := range spans {
			if s.first == i {
				groups = append(groups, pad(cols[i].group[li], spanWidth(s), true))
				i = s.last + 1
			}
		}
	}
	writeLine := func(fields []string) {
		b.WriteString(strings.TrimRight(strings.Join(fields, "  "), " "))
		b.WriteByte('\n')
	}
	writeLine(groups)
	header, rule := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		header[i] = pad(c.name[li], width[i], c.left)
		rule[i] = strings.Repeat("─", width[i])
	}
	writeLine(header)
	writeLine(rule)
	for _, l := range lines {
		for i, c := range cols {
			l[i] = pad(l[i], width[i], c.left)
		}
		writeLine(l)
	}
	b.WriteString(langText(en,
		"Суммы в рублях; ожидание выдачи (от готовности до выдачи) в ч:мм; конверсия = погашено / создано; доля = чеки покупателей программы лояльности / все чеки.\n",
		"Sums in rubles; pickup wait (ready to handed out) in h:mm; conversion = redeemed / created; share = sales to loyalty customers / all sales.\n"))
	_, err := io.WriteString(w, b.String())
	return err
}

// formatKopecks writes kopecks as rubles: "12 345,50" in Russian, "12,345.50" in English.
func formatKopecks(v int64, en bool) string {
	sign := ""
	u := uint64(v)
	if v < 0 {
		sign, u = "-", uint64(-v)
	}
	digits := strconv.FormatUint(u/100, 10)
	sep, dec := " ", ","
	if en {
		sep, dec = ",", "."
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	fmt.Fprintf(&b, "%s%02d", dec, u%100)
	return b.String()
}
