package main

import "github.com/kassa-pos/kassa/pos"

// vat22Codes maps the configured FF46 bytes of the 2026 rates; zero keeps the driver's default.
func vat22Codes(vat22, vat22122 byte) map[pos.VATRate]byte {
	m := map[pos.VATRate]byte{}
	if vat22 != 0 {
		m[pos.VAT22] = vat22
	}
	if vat22122 != 0 {
		m[pos.VAT22_122] = vat22122
	}
	return m
}
