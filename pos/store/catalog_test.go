package store

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

var testProducts = []pos.Product{
	{ID: "1001", Name: "Молоко Простоквашино 3,2% 930 мл", Barcodes: []string{"4607053470017"}, Price: 10990, VAT: pos.VAT10},
	{ID: "1002", Name: "Мёд цветочный 250 г", Barcodes: []string{"4601234567893", "4600000000008"}, Price: 34900, VAT: pos.VAT10},
	{ID: "1003", Name: "Бананы", PLU: "00042", Price: 15990, VAT: pos.VAT10, Unit: pos.UnitKg},
	{ID: "1004", Name: "Стиральный порошок ЁЖИК автомат 3 кг", Barcodes: []string{"4605678901233"}, Price: 79900, VAT: pos.VAT22},
	{ID: "1005", Name: "Молоко топлёное 4% 1 л", Barcodes: []string{"4609876543210"}, Price: 12490, VAT: pos.VAT10},
	{ID: "1006", Name: "", Price: 0, VAT: pos.VATNone},
}

// A format-1 record (before the flags byte) still reads, as an unmarked product.
func TestProductCodecReadsFormat1(t *testing.T) {
	p := testProducts[1]
	rec := encodeProduct(p)
	rec = rec[:len(rec)-2]
	rec[0] = productFormatV1
	got, err := decodeProduct(rec)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("format 1: %+v, %v; want %+v", got, err, p)
	}
}

// Records of the older formats still read: format 2 (before age limits) as a product without one, format 1
// (before the flags byte) as an unmarked one too.
func TestProductCodecReadsOldFormats(t *testing.T) {
	p := pos.Product{ID: "m", Name: "Сигареты Winston Blue", Barcodes: []string{"4671848078269"}, Price: 21900,
		VAT: pos.VAT22, Marked: true, AgeLimit: 18}
	tests := []struct {
		name   string
		format byte
		cut    int // bytes cut off the tail of a format-3 record
		want   pos.Product
	}{
		{"format 3", productFormat, 0, p},
		{"format 2", productFormatV2, 1, pos.Product{ID: p.ID, Name: p.Name, Barcodes: p.Barcodes, Price: p.Price, VAT: p.VAT, Marked: true}},
		{"format 1", productFormatV1, 2, pos.Product{ID: p.ID, Name: p.Name, Barcodes: p.Barcodes, Price: p.Price, VAT: p.VAT}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := encodeProduct(p)
			rec = rec[:len(rec)-tt.cut]
			rec[0] = tt.format
			got, err := decodeProduct(rec)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
			if _, err := decodeProduct(append(rec, 0)); !errors.Is(err, ErrCorrupt) {
				t.Errorf("a byte too many: %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestProductCodecRoundTrip(t *testing.T) {
	extra := []pos.Product{
		{},
		{ID: "x", Price: -5, Barcodes: []string{"1"}},
		{ID: "m", Name: "Сигареты", Barcodes: []string{"4600000000015"}, Price: 21900, VAT: pos.VAT22, Marked: true, AgeLimit: 18},
		{ID: "a", Name: "Пиво", Price: 8990, VAT: pos.VAT22, AgeLimit: 255},
		{ID: "big", Price: 1<<62 + 3, Name: string(make([]byte, 300))},
	}
	for _, p := range append(slices.Clone(testProducts), extra...) {
		got, err := decodeProduct(encodeProduct(p))
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("round trip %q: got %+v, %v", p.ID, got, err)
		}
		name, err := recordName(encodeProduct(p))
		if err != nil || string(name) != p.Name {
			t.Errorf("recordName %q: %q, %v", p.ID, name, err)
		}
	}
}

func FuzzDecodeProduct(f *testing.F) {
	for _, p := range testProducts {
		f.Add(encodeProduct(p))
	}
	f.Add([]byte{productFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, rec []byte) {
		p, err := decodeProduct(rec)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := decodeProduct(encodeProduct(p))
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("re-encode: %+v vs %+v, %v", again, p, err)
		}
	})
}

func TestProductLookups(t *testing.T) {
	s := openTemp(t)
	if err := s.PutProducts(testProducts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		lookup func(string) (pos.Product, error)
		key    string
		wantID string // "" means not found
	}{
		{"barcode", s.ProductByBarcode, "4607053470017", "1001"},
		{"second barcode", s.ProductByBarcode, "4600000000008", "1002"},
		{"unknown barcode", s.ProductByBarcode, "4600000000015", ""},
		{"id", s.ProductByID, "1004", "1004"},
		{"unknown id", s.ProductByID, "9999", ""},
		{"plu", s.ProductByPLU, "00042", "1003"},
		{"unknown plu", s.ProductByPLU, "00043", ""},
		{"empty", s.ProductByBarcode, "", ""},
	}
	for _, tt := range tests {
		p, err := tt.lookup(tt.key)
		if tt.wantID == "" {
			if !errors.Is(err, pos.ErrProductNotFound) {
				t.Errorf("%s: %+v, %v; want ErrProductNotFound", tt.name, p, err)
			}
			continue
		}
		if err != nil || p.ID != tt.wantID {
			t.Errorf("%s: %+v, %v; want %s", tt.name, p, err, tt.wantID)
		}
	}
	got, _ := s.ProductByID("1002")
	if !reflect.DeepEqual(got, testProducts[1]) {
		t.Errorf("stored %+v, want %+v", got, testProducts[1])
	}
	if n, err := s.ProductCount(); err != nil || n != len(testProducts) {
		t.Errorf("count = %d, %v", n, err)
	}
}

func TestPutProductsReplacesIndexes(t *testing.T) {
	s := openTemp(t)
	if err := s.PutProducts(testProducts); err != nil {
		t.Fatal(err)
	}
	// 1002 drops one barcode and gains a PLU; 1003 loses its PLU to 1002; 1001's barcode moves to 1005.
	changes := []pos.Product{
		{ID: "1002", Name: "Мёд гречишный 250 г", Barcodes: []string{"4601234567893"}, PLU: "00042", Price: 35900, VAT: pos.VAT10},
		{ID: "1005", Name: "Молоко топлёное 4% 1 л", Barcodes: []string{"4609876543210", "4607053470017"}, Price: 12490, VAT: pos.VAT10},
		{ID: "1003", Name: "Бананы", Price: 15990, VAT: pos.VAT10, Unit: pos.UnitKg},
		{ID: "1001", Name: "Молоко Простоквашино 3,2% 930 мл", Price: 10990, VAT: pos.VAT10},
	}
	if err := s.PutProducts(changes); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lookup func(string) (pos.Product, error)
		key    string
		wantID string
	}{
		{s.ProductByBarcode, "4600000000008", ""},
		{s.ProductByBarcode, "4601234567893", "1002"},
		{s.ProductByBarcode, "4607053470017", "1005"}, // 1001 put later did not remove 1005's entry
		{s.ProductByPLU, "00042", "1002"},
	}
	for _, tt := range tests {
		p, err := tt.lookup(tt.key)
		if tt.wantID == "" && !errors.Is(err, pos.ErrProductNotFound) || tt.wantID != "" && p.ID != tt.wantID {
			t.Errorf("%s: %q, %v; want %q", tt.key, p.ID, err, tt.wantID)
		}
	}
	if p, _ := s.ProductByID("1002"); p.Price != 35900 || p.Name != "Мёд гречишный 250 г" {
		t.Errorf("replaced product %+v", p)
	}
	if n, _ := s.ProductCount(); n != len(testProducts) {
		t.Errorf("count %d after replace", n)
	}
	bad := []struct {
		name string
		p    pos.Product
	}{{"empty id", pos.Product{Name: "x"}}, {"empty barcode", pos.Product{ID: "7", Barcodes: []string{""}}}}
	for _, tt := range bad {
		if err := s.PutProducts([]pos.Product{tt.p}); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestSearchProducts(t *testing.T) {
	s := openTemp(t)
	if err := s.PutProducts(testProducts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		limit int
		want  []string
	}{
		{"молоко", 0, []string{"1001", "1005"}},
		{"МОЛОКО", 10, []string{"1001", "1005"}},
		{"молоко топленое", 0, []string{"1005"}}, // ё folded
		{"ТОПЛЁНОЕ", 0, []string{"1005"}},
		{"ежик порошок", 0, []string{"1004"}},
		{"молоко", 1, []string{"1001"}},
		{"1003", 0, []string{"1003"}},                                        // article id
		{"100", 0, []string{"1001", "1002", "1003", "1004", "1005", "1006"}}, // article prefix
		{"4600000000008", 0, []string{"1002"}},                               // barcode
		{"00042", 0, []string{"1003"}},                                       // PLU
		{"  ", 0, nil},
		{"кефир", 0, nil},
		{"мл", 0, []string{"1001"}},
	}
	for _, tt := range tests {
		ps, err := s.SearchProducts(tt.query, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("SearchProducts(%q, %d) = %v, want %v", tt.query, tt.limit, ids, tt.want)
		}
	}
}

func TestSearchExactMatchFirst(t *testing.T) {
	s := openTemp(t)
	ps := []pos.Product{
		{ID: "1", Name: "Товар 2 в 1"},
		{ID: "2", Name: "Шампунь 2 в 1"},
	}
	if err := s.PutProducts(ps); err != nil {
		t.Fatal(err)
	}
	got, err := s.SearchProducts("2", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "2" || got[1].ID != "1" {
		t.Errorf("got %+v; want article 2 first, then name match 1, each once", got)
	}
}

func TestPutProductsLargeBatch(t *testing.T) {
	s := openTemp(t)
	ps := make([]pos.Product, 5000)
	for i := range ps {
		ps[i] = pos.Product{ID: fmt.Sprintf("%07d", i), Name: fmt.Sprintf("Товар %d", i),
			Barcodes: []string{ean13(uint64(i))}, Price: pos.Money(100 + i), VAT: pos.VAT22}
	}
	if err := s.PutProducts(ps); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1, 2500, 4999} {
		p, err := s.ProductByBarcode(ean13(uint64(i)))
		if err != nil || p.ID != ps[i].ID {
			t.Errorf("product %d: %+v, %v", i, p, err)
		}
	}
}

// ean13 makes a valid EAN-13 with the Russian prefix 460 from a serial number.
func ean13(n uint64) string {
	s := fmt.Sprintf("460%09d", n%1_000_000_000)
	sum := 0
	for i, c := range s {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + string(rune('0'+(10-sum%10)%10))
}
