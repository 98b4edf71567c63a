// Package assets holds the files embedded in the Kassa binary. catalog.csv is the demo catalog (the format
// of pos/catalog): 342 everyday products of a Russian supermarket with valid EAN-13 codes (prefixes
// 460–469), 2026 prices and VAT rates; 32 of them are weighed goods with PLU codes for scale labels.
package assets

import _ "embed"

// DemoCatalogCSV is the demo catalog, loaded into an empty store on first start.
//
// Easy codes to type on a keyboard when no scanner is at hand (the first three rows):
//
//	4601234567893  Хлеб Дарницкий формовой 700 г
//	4601111111119  Молоко Простоквашино 3,2% 930 мл
//	4602222222220  Вода питьевая Святой Источник негазированная 1,5 л
//
// Weighed goods have PLU 00001 (Бананы) to 00032.
//
//go:embed catalog.csv
var DemoCatalogCSV []byte
