package main

import (
	"io"
	"strconv"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// saleRow is one line of `kassahub sales`. Total is in kopecks, as on the wire and on the receipt: a
// refund's is positive too, and Type tells it apart (net takings = sales minus refunds); At is the ККТ's
// time.
type saleRow struct {
	EventID  string `json:"event_id"`
	Type     string `json:"type"` // "sale" or "refund"
	Store    string `json:"store"`
	Terminal string `json:"terminal"`
	Total    int64  `json:"total"`
	FD       uint32 `json:"fd"`
	FP       uint32 `json:"fp"`
	At       string `json:"at"`
	RefundOf string `json:"refund_of,omitempty"`
}

func rowOf(s hub.StoredSale) saleRow {
	at := s.Sale.Fiscal.At
	if at.IsZero() {
		at = s.Sale.CreatedAt
	}
	r := saleRow{EventID: s.EventID, Type: s.Type, Store: s.Store, Terminal: s.Terminal, Total: s.Sale.Total,
		FD: s.Sale.Fiscal.FDNumber, FP: s.Sale.Fiscal.FiscalSign, At: at.Format(time.RFC3339), RefundOf: s.Sale.RefundOf}
	return r
}

func sales(args []string, stdout, stderr io.Writer) (err error) {
	l := newListing("sales", stderr, "output format: json (one object per line) or csv", "json", "csv")
	st, err := l.parseOpen(args)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Sales(*l.store)
	if err != nil {
		return err
	}
	rows := make([]saleRow, len(list))
	for i, s := range list {
		rows[i] = rowOf(s)
	}
	return l.write(stdout, listingOutput{
		json: jsonLines("sales", rows),
		csv: csvRecords("sales", salesCSVHeader, rows, func(r saleRow) []string {
			return []string{r.EventID, r.Type, r.Store, r.Terminal, strconv.FormatInt(r.Total, 10),
				strconv.FormatUint(uint64(r.FD), 10), strconv.FormatUint(uint64(r.FP), 10), r.At, r.RefundOf}
		}),
	})
}

// salesCSVHeader names the columns of `kassahub sales --format csv`.
var salesCSVHeader = []string{"event_id", "type", "store", "terminal", "total", "fd", "fp", "at", "refund_of"}
