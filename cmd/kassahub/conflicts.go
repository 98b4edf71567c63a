package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// conflictsTexts are the table's words, {ru, en}.
var conflictsTexts = map[string][2]string{
	"pickup.title":    {"Конфликты выдачи заказов", "Pickup hand-over conflicts"},
	"pickup.header":   {"МАГАЗИН\tЗАКАЗ\tСТАТУС\tПРИЧИНА\tВЫДАН\tТЕРМИНАЛ\tСОБЫТИЕ\tУЧТЕНА ВЫДАЧА", "STORE\tORDER\tSTATUS\tREASON\tHANDED OVER\tTERMINAL\tEVENT\tCOUNTED HAND-OVER"},
	"pickup.none":     {"нет", "none"},
	"second_handover": {"повторная выдача", "second hand-over"},
	"cancelled":       {"заказ отменён", "order cancelled"},
	"over.title":      {"Списания баллов в минус", "Loyalty overdrafts"},
	"over.header":     {"ПОКУПАТЕЛЬ\tСПИСАНО\tБАЛАНС\tЧЕК\tТЕРМИНАЛ\tВРЕМЯ\tСОБЫТИЕ", "CUSTOMER\tREDEEMED\tBALANCE\tSALE\tTERMINAL\tAT\tEVENT"},
}

// pickupConflicts prints the pickup hand-over conflicts and the loyalty overdrafts (GET
// /v1/admin/pickup-conflicts): two tables in Russian or English, one CSV, or the endpoint's JSON.
func pickupConflicts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	l := newListing("pickup conflicts", stderr, "output format: table, csv or json", "table", "csv", "json").
		withLang().withZone()
	st, err := l.parseOpen(args)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := hub.ListConflicts(ctx, st, st, *l.store)
	if err != nil {
		return err
	}
	return l.write(stdout, listingOutput{
		json:  jsonDocument("", c),
		csv:   func(w io.Writer) error { return writeConflictsCSV(w, c) },
		table: func(w io.Writer) error { return writeConflictsTable(w, c, *l.lang, l.zone) },
	})
}

// writeConflictsTable writes the two tables; times in zone.
func writeConflictsTable(w io.Writer, c hub.Conflicts, lang string, zone *time.Location) error {
	t := textsIn(conflictsTexts, lang)
	at := func(ts time.Time) string { return ts.In(zone).Format(tableTime) }
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, t("pickup.title")+":")
	fmt.Fprintln(tw, t("pickup.header"))
	for _, p := range c.Pickup {
		order := p.Order
		if p.Number != "" {
			order = p.Number + " (" + p.Order + ")"
		}
		first := "-"
		if p.First != nil {
			first = at(p.First.At) + " " + p.First.Terminal + " " + p.First.Event
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Store, order, dash(p.Status), t(p.Reason),
			at(p.Handover.At), p.Handover.Terminal, p.Handover.Event, first)
	}
	if len(c.Pickup) == 0 {
		fmt.Fprintln(tw, t("pickup.none"))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, t("over.title")+":")
	fmt.Fprintln(tw, t("over.header"))
	for _, e := range c.Overdrafts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Customer, roubles(-e.Points), roubles(e.Balance), dash(e.Sale),
			e.Store+"/"+e.Terminal, at(e.At), dash(e.EventID))
	}
	if len(c.Overdrafts) == 0 {
		fmt.Fprintln(tw, t("pickup.none"))
	}
	return tw.Flush()
}

// conflictsCSVHeader is the one table of both kinds: kind is "pickup" or "overdraft".
var conflictsCSVHeader = []string{"kind", "store", "terminal", "at", "event_id", "order", "number", "status", "reason",
	"first_event", "first_terminal", "first_at", "sale", "customer", "points", "balance"}

// writeConflictsCSV writes both kinds in one CSV, times in RFC 3339 UTC and points in kopecks.
func writeConflictsCSV(w io.Writer, c hub.Conflicts) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(conflictsCSVHeader)
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	for _, p := range c.Pickup {
		var fe, ft, fa string
		if p.First != nil {
			fe, ft, fa = p.First.Event, p.First.Terminal, ts(p.First.At)
		}
		_ = cw.Write([]string{"pickup", p.Store, p.Handover.Terminal, ts(p.Handover.At), p.Handover.Event, p.Order, p.Number,
			p.Status, p.Reason, fe, ft, fa, p.Handover.Sale, "", "", ""})
	}
	for _, e := range c.Overdrafts {
		_ = cw.Write([]string{"overdraft", e.Store, e.Terminal, ts(e.At), e.EventID, "", "", "", "", "", "", "", e.Sale,
			e.Customer, strconv.FormatInt(e.Points, 10), strconv.FormatInt(e.Balance, 10)})
	}
	cw.Flush()
	return cw.Error()
}
