package main

import (
	"context"
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
	l := newListing("cash", stderr, "output format: table, csv or json (one object per line)", "table", "csv", "json").
		withInstants().withLang().withZone()
	st, err := l.parseOpen(args)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := hub.CashLog(ctx, st, *l.store, l.bounds[0], l.bounds[1])
	if err != nil {
		return err
	}
	return l.write(stdout, listingOutput{
		json:  jsonLines("cash", list),
		csv:   csvRecords("cash", cashCSVHeader, list, cashRecord),
		table: func(w io.Writer) error { return writeCashTable(w, list, *l.lang, l.zone) },
	})
}

// cashCSVHeader names the columns of `kassahub cash --format csv`.
var cashCSVHeader = []string{"at", "store", "terminal", "shift", "kind", "amount", "cashier", "kkt_doc", "event_id"}

// cashRecord is one operation's CSV record: the time in UTC, the amount in kopecks.
func cashRecord(r hub.CashRecord) []string {
	c := r.Cash
	return []string{c.At.UTC().Format(time.RFC3339), r.Store, r.Terminal, strconv.Itoa(c.Shift), c.Kind,
		strconv.FormatInt(c.Amount, 10), c.Cashier, strconv.FormatUint(uint64(c.KKTDoc), 10), r.EventID}
}

// writeCashTable writes the operations and their totals; times in zone, amounts in roubles.
func writeCashTable(w io.Writer, list []hub.CashRecord, lang string, zone *time.Location) error {
	t := textsIn(cashTexts, lang)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, t("header"))
	for _, r := range list {
		c := r.Cash
		kind := c.Kind
		if _, ok := cashTexts[kind]; ok {
			kind = t(kind)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\n", c.At.In(zone).Format(tableTime), r.Store,
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
