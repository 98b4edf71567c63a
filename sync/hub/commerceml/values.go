package commerceml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Errors of the readers; check them with errors.Is.
var (
	// ErrSyntax means the file is not well-formed XML.
	ErrSyntax = errors.New("commerceml: malformed XML")
	// ErrFormat means the XML is not the expected CommerceML document.
	ErrFormat = errors.New("commerceml: not a CommerceML document")
	// ErrValue means a number, price or rate cannot be read.
	ErrValue = errors.New("commerceml: bad value")
)

const (
	rootElement  = "КоммерческаяИнформация"
	maxNameRunes = 128 // ФФД tag 1030, the item name on a receipt
	maxDepth     = 64
)

// newDecoder reads UTF-8 and windows-1251, the two encodings 1C writes exchange files in.
func newDecoder(r io.Reader) *xml.Decoder {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "windows-1251", "cp1251", "cp-1251":
			return charmap.Windows1251.NewDecoder().Reader(in), nil
		}
		return nil, fmt.Errorf("%w: encoding %q (want UTF-8 or windows-1251)", ErrFormat, label)
	}
	return dec
}

// walk streams the document's elements, calling visit with each start element and its parent's name;
// visit returns true when it consumed the element (with DecodeElement). The root must be
// КоммерческаяИнформация.
func walk(r io.Reader, visit func(dec *xml.Decoder, el xml.StartElement, parent string) (bool, error)) error {
	dec := newDecoder(r)
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if stack != nil {
				return fmt.Errorf("%w: unexpected end of file", ErrSyntax)
			}
			return fmt.Errorf("%w: empty document", ErrFormat)
		}
		if err != nil {
			if errors.Is(err, ErrFormat) {
				return err
			}
			return fmt.Errorf("%w: %v", ErrSyntax, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if stack == nil && t.Name.Local != rootElement {
				return fmt.Errorf("%w: root element %q, want %s", ErrFormat, t.Name.Local, rootElement)
			}
			if len(stack) >= maxDepth {
				return fmt.Errorf("%w: nested deeper than %d", ErrFormat, maxDepth)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			consumed, err := visit(dec, t, parent)
			if err != nil {
				return err
			}
			if !consumed {
				stack = append(stack, t.Name.Local)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return fmt.Errorf("%w: stray end element", ErrSyntax)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil
			}
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func decodeBool(dec *xml.Decoder, el xml.StartElement) (bool, error) {
	var s string
	if err := dec.DecodeElement(&s, &el); err != nil {
		return false, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	return strings.EqualFold(strings.TrimSpace(s), "true"), nil
}

// parseDecimal reads "1234.50", "1234,5", "1 234" into an integer of 10^-scale units, rounding half up
// beyond scale digits. Negative numbers are allowed ("-3" of stock).
func parseDecimal(s string, scale int) (int64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" && frac == "" || len(whole) > 12 || len(frac) > 18 || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("%w: %.40q is not a number", ErrValue, s)
	}
	var n int64
	for _, c := range whole {
		n = n*10 + int64(c-'0')
	}
	for i := 0; i < scale; i++ {
		n *= 10
		if i < len(frac) {
			n += int64(frac[i] - '0')
		}
	}
	if len(frac) > scale && frac[scale] >= '5' {
		n++
	}
	if neg {
		n = -n
	}
	return n, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// vatCode maps the rates 1C writes (СтавкиНалогов/СтавкаНалога/Ставка) to wire VAT codes.
func vatCode(rate string) (string, error) {
	r := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rate), "%")))
	switch r {
	case "22", "20", "10", "0", "22/122", "20/120", "10/110":
		return r, nil
	case "без налога", "без ндс", "без налога (ндс)", "none":
		return "none", nil
	}
	return "", fmt.Errorf("%w: VAT rate %.40q", ErrValue, rate)
}

// unitOf maps a БазоваяЕдиница (ОКЕИ code or short name) to "kg" for weighed goods, "pcs" for the rest.
func unitOf(code, name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if strings.TrimSpace(code) == "166" || n == "кг" || n == "килограмм" {
		return "kg"
	}
	return "pcs"
}

// validGTIN checks an EAN-13, EAN-8 or UPC-A code: length and mod-10 check digit.
func validGTIN(code string) bool {
	switch len(code) {
	case 8, 12, 13:
	default:
		return false
	}
	if !digits(code) {
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

// cleanName trims a name, folds runs of white space and cuts it to what a receipt line holds.
func cleanName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxNameRunes {
		s = string([]rune(s)[:maxNameRunes])
	}
	return strings.ToValidUTF8(s, "")
}
