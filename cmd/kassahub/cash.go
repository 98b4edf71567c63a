package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// cashTexts are the table's words, {ru, en}.
var cashTexts = map[string][2]string{
	"header":      {"ВРЕМЯ\tМАГАЗИН\tТЕРМИНАЛ\tСМЕНА\tОПЕРАЦИЯ\tСУММА\tКАССИР\tДОК. ККТ\tСОБЫТИЕ", "AT\tSTORE\tTERMINAL\tSHIFT\tOPERATION\tAMOUNT\tCASHIER\tKKT DOC\tEVENT"},
	wire.CashIn:   {"внесение", "cash in"},
	wire.CashOut:  {"изъятие", "cash out"},
	"total.in":    {"Внесено", "Cash in"},
	"total.out":   {"Изъято", "Cash out"},
	"total.net":   {"Итого в кассы", "Net into drawers"},
	"total.count": {"операций", "operations"},
}

// cash lists the cash operations (внесения and изъятия) the terminals sent: a table with totals, CSV or
// JSON lines; amounts in the CSV and JSON are kopecks, as on the wire.
func cash(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl, com := newFlags("cash", stderr)
	store := fl.String("store", "", "only this store (default: every store)")
	format := fl.String("format", "table", "output format: table, csv or json (one object per line)")
	from := fl.String("from", "", "first instant, RFC 3339 (default: the beginning)")
	to := fl.String("to", "", "last instant, exclusive, RFC 3339 (default: now and later)")
	lang := fl.String("lang", hub.LangRU, "table language: ru or en")
	tz := fl.String("tz", hub.DefaultReportZone, "IANA time zone of the table's times")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return fmt.Errorf("%w: --format must be table, csv or json, not %q", errUsage, *format)
	}
	if *lang != hub.LangRU && *lang != hub.LangEN {
		return fmt.Errorf("%w: --lang must be ru or en, not %q", errUsage, *lang)
	}
	zone, err := time.LoadLocation(*tz)
	if err != nil {
		return fmt.Errorf("%w: --tz %q: %w", errUsage, *tz, err)
	}
	var bounds [2]time.Time
	for i, v := range []string{*from, *to} {
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return fmt.Errorf("%w: --from/--to want an RFC 3339 time like 2026-11-23T00:00:00+03:00, not %q", errUsage, v)
		}
		bounds[i] = t
	}
	cfg, err := com.load()
	if err != nil {
		return err
	}
	st, err := openData(cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := hub.CashLog(ctx, st, *store, bounds[0], bounds[1])
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		for _, r := range list {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("write cash: %w", err)
			}
		}
		return nil
	case "csv":
		return writeCashCSV(stdout, list)
	}
	return writeCashTable(stdout, list, *lang, zone)
}

func writeCashCSV(stdout io.Writer, list []hub.CashRecord) error {
	w := csv.NewWriter(stdout)
	_ = w.Write([]string{"at", "store", "terminal", "shift", "kind", "amount", "cashier", "kkt_doc", "event_id"})
	for _, r := range list {
		c := r.Cash
		_ = w.Write([]string{c.At.UTC().Format(time.RFC3339), r.Store, r.Terminal, strconv.Itoa(c.Shift), c.Kind,
			strconv.FormatInt(c.Amount, 10), c.Cashier, strconv.FormatUint(uint64(c.KKTDoc), 10), r.EventID})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write cash: %w", err)
	}
	return nil
}

// writeCashTable writes the operations and their totals; times in zone, amounts in roubles.
func writeCashTable(w io.Writer, list []hub.CashRecord, lang string, zone *time.Location) error {
	i := 0
	if lang == hub.LangEN {
		i = 1
	}
	t := func(key string) string { return cashTexts[key][i] }
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, t("header"))
	for _, r := range list {
		c := r.Cash
		kind := c.Kind
		if _, ok := cashTexts[kind]; ok {
			kind = t(kind)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\n", c.At.In(zone).Format("02.01.2006 15:04:05"), r.Store,
			r.Terminal, c.Shift, kind, roubles(c.Amount), c.Cashier, c.KKTDoc, r.EventID)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write cash: %w", err)
	}
	sum := hub.SumCash(list)
	_, err := fmt.Fprintf(w, "\n%s: %s (%d %s)\n%s: %s (%d %s)\n%s: %s\n", t("total.in"), roubles(sum.In), sum.InCount,
		t("total.count"), t("total.out"), roubles(sum.Out), sum.OutCount, t("total.count"), t("total.net"), roubles(sum.Net()))
	if err != nil {
		return fmt.Errorf("write cash: %w", err)
	}
	return nil
}

// roubles formats kopecks as 1234.50 (-1234.50 below zero).
func roubles(k int64) string {
	sign := ""
	if k < 0 {
		sign, k = "-", -k
	}
	return fmt.Sprintf("%s%d.%02d", sign, k/100, k%100)
}
