package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// saleRow is one line of `kassahub sales`. Total is in kopecks, as on the wire; At is the ККТ's time.
type saleRow struct {
	EventID  string `json:"event_id"`
	Store    string `json:"store"`
	Terminal string `json:"terminal"`
	Total    int64  `json:"total"`
	FD       uint32 `json:"fd"`
	FP       uint32 `json:"fp"`
	At       string `json:"at"`
}

func rowOf(s hub.StoredSale) saleRow {
	at := s.Sale.Fiscal.At
	if at.IsZero() {
		at = s.Sale.CreatedAt
	}
	return saleRow{EventID: s.EventID, Store: s.Store, Terminal: s.Terminal, Total: s.Sale.Total,
		FD: s.Sale.Fiscal.FDNumber, FP: s.Sale.Fiscal.FiscalSign, At: at.Format(time.RFC3339)}
}

func sales(args []string, stdout, stderr io.Writer) (err error) {
	fl, data := newFlags("sales", stderr)
	store := fl.String("store", "", "only this store (default: every store)")
	format := fl.String("format", "json", "output format: json (one object per line) or csv")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" {
		return fmt.Errorf("%w: --format must be json or csv, not %q", errUsage, *format)
	}
	st, err := openData(*data, false)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Sales(*store)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		for _, s := range list {
			if err := enc.Encode(rowOf(s)); err != nil {
				return fmt.Errorf("write sales: %w", err)
			}
		}
		return nil
	}
	w := csv.NewWriter(stdout)
	_ = w.Write([]string{"event_id", "store", "terminal", "total", "fd", "fp", "at"})
	for _, s := range list {
		r := rowOf(s)
		_ = w.Write([]string{r.EventID, r.Store, r.Terminal, strconv.FormatInt(r.Total, 10),
			strconv.FormatUint(uint64(r.FD), 10), strconv.FormatUint(uint64(r.FP), 10), r.At})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write sales: %w", err)
	}
	return nil
}

// openData opens the hub database of a data folder: for writing (creating the folder) or read-only, which
// needs an existing database and a stopped hub.
func openData(data string, write bool) (*hub.Storage, error) {
	if write {
		if err := os.MkdirAll(data, 0o700); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
		return hub.Open(dbPath(data))
	}
	if _, err := os.Stat(dbPath(data)); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no hub database in %s (wrong --data?)", data)
	}
	return hub.OpenReadOnly(dbPath(data))
}
