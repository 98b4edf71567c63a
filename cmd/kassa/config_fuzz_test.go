package main

import (
	"os"
	"path/filepath"
	"testing"
)

// configSeeds are the README's example and the table tests' files.
var configSeeds = []string{
	"",
	"[kkt]\ncashier_inn = \"500100732259\"\n[barcode]\ngs_substitute = \"<GS>\"\n",
	"[kkt]\ncashier_inn = \"7700000000\"\n",
	`terminal = "till-1"
cashier  = "Иванова А."
language = "ru"
mode     = "till"
data     = "/var/lib/kassa"

[kkt]
port      = "/dev/ttyACM0"
baud      = 115200
password  = 30
tax_system = 1
vat22_code     = 0xCB
vat22_122_code = 0xCC
cashier_inn    = "770000000012"

[hub]
url        = "https://hub.store.example:8787"
token_file = "/var/lib/kassa/token"

[barcode]
weight_prefixes = ["20", "21", "22", "23", "24", "25", "26", "27", "28", "29"]
item_digits  = 5
value_digits = 5
value        = "weight"

[scale]
port = "/dev/ttyUSB1"

[display]
port = "/dev/ttyUSB2"
mode = "cd5220"

[printer]
port     = "/dev/ttyPRN"
baud     = 9600
codepage = 17
width    = 32
qr       = "raster"
shop     = "Продукты у дома"

[keys]
phone = "00112233445566778899aabbccddeeff"
[[keys.qr]]
id     = "k2026"
secret = "00112233445566778899aabbccddeeff"
`,
	"mode = \"kiosk\"\nlanguage = \"en\"\n[barcode]\nweight_prefixes = [\"2\"]\nitem_digits = 6\nvalue_digits = 5\nvalue = \"price\"\n",
	"terminal = \"\"\n", "[kkt\n", "unknown = 1\n", "[[keys.qr]]\nid = \"\"\nsecret = \"zz\"\n",
}

// FuzzLoadConfig reads arbitrary files as kassa.toml: a bad file is an error with its reason, never a
// panic, and a file that loads is a valid configuration.
func FuzzLoadConfig(f *testing.F) {
	for _, s := range configSeeds {
		f.Add(s)
	}
	path := filepath.Join(f.TempDir(), "kassa.toml")
	f.Fuzz(func(t *testing.T, data string) {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(path)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a reason")
			}
			return
		}
		if err := cfg.validate(); err != nil {
			t.Fatalf("loaded a config that does not validate: %v", err)
		}
		if _, err := cfg.Barcode.layout(); err != nil {
			t.Fatalf("loaded a config with a bad barcode layout: %v", err)
		}
	})
}
