package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kassa-pos/kassa/pos/catalog"
)

// The hub's CSV import carries the age column into the catalog feed.
func TestReadCatalogCSVAge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalog.csv")
	data := catalog.Header + "\n" +
		"100156;4676055384882;Пиво Жигули Барное 0,45 л;89.90;22;pcs;;;18\n" +
		"100001;4601234567893;Хлеб Дарницкий;62.90;10;pcs;\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	ps, err := readCatalogCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].AgeLimit != 18 || ps[1].AgeLimit != 0 {
		t.Fatalf("products %+v: want beer 18+ and bread without a limit", ps)
	}
}
