package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestConfigCashierINNAndGS(t *testing.T) {
	for _, c := range []struct {
		name, toml string
		ok         bool
		inn, gs    string
	}{
		{"defaults", "", true, "", ""},
		{"cashier INN and a GS substitute", "[kkt]\ncashier_inn = \"500100732259\"\n[barcode]\ngs_substitute = \"<GS>\"\n",
			true, "500100732259", "<GS>"},
		{"an organisation's INN is not a cashier's", "[kkt]\ncashier_inn = \"7700000000\"\n", false, "", ""},
		{"letters", "[kkt]\ncashier_inn = \"50010073225X\"\n", false, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kassa.toml")
			if err := os.WriteFile(path, []byte(c.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(path)
			if (err == nil) != c.ok {
				t.Fatalf("loadConfig = %v, want ok %v", err, c.ok)
			}
			if c.ok && (cfg.KKT.CashierINN != c.inn || cfg.Barcode.GSSubstitute != c.gs) {
				t.Errorf("cashier_inn %q, gs_substitute %q", cfg.KKT.CashierINN, cfg.Barcode.GSSubstitute)
			}
		})
	}
}
