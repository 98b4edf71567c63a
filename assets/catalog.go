// Package assets holds the files embedded in the Kassa binary. catalog.csv is the demo catalog (the format
// of pos/catalog): 344 everyday products of a Russian supermarket with valid EAN-13 codes (prefixes
// 460–469), 2026 prices and VAT rates; 32 of them are weighed goods with PLU codes for scale labels, and 13
// are marked goods (Честный знак) sold by the DataMatrix on each pack: milk, kefir and curd, bottled water,
// cigarettes and shoes. 15 are sold to adults only (age 18: beer, cider, wine, vodka, cognac, cigarettes,
// energy drinks): the till asks the cashier to check the buyer's document.
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
// Age-restricted (18+) codes to type: 4676055384882 Пиво Жигули Барное, 4658134217236 Водка Русский
// стандарт, 4680053051479 Энергетик Adrenaline Rush.
//
// Marked goods: scanning their EAN makes the till ask for the pack's marking code. Demo codes to type
// (press Ctrl+] where <GS> stands, as a keyboard-wedge scanner does; change the serial for another pack):
//
//	4690421631110  Вода Святой Источник газированная 1,5 л
//	               0104690421631110215WtrDemo00001<GS>93Demo
//	4671848078269  Сигареты Winston Blue
//	               010467184807826921-Ab1Cd2<GS>800502190093Demo
//	4607035123450  Кроссовки беговые мужские р.42
//	               0104607035123450215ShoeDemo0001<GS>91EE05<GS>92DemoVerificationCodeForShoes0123456789ABCDEF
//
// The other marked rows: 4615881399868, 4698797309114, 4669871689767 (milk, kefir), 4629841622941 (curd),
// 4619602780461, 4658730642487, 4629601796776 (water), 4695504397440, 4602521960762 (cigarettes),
// 4607035123467 (boots).
//
//go:embed catalog.csv
var DemoCatalogCSV []byte
