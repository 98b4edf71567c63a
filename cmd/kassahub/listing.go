package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// listing carries the flags the listing commands (audit, cash, report, sales, pickup conflicts) share:
// --store and --format always, --from/--to, --lang and --tz where a command adds them, so every command
// names, checks and explains them alike.
type listing struct {
	*common
	fl      *flag.FlagSet
	formats []string // the first is the default
	store   *string
	format  *string
	lang    *string

	tz   *string
	zone *time.Location // --tz, loaded by parse

	from, to *string
	bounds   [2]time.Time // --from/--to as instants, zero when not given
}

// newListing returns the flag set of command name with --config, --data, --store and --format.
func newListing(name string, stderr io.Writer, formatHelp string, formats ...string) *listing {
	fl, com := newFlags(name, stderr)
	return &listing{common: com, fl: fl, formats: formats,
		store:  fl.String("store", "", "only this store (default: every store)"),
		format: fl.String("format", formats[0], formatHelp)}
}

// withInstants adds --from/--to, RFC 3339 instants that parse reads into bounds.
func (l *listing) withInstants() *listing {
	l.from = l.fl.String("from", "", "first instant, RFC 3339 (default: the beginning)")
	l.to = l.fl.String("to", "", "last instant, exclusive, RFC 3339 (default: now and later)")
	return l
}

// withLang adds --lang, the table's language.
func (l *listing) withLang() *listing {
	l.lang = l.fl.String("lang", hub.LangRU, "table language: ru or en")
	return l
}

// withZone adds --tz, the zone of the table's times, which parse loads into zone.
func (l *listing) withZone() *listing {
	l.tz = l.fl.String("tz", hub.DefaultReportZone, "IANA time zone of the table's times")
	return l
}

// parse parses args and checks the shared flags, wrapping mistakes in errUsage.
func (l *listing) parse(args []string) error {
	if err := parse(l.fl, args); err != nil {
		return err
	}
	if !slices.Contains(l.formats, *l.format) {
		return fmt.Errorf("%w: --format must be %s, not %q", errUsage, orList(l.formats), *l.format)
	}
	if l.lang != nil && *l.lang != hub.LangRU && *l.lang != hub.LangEN {
		return fmt.Errorf("%w: --lang must be ru or en, not %q", errUsage, *l.lang)
	}
	if l.tz != nil {
		zone, err := time.LoadLocation(*l.tz)
		if err != nil {
			return fmt.Errorf("%w: --tz %q: %w", errUsage, *l.tz, err)
		}
		l.zone = zone
	}
	if l.from == nil {
		return nil
	}
	for i, v := range []string{*l.from, *l.to} {
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return fmt.Errorf("%w: --from/--to want an RFC 3339 time like 2026-11-23T00:00:00+03:00, not %q", errUsage, v)
		}
		l.bounds[i] = t
	}
	return nil
}

// parseOpen parses args, checks them and opens the hub's data to read.
func (l *listing) parseOpen(args []string) (hubStore, error) {
	if err := l.parse(args); err != nil {
		return nil, err
	}
	return l.open()
}

// orList writes formats as "table, csv or json".
func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// open loads the config and opens the hub's data to read.
func (c *common) open() (hubStore, error) {
	cfg, err := c.load()
	if err != nil {
		return nil, err
	}
	return openData(cfg, false)
}

// tableTime is how the tables write a time, in the --tz zone.
const tableTime = "02.01.2006 15:04:05"

// textsIn looks a table's words ({ru, en}) up in lang.
func textsIn(texts map[string][2]string, lang string) func(key string) string {
	i := 0
	if lang == hub.LangEN {
		i = 1
	}
	return func(key string) string { return texts[key][i] }
}

// listingOutput is a listing's output in each format; a format the command does not take stays nil.
type listingOutput struct {
	json, csv, table func(io.Writer) error
}

// write writes the output in the --format the command was given.
func (l *listing) write(w io.Writer, out listingOutput) error {
	switch *l.format {
	case "json":
		return out.json(w)
	case "csv":
		return out.csv(w)
	}
	return out.table(w)
}

// writeErr wraps a failed write in "write what: "; what "" leaves it as it is.
func writeErr(what string, err error) error {
	if err == nil || what == "" {
		return err
	}
	return fmt.Errorf("write %s: %w", what, err)
}

// jsonLines writes list as JSON, one object per line.
func jsonLines[T any](what string, list []T) func(io.Writer) error {
	return func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, v := range list {
			if err := enc.Encode(v); err != nil {
				return writeErr(what, err)
			}
		}
		return nil
	}
}

// jsonDocument writes v as one indented JSON document.
func jsonDocument(what string, v any) func(io.Writer) error {
	return func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return writeErr(what, enc.Encode(v))
	}
}

// csvRecords writes header and a record of each of list.
func csvRecords[T any](what string, header []string, list []T, record func(T) []string) func(io.Writer) error {
	return func(w io.Writer) error {
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		for _, v := range list {
			_ = cw.Write(record(v))
		}
		cw.Flush()
		return writeErr(what, cw.Error())
	}
}
