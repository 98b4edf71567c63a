package kiosk_test

import (
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/kiosk"
)

// The "continue online" link comes from the configured template with UTM tags; placeholders are
// URL-escaped, so a store name with spaces stays one parameter.
func ExampleKiosk_ProductURL() {
	k := kiosk.New(kiosk.Config{Store: "Пр. Мира",
		ProductURL: "https://shop.example/p/{id}?utm_source=kiosk&utm_medium=qr&utm_campaign={store}"})
	card := kiosk.Card{Product: pos.Product{ID: "100002", Name: "Молоко", Price: 10990}}
	fmt.Println(k.ProductURL(card))
	// Output: https://shop.example/p/100002?utm_source=kiosk&utm_medium=qr&utm_campaign=%D0%9F%D1%80.+%D0%9C%D0%B8%D1%80%D0%B0
}
