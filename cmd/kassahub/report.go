package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/kassa-pos/kassa/sync/hub"
)

// report prints the omnichannel report by store and day: an aligned table (Russian, or English with
// --lang en), CSV or JSON (the rows of GET /v1/admin/report).
func report(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl, com := newFlags("report", stderr)
	store := fl.String("store", "", "only this store (default: every store)")
	from := fl.String("from", "", "first day YYYY-MM-DD, inclusive (default: the first event)")
	to := fl.String("to", "", "last day YYYY-MM-DD, inclusive (default: the last event)")
	tz := fl.String("tz", hub.DefaultReportZone, "IANA time zone whose days are counted")
	format := fl.String("format", "table", "output format: table, csv or json")
	lang := fl.String("lang", hub.LangRU, "table language: ru or en")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return fmt.Errorf("%w: --format must be table, csv or json, not %q", errUsage, *format)
	}
	if *lang != hub.LangRU && *lang != hub.LangEN {
		return fmt.Errorf("%w: --lang must be ru or en, not %q", errUsage, *lang)
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
	rep, err := hub.BuildReport(ctx, st, hub.ReportQuery{Store: *store, From: *from, To: *to, Zone: *tz})
	if errors.Is(err, hub.ErrInvalid) {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if err != nil {
		return err
	}
	switch *format {
	case "csv":
		return hub.WriteReportCSV(stdout, rep)
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		return nil
	}
	return hub.WriteReportTable(stdout, rep, *lang)
}
