package catalog

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

// goodFile is in the format from before marked goods: no marked column.
const goodFile = LegacyHeader + `
1001;4607053470017;Молоко Простоквашино 3,2% 930 мл;109.90;10;pcs;
# weighed goods: price per kg, PLU for the scale labels
2001;;Бананы;159.90;10;kg;00042
1002;4601234567893,4600000000008;Мёд цветочный 250 г;349;10;pcs;
1003;40123455;Жвачка "Мятная";59.9;22;pcs;
1004;036000291452;Салфетки влажные 100 шт;199.00;22;pcs;
1005;;"Набор; подарочный";1500.00;none;pcs;
`

func TestReadCSV(t *testing.T) {
	ps, err := ReadCSV(strings.NewReader(goodFile))
	if err != nil {
		t.Fatal(err)
	}
	want := []pos.Product{
		{ID: "1001", Barcodes: []string{"4607053470017"}, Name: "Молоко Простоквашино 3,2% 930 мл", Price: 10990, VAT: pos.VAT10},
		{ID: "2001", Name: "Бананы", Price: 15990, VAT: pos.VAT10, Unit: pos.UnitKg, PLU: "00042"},
		{ID: "1002", Barcodes: []string{"4601234567893", "4600000000008"}, Name: "Мёд цветочный 250 г", Price: 34900, VAT: pos.VAT10},
		{ID: "1003", Barcodes: []string{"40123455"}, Name: `Жвачка "Мятная"`, Price: 5990, VAT: pos.VAT22},
		{ID: "1004", Barcodes: []string{"036000291452"}, Name: "Салфетки влажные 100 шт", Price: 19900, VAT: pos.VAT22},
		{ID: "1005", Name: "Набор; подарочный", Price: 150000, VAT: pos.VATNone},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("got\n%+v\nwant\n%+v", ps, want)
	}
}

var badFiles = []struct {
	name  string
	data  string
	line  int
	field string
	want  error
}{
	{"empty", "", 0, "", ErrHeader},
	{"wrong header", "id;name;price\n1;x;1.00\n", 1, "", ErrHeader},
	{"too few fields", Header + "\n1001;;Хлеб;45.00;10;pcs\n", 2, "", ErrSyntax},
	{"too many fields", Header + "\n1001;;Хлеб;45.00;10;pcs;;1;18;x\n", 2, "", ErrSyntax},
	{"marked field in a legacy file", LegacyHeader + "\n1001;;Хлеб;45.00;10;pcs;;1\n", 2, "", ErrSyntax},
	{"marked not a flag", Header + "\n1001;4607053470017;Вода;45.00;22;pcs;;2\n", 2, "marked", ErrValue},
	{"marked weighed", Header + "\n2001;;Творог весовой;459.00;10;kg;00042;да\n", 2, "marked", ErrValue},
	{"age field in a file without age", MarkedHeader + "\n1001;;Пиво;89.90;22;pcs;;;18\n", 2, "", ErrSyntax},
	{"age not a number", Header + "\n1001;;Пиво;89.90;22;pcs;;;18+\n", 2, "age", ErrValue},
	{"age negative", Header + "\n1001;;Пиво;89.90;22;pcs;;;-18\n", 2, "age", ErrValue},
	{"age too high", Header + "\n1001;;Пиво;89.90;22;pcs;;;180\n", 2, "age", ErrValue},
	{"age huge", Header + "\n1001;;Пиво;89.90;22;pcs;;;99999999999999999999\n", 2, "age", ErrValue},
	{"bad quote", Header + "\n1001;;\"Хлеб;45.00;10;pcs;\n", 2, "", ErrSyntax},
	{"not utf-8", Header + "\n1001;;\xff\xfe;45.00;10;pcs;\n", 0, "", ErrSyntax},
	{"empty id", Header + "\n;;Хлеб;45.00;10;pcs;\n", 2, "id", ErrValue},
	{"check digit", Header + "\n1001;4607053470018;Хлеб;45.00;10;pcs;\n", 2, "barcode", ErrBarcode},
	{"barcode length", Header + "\n1001;46070534700;Хлеб;45.00;10;pcs;\n", 2, "barcode", pos.ErrInvalidBarcode},
	{"barcode letters", Header + "\n1001;46070534700a7;Хлеб;45.00;10;pcs;\n", 2, "barcode", ErrBarcode},
	{"empty barcode in list", Header + "\n1001;4607053470017,;Хлеб;45.00;10;pcs;\n", 2, "barcode", ErrBarcode},
	{"empty name", Header + "\n1001;;;45.00;10;pcs;\n", 2, "name", ErrValue},
	{"comma price", Header + "\n1001;;Хлеб;45,00;10;pcs;\n", 2, "price", ErrValue},
	{"three decimals", Header + "\n1001;;Хлеб;45.001;10;pcs;\n", 2, "price", ErrValue},
	{"zero price", Header + "\n1001;;Хлеб;0.00;10;pcs;\n", 2, "price", ErrValue},
	{"negative price", Header + "\n1001;;Хлеб;-1.00;10;pcs;\n", 2, "price", ErrValue},
	{"vat", Header + "\n1001;;Хлеб;45.00;18;pcs;\n", 2, "vat", ErrValue},
	{"unit", Header + "\n1001;;Хлеб;45.00;10;шт;\n", 2, "unit", ErrValue},
	{"plu length", Header + "\n2001;;Бананы;159.90;10;kg;042\n", 2, "plu", ErrValue},
	{"duplicate id", Header + "\n1001;;Хлеб;45.00;10;pcs;\n1001;;Батон;45.00;10;pcs;\n", 3, "id", ErrDuplicate},
	{"duplicate barcode", Header + "\n1;4607053470017;Хлеб;45.00;10;pcs;\n# c\n2;4607053470017;Батон;45.00;10;pcs;\n", 4, "barcode", ErrDuplicate},
	{"duplicate plu", Header + "\n1;;Бананы;159.90;10;kg;00042\n2;;Яблоки;129.90;10;kg;00042\n", 3, "plu", ErrDuplicate},
}

func TestReadCSVErrors(t *testing.T) {
	for _, tt := range badFiles {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := ReadCSV(strings.NewReader(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadCSV = %d products, %v; want %v", len(ps), err, tt.want)
			}
			var le *LineError
			if tt.line == 0 {
				return
			}
			if !errors.As(err, &le) || le.Line != tt.line || le.Field != tt.field {
				t.Errorf("error %v: want line %d field %q", err, tt.line, tt.field)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Errorf("error %q does not say the line", err)
			}
		})
	}
}

// markedFile has the marked column, with every spelling of yes and no.
const markedFile = Header + `
1001;4607053470017;Вода питьевая 0,5 л;45.00;22;pcs;;1
1002;4601234567893;Сигареты LD Red;189.00;22;pcs;;да
1003;4600000000008;Хлеб;45.00;10;pcs;;0
1004;40123455;Жвачка;59.90;22;pcs;;нет
1005;036000291452;Кроссовки;4999.00;22;pcs;;TRUE
1006;4602222222220;Кефир;99.90;10;pcs;; no
1007;4601111111119;Сыр;219.90;10;pcs;;
2001;;Бананы;159.90;10;kg;00042
`

func TestReadCSVMarked(t *testing.T) {
	ps, err := ReadCSV(strings.NewReader(markedFile))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"1001": true, "1002": true, "1005": true}
	if len(ps) != 8 {
		t.Fatalf("%d products", len(ps))
	}
	for _, p := range ps {
		if p.Marked != want[p.ID] {
			t.Errorf("%s %s: Marked = %v", p.ID, p.Name, p.Marked)
		}
	}
}

// TestReadCSVAge reads the age column in the three header generations; a line may leave it out.
func TestReadCSVAge(t *testing.T) {
	tests := []struct {
		name string
		data string
		want map[string]uint8
	}{
		{"full header", Header + `
1001;4676055384882;Пиво Жигули 0,45 л;89.90;22;pcs;;;18
1002;4671848078269;Сигареты Winston Blue;219.00;22;pcs;;1;18
1003;4680053051479;Энергетик Adrenaline Rush;129.90;22;pcs;;0;18
1004;4600000000008;Хлеб;45.00;10;pcs;;;0
1005;4601111111119;Сыр;219.90;10;pcs;;
1006;4602222222220;Кефир;99.90;10;pcs;;1;
1007;4601234567893;Вино с 21;599.90;22;pcs;;; 21
`, map[string]uint8{"1001": 18, "1002": 18, "1003": 18, "1007": 21}},
		{"marked header", MarkedHeader + "\n1001;4676055384882;Пиво;89.90;22;pcs;;\n", map[string]uint8{}},
		{"legacy header", LegacyHeader + "\n1001;4676055384882;Пиво;89.90;22;pcs;\n", map[string]uint8{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := ReadCSV(strings.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.AgeLimit != tt.want[p.ID] {
					t.Errorf("%s %s: AgeLimit = %d, want %d", p.ID, p.Name, p.AgeLimit, tt.want[p.ID])
				}
			}
			var buf bytes.Buffer
			if err := WriteCSV(&buf, ps); err != nil {
				t.Fatal(err)
			}
			again, err := ReadCSV(&buf)
			if err != nil || !reflect.DeepEqual(again, ps) {
				t.Errorf("round trip: %v\n%+v", err, again)
			}
		})
	}
}

func TestReadCSVBOMAndCRLF(t *testing.T) {
	data := "\ufeff" + strings.ReplaceAll(goodFile, "\n", "\r\n")
	ps, err := ReadCSV(strings.NewReader(data))
	if err != nil || len(ps) != 6 {
		t.Fatalf("%d products, %v", len(ps), err)
	}
}

func TestValidGTIN(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
	}{
		{"4607053470017", true}, {"4600000000008", true}, {"4607053470018", false},
		{"40123455", true}, {"40123456", false}, {"036000291452", true}, {"036000291453", false},
		{"", false}, {"123", false}, {"46070534700١7", false}, {"46070534700177", false},
	}
	for _, tt := range tests {
		if got := validGTIN(tt.code); got != tt.ok {
			t.Errorf("validGTIN(%q) = %v", tt.code, got)
		}
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	ps, err := ReadCSV(strings.NewReader(goodFile))
	if err != nil {
		t.Fatal(err)
	}
	ps[0].Marked = true // the legacy file had no marked or age column: the new one carries them
	ps[2].AgeLimit = 18
	var buf bytes.Buffer
	if err := WriteCSV(&buf, ps); err != nil {
		t.Fatal(err)
	}
	again, err := ReadCSV(&buf)
	if err != nil || !reflect.DeepEqual(again, ps) {
		t.Errorf("round trip: %v\n%+v", err, again)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(goodFile)
	f.Add(markedFile)
	for _, tt := range badFiles {
		f.Add(tt.data)
	}
	f.Fuzz(func(t *testing.T, data string) {
		ps, err := ReadCSV(strings.NewReader(data))
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) && !errors.Is(err, ErrHeader) && !errors.Is(err, ErrSyntax) {
				t.Fatalf("error without line or sentinel: %v", err)
			}
			return
		}
		for _, p := range ps {
			if p.ID == "" || p.Name == "" || p.Price <= 0 || !p.VAT.Valid() {
				t.Fatalf("invalid product accepted: %+v", p)
			}
			for _, bc := range p.Barcodes {
				if !validGTIN(bc) {
					t.Fatalf("bad barcode accepted: %q", bc)
				}
			}
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, ps); err != nil {
			t.Fatal(err)
		}
		again, err := ReadCSV(&buf)
		if err != nil || !reflect.DeepEqual(again, ps) {
			t.Fatalf("write/read round trip: %v\n%q", err, buf.String())
		}
	})
}
