// Package commerceml reads the catalog exchange of 1C:Enterprise (CommerceML 2, versions 2.03–2.10): the
// catalog file import.xml (КоммерческаяИнформация/Каталог/Товары/Товар: Ид, Наименование, Штрихкод,
// БазоваяЕдиница, СтавкиНалогов) and the offers file offers.xml
// (ПакетПредложений/Предложения/Предложение: Цены/Цена/ЦенаЗаЕдиницу, Количество), and merges them into
// the hub's catalog and offers (Merge). Files are read as a stream, in UTF-8 or windows-1251, so a catalog
// of hundreds of thousands of goods does not sit in memory as XML.
package commerceml

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Product is one Товар of import.xml, its values checked and normalised.
type Product struct {
	ID       string
	Article  string // Артикул
	Name     string
	Barcodes []string // valid EAN-13/EAN-8/UPC-A codes only
	Unit     string   // "pcs" or "kg"
	VAT      string   // wire VAT code, "" when the file gives none
	AgeLimit uint8    // the buyer's minimum age (ЗначениеРеквизита ВозрастноеОграничение), 0 for none
	Deleted  bool     // Статус="Удален" or ПометкаУдаления
}

// Catalog is what import.xml holds.
type Catalog struct {
	OnlyChanges bool // СодержитТолькоИзменения: a delta, not the whole catalog
	Products    []Product
	Warnings    []string // goods or values skipped, one line each
}

type xmlProduct struct {
	ID        string    `xml:"Ид"`
	StatusA   string    `xml:"Статус,attr"`
	Status    string    `xml:"Статус"`
	DeleteTag string    `xml:"ПометкаУдаления"`
	Barcodes  []string  `xml:"Штрихкод"`
	Article   string    `xml:"Артикул"`
	Name      string    `xml:"Наименование"`
	Unit      xmlUnit   `xml:"БазоваяЕдиница"`
	Taxes     []xmlPair `xml:"СтавкиНалогов>СтавкаНалога"`
	Props     []xmlPair `xml:"ЗначенияРеквизитов>ЗначениеРеквизита"`
}

type xmlUnit struct {
	Code string `xml:"Код,attr"`
	Name string `xml:",chardata"`
}

// xmlPair reads both СтавкаНалога (Наименование, Ставка) and ЗначениеРеквизита (Наименование, Значение).
type xmlPair struct {
	Name  string `xml:"Наименование"`
	Rate  string `xml:"Ставка"`
	Value string `xml:"Значение"`
}

// ReadImport reads import.xml. A document that is not CommerceML or not XML is an error; a good with a
// bad value is skipped with a warning, so one typo in 1C does not block the store's whole catalog.
func ReadImport(r io.Reader) (Catalog, error) {
	var cat Catalog
	sawCatalog := false
	seen := map[string]bool{}
	err := walk(r, func(dec *xml.Decoder, el xml.StartElement, parent string) (bool, error) {
		switch {
		case el.Name.Local == "Каталог":
			sawCatalog = true
			cat.OnlyChanges = strings.EqualFold(attr(el, "СодержитТолькоИзменения"), "true")
		case el.Name.Local == "СодержитТолькоИзменения" && parent == "Каталог":
			v, err := decodeBool(dec, el)
			cat.OnlyChanges = v
			return true, err
		case el.Name.Local == "Товар" && parent == "Товары":
			var x xmlProduct
			if err := dec.DecodeElement(&x, &el); err != nil {
				return true, fmt.Errorf("%w: Товар: %v", ErrSyntax, err)
			}
			p, warn := productOf(x)
			switch {
			case warn != "":
				cat.Warnings = append(cat.Warnings, warn)
			case seen[p.ID]:
				cat.Warnings = append(cat.Warnings, fmt.Sprintf("товар %s: listed twice, the first is kept", p.ID))
			default:
				seen[p.ID] = true
				cat.Products = append(cat.Products, p)
			}
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return Catalog{}, err
	}
	if !sawCatalog {
		return Catalog{}, fmt.Errorf("%w: no Каталог element (is this offers.xml?)", ErrFormat)
	}
	return cat, nil
}

// isAgeProp reports a requisite that gives the buyer's minimum age. CommerceML has no standard one; these are
// the names 1C configurations and exchange modules use.
func isAgeProp(name string) bool {
	for _, n := range []string{"ВозрастноеОграничение", "Возрастное ограничение", "МинимальныйВозраст"} {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// ageOf reads an age requisite: "18", "18+", or Да/Нет (Да is 18); empty and 0 are none.
func ageOf(v string) (uint8, bool) {
	v = strings.TrimSuffix(strings.TrimSpace(v), "+")
	switch strings.ToLower(v) {
	case "", "0", "нет", "false":
		return 0, true
	case "да", "true":
		return 18, true
	}
	n := 0
	for _, r := range v {
		if r < '0' || r > '9' || n > 21 {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return uint8(n), n <= 21
}

// productOf checks one Товар; a non-empty warning means it is skipped.
func productOf(x xmlProduct) (Product, string) {
	p := Product{ID: strings.TrimSpace(x.ID), Article: strings.TrimSpace(x.Article), Name: cleanName(x.Name),
		Unit: unitOf(x.Unit.Code, x.Unit.Name)}
	if p.ID == "" || len(p.ID) > 128 || strings.ContainsAny(p.ID, "\x00\n\r\t") {
		return p, fmt.Sprintf("товар %.60q: bad Ид", x.ID)
	}
	p.Deleted = strings.EqualFold(strings.TrimSpace(x.StatusA), "Удален") ||
		strings.EqualFold(strings.TrimSpace(x.Status), "Удален") || strings.EqualFold(strings.TrimSpace(x.DeleteTag), "true")
	if p.Deleted {
		return p, ""
	}
	if p.Name == "" {
		return p, fmt.Sprintf("товар %s: no Наименование", p.ID)
	}
	for _, bc := range x.Barcodes {
		bc = strings.TrimSpace(bc)
		if bc != "" && validGTIN(bc) {
			p.Barcodes = append(p.Barcodes, bc)
		}
	}
	rate := ""
	for _, t := range x.Taxes {
		if strings.EqualFold(strings.TrimSpace(t.Name), "НДС") {
			rate = t.Rate
		}
	}
	for _, pr := range x.Props {
		name := strings.TrimSpace(pr.Name)
		if rate == "" && strings.EqualFold(name, "СтавкаНДС") {
			rate = pr.Value
		}
		if isAgeProp(name) {
			age, ok := ageOf(pr.Value)
			if !ok {
				return p, fmt.Sprintf("товар %s: %s %.20q is not an age", p.ID, name, pr.Value)
			}
			p.AgeLimit = age
		}
	}
	if strings.TrimSpace(rate) != "" {
		vat, err := vatCode(rate)
		if err != nil {
			return p, fmt.Sprintf("товар %s: %v", p.ID, err)
		}
		p.VAT = vat
	}
	return p, ""
}
