// Package catalog reads and writes the demo/import catalog file: UTF-8 text, fields separated by ';', a
// header line "id;barcode;name;price;vat;unit;plu;marked;age", one product per line:
//
//	id;barcode;name;price;vat;unit;plu;marked;age
//	1001;4607053470017;Молоко Простоквашино 3,2% 930 мл;109.90;10;pcs;;1
//	1002;4671848078269;Сигареты Winston Blue;219.00;22;pcs;;1;18
//	2001;;Бананы;159.90;10;kg;00042
//
// barcode holds zero or more EAN-13/EAN-8/UPC-A codes separated by ','; price is in rubles with a dot;
// vat is a pos.VATRate code ("22", "10", "20", "0", "none", "22/122", "20/120", "10/110"); unit is "pcs"
// or "kg"; plu is the 5-digit item code of weight labels; marked says whether the product is sold by its
// marking code (Честный знак): 1/0, да/нет, true/false, yes/no, empty for no; age is the buyer's minimum
// age, 18 for alcohol, tobacco and energy drinks, empty or 0 for none. Both columns are optional: files
// written before they existed (header without age, or without marked and age) still read, and a line may
// leave trailing fields out. Lines starting with '#' are comments. A name containing ';' or '"' is quoted the
// CSV way.
package catalog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
)

// Header is the first line WriteCSV writes; ReadCSV also takes MarkedHeader (without age) and LegacyHeader
// (without marked and age).
const Header = MarkedHeader + ";age"

// MarkedHeader is the header of catalog files from before age-restricted goods.
const MarkedHeader = LegacyHeader + ";marked"

// LegacyHeader is the header of catalog files from before marked goods.
const LegacyHeader = "id;barcode;name;price;vat;unit;plu"

var columns = strings.Split(Header, ";")

// baseFields is the number of fields every line has; the marked and age fields after them may be left out.
const baseFields = 7

// maxAge is the highest age limit a catalog may set (Russian law knows 18 and, for some regions, 21).
const maxAge = 21

var (
	// ErrHeader means the first line is not Header.
	ErrHeader = errors.New("catalog: bad header")
	// ErrSyntax means a line is not a well-formed record of 7 to 9 fields (as many as the header has).
	ErrSyntax = errors.New("catalog: malformed line")
	// ErrValue means a field holds a value it cannot hold (empty id, bad price, unknown VAT code …).
	ErrValue = errors.New("catalog: bad value")
	// ErrBarcode means a barcode has the wrong length, a non-digit or a wrong check digit. It wraps
	// pos.ErrInvalidBarcode.
	ErrBarcode = fmt.Errorf("catalog: %w", pos.ErrInvalidBarcode)
	// ErrDuplicate means an id, barcode or PLU appears twice in the file.
	ErrDuplicate = errors.New("catalog: duplicate")
)

// LineError tells which line and field of the file is wrong.
type LineError struct {
	Line  int    // 1-based line number in the file
	Field string // column name, empty for a whole-line problem
	Err   error  // wraps one of the sentinels above
}

func (e *LineError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %s: %v", e.Line, e.Field, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// ReadCSV reads a whole catalog file. It stops at the first bad line: an import is all or nothing.
func ReadCSV(r io.Reader) ([]pos.Product, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("catalog: read: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // spreadsheet programs like to add a BOM
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("catalog: %w: not UTF-8", ErrSyntax)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.Comment = ';', '#'
	cr.FieldsPerRecord = -1 // checked here, to report it as ErrSyntax with the line
	cr.LazyQuotes = true    // names like Сок "Добрый" are written unquoted by hand

	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("catalog: %w: empty file", ErrHeader)
	}
	if err != nil {
		return nil, lineErr(err, 1)
	}
	maxFields := len(columns)
	switch line, _ := cr.FieldPos(0); strings.Join(trimAll(header), ";") {
	case Header:
	case MarkedHeader:
		maxFields = baseFields + 1
	case LegacyHeader:
		maxFields = baseFields
	default:
		return nil, &LineError{Line: line, Err: fmt.Errorf("%w: %q, want %q", ErrHeader, strings.Join(header, ";"), Header)}
	}

	var out []pos.Product
	seen := map[string]int{} // "id:…", "bc:…", "plu:…" -> line
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, lineErr(err, 0)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < baseFields || len(rec) > maxFields {
			return nil, &LineError{Line: line, Err: fmt.Errorf("%w: %d fields, want %d", ErrSyntax, len(rec), maxFields)}
		}
		p, field, err := parseRecord(trimAll(rec))
		if err != nil {
			return nil, &LineError{Line: line, Field: field, Err: err}
		}
		keys := []struct{ field, key string }{{"id", "id:" + p.ID}}
		for _, bc := range p.Barcodes {
			keys = append(keys, struct{ field, key string }{"barcode", "bc:" + bc})
		}
		if p.PLU != "" {
			keys = append(keys, struct{ field, key string }{"plu", "plu:" + p.PLU})
		}
		for _, k := range keys {
			if first, dup := seen[k.key]; dup {
				return nil, &LineError{Line: line, Field: k.field,
					Err: fmt.Errorf("%w: %s also on line %d", ErrDuplicate, k.key[strings.IndexByte(k.key, ':')+1:], first)}
			}
			seen[k.key] = line
		}
		out = append(out, p)
	}
}

func lineErr(err error, fallback int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &LineError{Line: pe.Line, Err: fmt.Errorf("%w: %v", ErrSyntax, pe.Err)}
	}
	return &LineError{Line: fallback, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
}

func trimAll(rec []string) []string {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec
}

// parseRecord turns the 7 to 9 trimmed fields into a product; on error it names the field.
func parseRecord(f []string) (pos.Product, string, error) {
	id, codes, name, price, vat, unit, plu := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
	marked, age := "", ""
	if len(f) > baseFields {
		marked = f[baseFields]
	}
	if len(f) > baseFields+1 {
		age = f[baseFields+1]
	}
	var p pos.Product
	if id == "" || strings.ContainsFunc(id, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
		return p, "id", fmt.Errorf("%w: %q: want a non-empty code without spaces", ErrValue, id)
	}
	p.ID = id
	if codes != "" {
		for bc := range strings.SplitSeq(codes, ",") {
			bc = strings.TrimSpace(bc)
			if !validGTIN(bc) {
				return p, "barcode", fmt.Errorf("%w: %q", ErrBarcode, bc)
			}
			p.Barcodes = append(p.Barcodes, bc)
		}
	}
	if name == "" || strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) {
		return p, "name", fmt.Errorf("%w: %q: want printable text", ErrValue, name)
	}
	p.Name = name
	m, err := parsePrice(price)
	if err != nil {
		return p, "price", err
	}
	p.Price = m
	if p.VAT, err = pos.ParseVATRate(vat); err != nil {
		return p, "vat", fmt.Errorf("%w: %w", ErrValue, err)
	}
	switch unit {
	case "pcs":
		p.Unit = pos.UnitPiece
	case "kg":
		p.Unit = pos.UnitKg
	default:
		return p, "unit", fmt.Errorf("%w: %q: want pcs or kg", ErrValue, unit)
	}
	if plu != "" && !allDigits(plu, 5) {
		return p, "plu", fmt.Errorf("%w: %q: want 5 digits", ErrValue, plu)
	}
	p.PLU = plu
	if p.Marked, err = parseFlag(marked); err != nil {
		return p, "marked", err
	}
	if p.Marked && p.Weighed() {
		// A marking code stands for one pack: the ФН's check of a weighed quantity is not supported.
		return p, "marked", fmt.Errorf("%w: marked goods are sold by the piece, not by weight", ErrValue)
	}
	if p.AgeLimit, err = parseAge(age); err != nil {
		return p, "age", err
	}
	return p, "", nil
}

// parseAge reads the age column: empty or 0 for none, else the buyer's minimum age in years (up to maxAge).
func parseAge(s string) (uint8, error) {
	if s == "" {
		return 0, nil
	}
	n := 0
	for i := 0; i < len(s) && n <= maxAge; i++ {
		if s[i] < '0' || s[i] > '9' {
			n = -1
			break
		}
		n = n*10 + int(s[i]-'0')
	}
	if n < 0 || n > maxAge {
		return 0, fmt.Errorf("%w: %q: want an age like 18, or 0 for none", ErrValue, s)
	}
	return uint8(n), nil
}

// parseFlag reads the marked column: 1/0, да/нет, true/false, yes/no in any case; empty is no.
func parseFlag(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "да", "true", "yes":
		return true, nil
	case "", "0", "нет", "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q: want 1 or 0 (да/нет)", ErrValue, s)
}

// parsePrice reads "89.90", "89.9" or "89": rubles with an optional dot and kopecks. It is stricter than
// pos.ParseMoney on purpose: a file is machine-written, and "1,5" here would be a shifted column.
func parsePrice(s string) (pos.Money, error) {
	whole, frac, dot := strings.Cut(s, ".")
	if !allDigits(whole, -1) || len(whole) > 10 || dot && (frac == "" || len(frac) > 2 || !allDigits(frac, -1)) {
		return 0, fmt.Errorf("%w: %q: want rubles like 89.90", ErrValue, s)
	}
	m, err := pos.ParseMoney(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrValue, err)
	}
	if m <= 0 {
		return 0, fmt.Errorf("%w: %q: price must be positive", ErrValue, s)
	}
	return m, nil
}

// allDigits reports whether s is ASCII digits only, of length n (n < 0: any non-zero length).
func allDigits(s string, n int) bool {
	if s == "" || n >= 0 && len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validGTIN checks an EAN-13, EAN-8 or UPC-A code: its length and its mod-10 check digit (weights 3 and 1
// from the right, the check digit excluded). Kept here so the importer does not depend on the scanner's
// barcode package.
func validGTIN(code string) bool {
	switch len(code) {
	case 8, 12, 13:
	default:
		return false
	}
	if !allDigits(code, len(code)) {
		return false
	}
	sum := 0
	for i := len(code) - 2; i >= 0; i-- {
		d := int(code[i] - '0')
		if (len(code)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(code[len(code)-1]-'0')
}

// WriteCSV writes products in the format ReadCSV reads, header first.
func WriteCSV(w io.Writer, ps []pos.Product) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(columns); err != nil {
		return fmt.Errorf("catalog: write: %w", err)
	}
	for _, p := range ps {
		unit := "pcs"
		if p.Unit == pos.UnitKg {
			unit = "kg"
		}
		marked := "0"
		if p.Marked {
			marked = "1"
		}
		age := ""
		if p.AgeLimit > 0 {
			age = strconv.Itoa(int(p.AgeLimit))
		}
		rec := []string{p.ID, strings.Join(p.Barcodes, ","), p.Name, p.Price.Plain(), p.VAT.Code(), unit, p.PLU, marked, age}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("catalog: write %s: %w", p.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("catalog: write: %w", err)
	}
	return nil
}
