package wire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The age limit travels with a catalog product and a pickup line, and is left out when there is none, so
// feeds of hubs and terminals from before it read the same.
func TestAgeLimitRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		v       any
		fresh   func() any
		has     bool
		oldJSON string
	}{
		{"product 18+", Product{ID: "100156", Name: "Пиво Жигули", Barcodes: []string{"4676055384882"}, Price: 8990, VAT: "22", Unit: "pcs", AgeLimit: 18},
			func() any { return new(Product) }, true, ""},
		{"product without", Product{ID: "100001", Name: "Хлеб", Price: 6290, VAT: "10", Unit: "pcs"},
			func() any { return new(Product) }, false, `{"id":"100001","name":"Хлеб","price":6290,"vat":"10","unit":"pcs"}`},
		{"pickup line 18+", PickupLine{ProductID: "100306", Name: "Сигареты", Price: 21900, Qty: 1000, VAT: "22", Marked: true, AgeLimit: 18},
			func() any { return new(PickupLine) }, true, ""},
		{"pickup line without", PickupLine{ProductID: "100001", Name: "Хлеб", Price: 6290, Qty: 2000, VAT: "10"},
			func() any { return new(PickupLine) }, false, `{"product_id":"100001","name":"Хлеб","price":6290,"qty":2000,"vat":"10"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(b), `"age_limit":18`); got != tt.has {
				t.Errorf("%s: age_limit present = %v", b, got)
			}
			if tt.oldJSON != "" && string(b) != tt.oldJSON {
				t.Errorf("got %s, want the old form %s", b, tt.oldJSON)
			}
			back := tt.fresh()
			if err := json.Unmarshal(b, back); err != nil {
				t.Fatal(err)
			}
			if got := reflect.ValueOf(back).Elem().Interface(); !reflect.DeepEqual(got, tt.v) {
				t.Errorf("round trip: %+v, want %+v", got, tt.v)
			}
		})
	}
}
