package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfigTextWidth: [kkt] text_width is validated, and unset it leaves the width to the driver (fiscal
// caps TextWidth at the driver's line width, so the widest value stands for it).
func TestConfigTextWidth(t *testing.T) {
	for _, c := range []struct {
		name, toml string
		ok         bool
		fiscal     int // fiscal.Config.TextWidth main builds
	}{
		{"unset: the driver's line width", "", true, maxTextWidth},
		{"57 mm roll", "[kkt]\ntext_width = 32\n", true, 32},
		{"narrowest", "[kkt]\ntext_width = 20\n", true, 20},
		{"widest", "[kkt]\ntext_width = 64\n", true, 64},
		{"too narrow", "[kkt]\ntext_width = 19\n", false, 0},
		{"too wide", "[kkt]\ntext_width = 65\n", false, 0},
		{"negative", "[kkt]\ntext_width = -36\n", false, 0},
		{"not a number", "[kkt]\ntext_width = \"36\"\n", false, 0},
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
			if c.ok {
				if got := cfg.KKT.fiscalTextWidth(); got != c.fiscal {
					t.Errorf("fiscal TextWidth %d, want %d", got, c.fiscal)
				}
			}
		})
	}
}
