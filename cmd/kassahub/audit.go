package main

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// auditCSVHeader names the columns of `kassahub audit --format csv`.
var auditCSVHeader = []string{"at", "store", "terminal", "action", "outcome", "cashier", "cashier_name", "authoriser",
	"authoriser_name", "authoriser_role", "receipt", "line", "detail", "event_id"}

// audit prints the terminals' audit log: logins and privileged actions with who authorised them.
func audit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	l := newListing("audit", stderr, "output format: json (one object per line) or csv", "json", "csv").withInstants()
	st, err := l.parseOpen(args)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := hub.AuditLog(ctx, st, *l.store, l.bounds[0], l.bounds[1])
	if err != nil {
		return err
	}
	return l.write(stdout, listingOutput{
		json: jsonLines("audit", list),
		csv: csvRecords("audit", auditCSVHeader, list, func(r hub.AuditRecord) []string {
			a := r.Audit
			return []string{a.At.Format(time.RFC3339), r.Store, r.Terminal, a.Action, a.Outcome, a.Cashier, a.CashierName,
				a.Authoriser, a.AuthoriserName, a.AuthoriserRole, a.Receipt, strconv.Itoa(a.Line), a.Detail, r.EventID}
		}),
	})
}
