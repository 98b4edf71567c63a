package commerceml_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/kassa-pos/kassa/sync/hub/commerceml"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func readSample(t testing.TB) (commerceml.Catalog, commerceml.Offers) {
	t.Helper()
	imp, err := os.Open(filepath.Join("testdata", "import.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Close()
	cat, err := commerceml.ReadImport(imp)
	if err != nil {
		t.Fatal(err)
	}
	off, err := os.Open(filepath.Join("testdata", "offers.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	offers, err := commerceml.ReadOffers(off)
	if err != nil {
		t.Fatal(err)
	}
	return cat, offers
}

// TestMergeGolden reads the 1C sample (a grocery with weighed goods, shoe sizes as variants, a deleted
// good, a bad VAT rate, a foreign currency and an offer without a good) and compares the merge with the
// golden file.
func TestMergeGolden(t *testing.T) {
	cat, off := readSample(t)
	tests := []struct {
		golden string
		opt    commerceml.MergeOptions
	}{
		{"merged.golden.json", commerceml.MergeOptions{}},
		{"merged-online.golden.json", commerceml.MergeOptions{PriceType: "розничная", OnlinePriceType: "Интернет-магазин", DefaultVAT: "20"}},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			res, err := commerceml.Merge(cat, off, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(res, "", "  ")
			got = append(got, '\n')
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("merge differs from %s (go test -update to accept):\n%s", path, got)
			}
		})
	}
}

func TestMergeOptionsRefused(t *testing.T) {
	cat, off := readSample(t)
	for _, opt := range []commerceml.MergeOptions{
		{PriceType: "Оптовая"},
		{OnlinePriceType: "nope"},
		{DefaultVAT: "18"},
	} {
		if _, err := commerceml.Merge(cat, off, opt); !errors.Is(err, commerceml.ErrValue) {
			t.Errorf("Merge with %+v: %v, want ErrValue", opt, err)
		}
	}
}

const (
	head    = `<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация ВерсияСхемы="2.08">`
	tail    = `</КоммерческаяИнформация>`
	catOpen = `<Каталог><Товары>`
	catEnd  = `</Товары></Каталог>`
)

// importCases are small import.xml documents; FuzzReadImport starts from them.
var importCases = []struct {
	name, doc string
	want      error
	products  int
	changes   bool
}{
	{"empty catalog", head + catOpen + catEnd + tail, nil, 0, false},
	{"one good", head + catOpen + `<Товар><Ид>1</Ид><Наименование>Чай</Наименование></Товар>` + catEnd + tail, nil, 1, false},
	{"changes element", head + `<Каталог><СодержитТолькоИзменения>true</СодержитТолькоИзменения><Товары><Товар><Ид>1</Ид><Наименование>Чай</Наименование></Товар></Товары></Каталог>` + tail, nil, 1, true},
	{"changes attribute", head + `<Каталог СодержитТолькоИзменения="true"></Каталог>` + tail, nil, 0, true},
	{"twice", head + catOpen + `<Товар><Ид>1</Ид><Наименование>Чай</Наименование></Товар><Товар><Ид>1</Ид><Наименование>Кофе</Наименование></Товар>` + catEnd + tail, nil, 1, false},
	{"no id", head + catOpen + `<Товар><Наименование>Чай</Наименование></Товар>` + catEnd + tail, nil, 0, false},
	{"deleted tag", head + catOpen + `<Товар><Ид>1</Ид><ПометкаУдаления>true</ПометкаУдаления></Товар>` + catEnd + tail, nil, 1, false},
	{"offers file", head + `<ПакетПредложений></ПакетПредложений>` + tail, commerceml.ErrFormat, 0, false},
	{"other root", `<yml_catalog></yml_catalog>`, commerceml.ErrFormat, 0, false},
	{"truncated", head + catOpen + `<Товар><Ид>1`, commerceml.ErrSyntax, 0, false},
	{"not xml", `id;barcode;name`, commerceml.ErrFormat, 0, false},
	{"koi8", `<?xml version="1.0" encoding="koi8-r"?><КоммерческаяИнформация/>`, commerceml.ErrFormat, 0, false},
	{"deep", head + strings.Repeat("<a>", 70) + strings.Repeat("</a>", 70) + tail, commerceml.ErrFormat, 0, false},
	{"age", head + catOpen + `<Товар><Ид>1</Ид><Наименование>Пиво</Наименование>` + ageProp("18+") + `</Товар>` + catEnd + tail, nil, 1, false},
	{"bad age", head + catOpen + `<Товар><Ид>1</Ид><Наименование>Пиво</Наименование>` + ageProp("взрослым") + `</Товар>` + catEnd + tail, nil, 0, false},
}

func ageProp(v string) string {
	return `<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>ВозрастноеОграничение</Наименование><Значение>` + v +
		`</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>`
}

// TestReadImportAge reads the age requisite in the forms 1C configurations write.
func TestReadImportAge(t *testing.T) {
	for v, want := range map[string]uint8{"18": 18, "18+": 18, " 21 ": 21, "Да": 18, "нет": 0, "0": 0, "": 0} {
		doc := head + catOpen + `<Товар><Ид>1</Ид><Наименование>Пиво</Наименование>` + ageProp(v) + `</Товар>` + catEnd + tail
		cat, err := commerceml.ReadImport(strings.NewReader(doc))
		if err != nil || len(cat.Products) != 1 || cat.Products[0].AgeLimit != want {
			t.Errorf("%q: %+v, %v; want age %d", v, cat.Products, err, want)
		}
	}
}

func TestReadImport(t *testing.T) {
	for _, tc := range importCases {
		t.Run(tc.name, func(t *testing.T) {
			cat, err := commerceml.ReadImport(strings.NewReader(tc.doc))
			if !errors.Is(err, tc.want) {
				t.Fatalf("ReadImport = %v, want %v", err, tc.want)
			}
			if len(cat.Products) != tc.products || cat.OnlyChanges != tc.changes {
				t.Errorf("catalog %+v, want %d products, only changes %v", cat, tc.products, tc.changes)
			}
		})
	}
}

func TestReadWindows1251(t *testing.T) {
	doc := strings.Replace(head, "UTF-8", "windows-1251", 1) + catOpen +
		`<Товар><Ид>1</Ид><Наименование>Чай чёрный</Наименование></Товар>` + catEnd + tail
	enc, err := charmap.Windows1251.NewEncoder().String(doc)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := commerceml.ReadImport(strings.NewReader(enc))
	if err != nil || len(cat.Products) != 1 || cat.Products[0].Name != "Чай чёрный" {
		t.Fatalf("ReadImport = %+v, %v", cat, err)
	}
}

var offerCases = []struct {
	name, doc string
	want      error
	qty       int64
	price     int64
}{
	{"price and qty", head + `<ПакетПредложений><Предложения><Предложение><Ид>1</Ид><Цены><Цена><ЦенаЗаЕдиницу>1 234,505</ЦенаЗаЕдиницу></Цена></Цены><Количество>2,5</Количество></Предложение></Предложения></ПакетПредложений>` + tail, nil, 2500, 123451},
	{"stores summed", head + `<ПакетПредложений><Предложения><Предложение><Ид>1</Ид><Склад КоличествоНаСкладе="1.5"/><Склад КоличествоНаСкладе="2"/></Предложение></Предложения></ПакетПредложений>` + tail, nil, 3500, 0},
	{"bad price", head + `<ПакетПредложений><Предложения><Предложение><Ид>1</Ид><Цены><Цена><ЦенаЗаЕдиницу>12a</ЦенаЗаЕдиницу></Цена></Цены></Предложение></Предложения></ПакетПредложений>` + tail, nil, -1, 0},
	{"catalog file", head + catOpen + catEnd + tail, commerceml.ErrFormat, -1, 0},
	{"broken", head + `<ПакетПредложений><Предложения><Предложение><Ид>1</Ид></Цены>`, commerceml.ErrSyntax, -1, 0},
}

func TestReadOffers(t *testing.T) {
	for _, tc := range offerCases {
		t.Run(tc.name, func(t *testing.T) {
			off, err := commerceml.ReadOffers(strings.NewReader(tc.doc))
			if !errors.Is(err, tc.want) {
				t.Fatalf("ReadOffers = %v, want %v", err, tc.want)
			}
			if err != nil {
				return
			}
			if tc.qty < 0 {
				if len(off.Offers) != 0 || len(off.Warnings) != 1 {
					t.Errorf("offers %+v, want one warning", off)
				}
				return
			}
			if len(off.Offers) != 1 || off.Offers[0].Qty != tc.qty || tc.price != 0 && off.Offers[0].Prices[0].PerUnit != tc.price {
				t.Errorf("offers %+v, want qty %d price %d", off.Offers, tc.qty, tc.price)
			}
		})
	}
}

func FuzzReadImport(f *testing.F) {
	for _, tc := range importCases {
		f.Add(tc.doc)
	}
	sample, err := os.ReadFile(filepath.Join("testdata", "import.xml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(sample))
	f.Fuzz(func(t *testing.T, doc string) {
		cat, err := commerceml.ReadImport(strings.NewReader(doc))
		if err != nil {
			if !errors.Is(err, commerceml.ErrSyntax) && !errors.Is(err, commerceml.ErrFormat) {
				t.Fatalf("error %v is neither ErrSyntax nor ErrFormat", err)
			}
			return
		}
		for _, p := range cat.Products {
			if p.ID == "" || !p.Deleted && p.Name == "" || p.Unit != "pcs" && p.Unit != "kg" {
				t.Fatalf("product %+v", p)
			}
		}
	})
}

func FuzzReadOffers(f *testing.F) {
	for _, tc := range offerCases {
		f.Add(tc.doc)
	}
	sample, err := os.ReadFile(filepath.Join("testdata", "offers.xml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(sample))
	f.Fuzz(func(t *testing.T, doc string) {
		off, err := commerceml.ReadOffers(strings.NewReader(doc))
		if err != nil {
			return
		}
		if _, err := commerceml.Merge(commerceml.Catalog{}, off, commerceml.MergeOptions{}); err != nil {
			t.Fatalf("Merge of read offers: %v", err)
		}
		for _, o := range off.Offers {
			if o.ID == "" || o.Qty > 1e15 || o.Qty < -1e15 {
				t.Fatalf("offer %+v", o)
			}
		}
	})
}
