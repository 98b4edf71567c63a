// Package pos holds Kassa's domain types: money, quantities, VAT rates, products, sales, payments and the
// errors a cashier can meet. It imports only the standard library; the logic that works on these types lives
// in the small packages beneath it (barcode, cart, checkout, store, ui).
package pos
