package catalog

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

// TestDemoCatalog checks the embedded demo catalog: it parses, is big enough, and its codes are valid,
// Russian and unique (ReadCSV refuses duplicates).
func TestDemoCatalog(t *testing.T) {
	ps, err := ReadCSV(bytes.NewReader(assets.DemoCatalogCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 300 {
		t.Errorf("%d products, want at least 300", len(ps))
	}
	weighed, barcodes := 0, 0
	rates := map[pos.VATRate]int{}
	for _, p := range ps {
		rates[p.VAT]++
		if p.Weighed() {
			weighed++
			if len(p.PLU) != 5 {
				t.Errorf("%s %s: weighed without a PLU", p.ID, p.Name)
			}
		}
		for _, bc := range p.Barcodes {
			barcodes++
			if len(bc) != 13 || !validGTIN(bc) || bc[:2] != "46" {
				t.Errorf("%s: barcode %s is not a valid Russian EAN-13", p.ID, bc)
			}
		}
		if !p.Weighed() && len(p.Barcodes) == 0 {
			t.Errorf("%s %s: piece goods without a barcode", p.ID, p.Name)
		}
	}
	if weighed < 25 {
		t.Errorf("%d weighed products, want at least 25", weighed)
	}
	if rates[pos.VAT10] == 0 || rates[pos.VAT22] == 0 || rates[pos.VATNone] == 0 {
		t.Errorf("VAT rates used: %v", rates)
	}
	// The demo codes listed in assets' doc comment are the first rows.
	for i, code := range []string{"4601234567893", "4601111111119", "4602222222220"} {
		if len(ps) <= i || len(ps[i].Barcodes) == 0 || ps[i].Barcodes[0] != code {
			t.Errorf("row %d is not the demo code %s", i+1, code)
		}
	}
	if !strings.HasPrefix(string(assets.DemoCatalogCSV), Header+"\n") {
		t.Error("the file does not start with the header")
	}
	t.Logf("%d products, %d barcodes, %d weighed, VAT %v", len(ps), barcodes, weighed, rates)
}

// TestDemoMarkedGoods checks the marked rows of the demo catalog and that the demo marking codes of the
// assets' doc comment are real marking codes of those rows.
func TestDemoMarkedGoods(t *testing.T) {
	ps, err := ReadCSV(bytes.NewReader(assets.DemoCatalogCSV))
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]pos.Product{}
	marked := 0
	for _, p := range ps {
		for _, bc := range p.Barcodes {
			byCode[bc] = p
		}
		if p.Marked {
			marked++
		}
	}
	if marked < 10 {
		t.Errorf("%d marked products, want at least 10", marked)
	}
	adult := 0
	for _, p := range ps {
		restricted := false
		for _, w := range []string{"Пиво", "Вино ", "Водка", "Коньяк", "Сидр", "Игристое", "Сигареты", "Энергетик"} {
			restricted = restricted || strings.HasPrefix(p.Name, w)
		}
		if restricted != (p.AgeLimit == 18) {
			t.Errorf("%s %s: AgeLimit %d", p.ID, p.Name, p.AgeLimit)
		}
		if p.AgeLimit > 0 {
			adult++
		}
	}
	if adult < 10 {
		t.Errorf("%d age-restricted products, want at least 10", adult)
	}
	for _, tt := range []struct{ code, name string }{
		{"0104690421631110215WtrDemo00001\x1d93Demo", "Вода Святой Источник газированная 1,5 л"},
		{"010467184807826921-Ab1Cd2\x1d800502190093Demo", "Сигареты Winston Blue"},
		{"0104607035123450215ShoeDemo0001\x1d91EE05\x1d92DemoVerificationCodeForShoes0123456789ABCDEF", "Кроссовки беговые мужские р.42"},
	} {
		g, err := barcode.ParseGS1(tt.code)
		if err != nil {
			t.Errorf("%q: %v", tt.code, err)
			continue
		}
		if g.Crypto == "" && g.Verify == "" {
			t.Errorf("%q has no crypto tail", tt.code)
		}
		p, ok := byCode[strings.TrimPrefix(g.GTIN, "0")]
		if !ok || !p.Marked || p.Name != tt.name {
			t.Errorf("%q: GTIN %s is %+v, want marked %q", tt.code, g.GTIN, p, tt.name)
		}
	}
}
