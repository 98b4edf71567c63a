package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/kassa-pos/kassa/sync/hub"
)

// report prints the omnichannel report by store and day: an aligned table (Russian, or English with
// --lang en), CSV or JSON (the rows of GET /v1/admin/report).
func report(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	l := newListing("report", stderr, "output format: table, csv or json", "table", "csv", "json").withLang()
	from := l.fl.String("from", "", "first day YYYY-MM-DD, inclusive (default: the first event)")
	to := l.fl.String("to", "", "last day YYYY-MM-DD, inclusive (default: the last event)")
	tz := l.fl.String("tz", hub.DefaultReportZone, "IANA time zone whose days are counted")
	st, err := l.parseOpen(args)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := hub.BuildReport(ctx, st, hub.ReportQuery{Store: *l.store, From: *from, To: *to, Zone: *tz})
	if errors.Is(err, hub.ErrInvalid) {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if err != nil {
		return err
	}
	return l.write(stdout, listingOutput{
		json:  jsonDocument("report", rep),
		csv:   func(w io.Writer) error { return hub.WriteReportCSV(w, rep) },
		table: func(w io.Writer) error { return hub.WriteReportTable(w, rep, *l.lang) },
	})
}
