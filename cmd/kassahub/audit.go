package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// audit prints the terminals' audit log: logins and privileged actions with who authorised them.
func audit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl, com := newFlags("audit", stderr)
	store := fl.String("store", "", "only this store (default: every store)")
	format := fl.String("format", "json", "output format: json (one object per line) or csv")
	from := fl.String("from", "", "first instant, RFC 3339 (default: the beginning)")
	to := fl.String("to", "", "last instant, exclusive, RFC 3339 (default: now and later)")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" {
		return fmt.Errorf("%w: --format must be json or csv, not %q", errUsage, *format)
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
	list, err := hub.AuditLog(ctx, st, *store, bounds[0], bounds[1])
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		for _, r := range list {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("write audit: %w", err)
			}
		}
		return nil
	}
	w := csv.NewWriter(stdout)
	_ = w.Write([]string{"at", "store", "terminal", "action", "outcome", "cashier", "cashier_name", "authoriser",
		"authoriser_name", "authoriser_role", "receipt", "line", "detail", "event_id"})
	for _, r := range list {
		a := r.Audit
		_ = w.Write([]string{a.At.Format(time.RFC3339), r.Store, r.Terminal, a.Action, a.Outcome, a.Cashier, a.CashierName,
			a.Authoriser, a.AuthoriserName, a.AuthoriserRole, a.Receipt, strconv.Itoa(a.Line), a.Detail, r.EventID})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}
