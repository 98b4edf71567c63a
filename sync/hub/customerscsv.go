package hub

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/sync/wire"
)

// CustomersHeader is the first line of a customers file. Fields are separated by ';' (or ',' if the header
// is written so); card holds one or more loyalty card codes separated by spaces; phone is any way of
// writing a +7 number, or empty; balance is the points' worth in rubles ("150" or "150.50", empty for 0).
// A seventh column, offers, may follow (CustomersOffersHeader): the customer's personal offers in the
// syntax of wire.ParsePersonalOffers, empty for none:
//
//	id;card;phone;name;tier;balance;offers
//	c-1001;2770000000015;+7 912 345-67-89;Анна Петрова;gold;1500.00;o-milk -10% product=100002: −10 % на молоко
const CustomersHeader = "id;card;phone;name;tier;balance"

// CustomersOffersHeader is the header of a customers file with the offers column.
const CustomersOffersHeader = CustomersHeader + ";offers"

// ErrCustomersFile means a customers file cannot be imported; the error names the line.
var ErrCustomersFile = errors.New("customers file")

const maxTierLen = 32

// ReadCustomersCSV reads a CRM export of loyalty customers. The phone is kept only as wire.PhoneHash under
// phoneKey and the name only masked (MaskName). It stops at the first bad line: an import is all or nothing.
func ReadCustomersCSV(r io.Reader, phoneKey []byte) ([]CustomerImport, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: read: %w", ErrCustomersFile, err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrCustomersFile)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.Comment, cr.FieldsPerRecord = ';', '#', 0 // every line as many fields as the header
	if !bytes.ContainsRune(first, ';') {
		cr.Comma = ','
	}
	bad := func(line int, format string, a ...any) error {
		return fmt.Errorf("%w: line %d: %s", ErrCustomersFile, line, fmt.Sprintf(format, a...))
	}
	header, err := cr.Read()
	if err != nil {
		return nil, bad(1, "header: %v", err)
	}
	if h := strings.ToLower(strings.Join(trimFields(header), ";")); h != CustomersHeader && h != CustomersOffersHeader {
		return nil, bad(1, "header %q, want %q or %q", h, CustomersHeader, CustomersOffersHeader)
	}
	var out []CustomerImport
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, bad(line, "%v", err)
		}
		line, _ := cr.FieldPos(0)
		f := trimFields(rec)
		c := CustomerImport{ID: f[0], Cards: strings.Fields(f[1]), Name: MaskName(f[3]), Tier: f[4]}
		if c.ID == "" || len(c.ID) > maxIDLen || strings.ContainsFunc(c.ID, notPrintable) {
			return nil, bad(line, "id %.40q", f[0])
		}
		if first, dup := seen[c.ID]; dup {
			return nil, bad(line, "id %s also on line %d", c.ID, first)
		}
		seen[c.ID] = line
		for _, card := range c.Cards {
			if len(card) > 64 || strings.ContainsFunc(card, notPrintable) {
				return nil, bad(line, "card %.40q", card)
			}
		}
		if f[2] != "" {
			if c.PhoneHash, err = wire.PhoneHash(phoneKey, f[2]); err != nil {
				return nil, bad(line, "phone: %v", err)
			}
		}
		if len(c.Tier) > maxTierLen || strings.ContainsFunc(c.Tier+f[3], notPrintable) {
			return nil, bad(line, "tier or name: want printable text")
		}
		if c.Balance, err = parseRubles(f[5]); err != nil {
			return nil, bad(line, "balance: %v", err)
		}
		if len(f) > 6 {
			if c.Offers, err = wire.ParsePersonalOffers(f[6]); err != nil {
				return nil, bad(line, "offers: %v", err)
			}
		}
		out = append(out, c)
	}
}

func trimFields(rec []string) []string {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec
}

// parseRubles reads "1500", "1500.5" or "-20.00" into kopecks; empty is zero.
func parseRubles(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	whole, frac, dot := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if whole == "" || len(whole) > 10 || !isDigits(whole) || dot && (frac == "" || len(frac) > 2 || !isDigits(frac)) {
		return 0, fmt.Errorf("%.40q: want rubles like 150.50", s)
	}
	var n int64
	for _, c := range whole + (frac + "00")[:2] {
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
