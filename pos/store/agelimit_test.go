package store

import (
	"context"
	"testing"

	"github.com/kassa-pos/kassa/sync/wire"
)

// A pulled catalog keeps each product's age limit through the record codec.
func TestCatalogPullKeepsAgeLimit(t *testing.T) {
	s := openTemp(t)
	page := wire.Page[wire.Product]{Items: []wire.Product{
		{ID: "100156", Name: "Пиво Жигули Барное 0,45 л", Barcodes: []string{"4676055384882"}, Price: 8990, VAT: "22", Unit: "pcs", AgeLimit: 18},
		{ID: "100001", Name: "Хлеб Дарницкий", Barcodes: []string{"4601234567893"}, Price: 6290, VAT: "10", Unit: "pcs"},
	}, Next: "1"}
	if err := s.CatalogFeed().Apply(context.Background(), "", page); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]uint8{"4676055384882": 18, "4601234567893": 0} {
		p, err := s.ProductByBarcode(code)
		if err != nil || p.AgeLimit != want {
			t.Errorf("%s: %+v, %v; want age limit %d", code, p, err, want)
		}
	}
}
