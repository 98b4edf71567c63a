package commerceml

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// PriceType is a ТипЦены of offers.xml: 1C keeps several (retail, online shop, wholesale).
type PriceType struct {
	ID, Name, Currency string
}

// Price is one Цена of an offer, in kopecks per unit.
type Price struct {
	TypeID  string
	PerUnit int64
}

// Offer is one Предложение: the prices and the stock of a good (or of a variant, Ид "good#variant").
type Offer struct {
	ID       string
	Name     string
	Barcode  string
	Prices   []Price
	Qty      int64 // thousandths; summed over Склад elements when Количество is absent
	QtyKnown bool
}

// Offers is what offers.xml holds.
type Offers struct {
	OnlyChanges bool
	PriceTypes  []PriceType
	Offers      []Offer
	Warnings    []string
}

type xmlOffer struct {
	ID      string `xml:"Ид"`
	Name    string `xml:"Наименование"`
	Barcode string `xml:"Штрихкод"`
	Prices  []struct {
		TypeID   string `xml:"ИдТипаЦены"`
		PerUnit  string `xml:"ЦенаЗаЕдиницу"`
		Currency string `xml:"Валюта"`
	} `xml:"Цены>Цена"`
	Qty    *string `xml:"Количество"`
	Stores []struct {
		Qty string `xml:"КоличествоНаСкладе,attr"`
	} `xml:"Склад"`
}

type xmlPriceType struct {
	ID       string `xml:"Ид"`
	Name     string `xml:"Наименование"`
	Currency string `xml:"Валюта"`
}

// ReadOffers reads offers.xml; like ReadImport, an offer with a bad value is skipped with a warning.
func ReadOffers(r io.Reader) (Offers, error) {
	var o Offers
	sawPackage := false
	err := walk(r, func(dec *xml.Decoder, el xml.StartElement, parent string) (bool, error) {
		switch {
		case el.Name.Local == "ПакетПредложений":
			sawPackage = true
			o.OnlyChanges = strings.EqualFold(attr(el, "СодержитТолькоИзменения"), "true")
		case el.Name.Local == "СодержитТолькоИзменения" && parent == "ПакетПредложений":
			v, err := decodeBool(dec, el)
			o.OnlyChanges = v
			return true, err
		case el.Name.Local == "ТипЦены" && parent == "ТипыЦен":
			var x xmlPriceType
			if err := dec.DecodeElement(&x, &el); err != nil {
				return true, fmt.Errorf("%w: ТипЦены: %v", ErrSyntax, err)
			}
			o.PriceTypes = append(o.PriceTypes, PriceType{ID: strings.TrimSpace(x.ID), Name: cleanName(x.Name),
				Currency: strings.TrimSpace(x.Currency)})
			return true, nil
		case el.Name.Local == "Предложение" && parent == "Предложения":
			var x xmlOffer
			if err := dec.DecodeElement(&x, &el); err != nil {
				return true, fmt.Errorf("%w: Предложение: %v", ErrSyntax, err)
			}
			off, warn := offerOf(x)
			if warn != "" {
				o.Warnings = append(o.Warnings, warn)
			} else {
				o.Offers = append(o.Offers, off)
			}
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return Offers{}, err
	}
	if !sawPackage {
		return Offers{}, fmt.Errorf("%w: no ПакетПредложений element (is this import.xml?)", ErrFormat)
	}
	return o, nil
}

func offerOf(x xmlOffer) (Offer, string) {
	o := Offer{ID: strings.TrimSpace(x.ID), Name: cleanName(x.Name), Barcode: strings.TrimSpace(x.Barcode)}
	if o.ID == "" || len(o.ID) > 128 || strings.ContainsAny(o.ID, "\x00\n\r\t") {
		return o, fmt.Sprintf("предложение %.60q: bad Ид", x.ID)
	}
	if !validGTIN(o.Barcode) {
		o.Barcode = ""
	}
	for _, p := range x.Prices {
		if !rubles(p.Currency) {
			return o, fmt.Sprintf("предложение %s: price in %.20q, want RUB", o.ID, p.Currency)
		}
		v, err := parseDecimal(p.PerUnit, 2)
		if err != nil || v < 0 || v > 1e12 {
			return o, fmt.Sprintf("предложение %s: price %.40q", o.ID, p.PerUnit)
		}
		o.Prices = append(o.Prices, Price{TypeID: strings.TrimSpace(p.TypeID), PerUnit: v})
	}
	addQty := func(s string) string {
		q, err := parseDecimal(s, 3)
		if err != nil || q > 1e15 || q < -1e15 || o.Qty+q > 1e15 || o.Qty+q < -1e15 {
			return fmt.Sprintf("предложение %s: quantity %.40q", o.ID, s)
		}
		o.Qty += q
		o.QtyKnown = true
		return ""
	}
	if x.Qty != nil && strings.TrimSpace(*x.Qty) != "" {
		if w := addQty(*x.Qty); w != "" {
			return o, w
		}
	} else {
		for _, s := range x.Stores {
			if w := addQty(s.Qty); w != "" {
				return o, w
			}
		}
	}
	return o, ""
}

// rubles accepts the ways 1C names the rouble, and no currency at all (the base currency).
func rubles(c string) bool {
	switch strings.ToLower(strings.TrimSpace(c)) {
	case "", "rub", "руб", "руб.", "643", "rur":
		return true
	}
	return false
}
