package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos/loyalty"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestLoyaltyConfig(t *testing.T) {
	def := loyalty.DefaultRules()
	for _, c := range []struct {
		name, toml string
		ok         bool
		off        bool
		check      func(r loyalty.Rules) bool
	}{
		{"defaults", "", true, false, func(r loyalty.Rules) bool {
			return r.RedeemShare == def.RedeemShare && r.EarnRate("gold") == 500 && r.OfflineLimit == def.OfflineLimit
		}},
		{"off", "[loyalty]\nenabled = false\n", true, true, nil},
		{"own rules", "[loyalty]\nearn = { default = 0.5, Gold = 2.5 }\nredeem_share = 30\noffline_limit = \"0\"\nredeem_step = \"0.01\"\ncard_prefixes = [\"9990\"]\n",
			true, false, func(r loyalty.Rules) bool {
				return r.EarnRate("") == 50 && r.EarnRate("gold") == 250 && r.EarnRate("silver") == 50 &&
					r.RedeemShare == 3000 && r.OfflineLimit == 0 && r.Step == 1
			}},
		{"share over 100 %", "[loyalty]\nredeem_share = 120\n", false, false, nil},
		{"negative earn", "[loyalty]\nearn = { gold = -1 }\n", false, false, nil},
		{"limit not money", "[loyalty]\noffline_limit = \"много\"\n", false, false, nil},
		{"card range not digits", "[loyalty]\ncard_prefixes = [\"27x\"]\n", false, false, nil},
		{"unknown setting", "[loyalty]\nearn_rate = 5\n", false, false, nil},
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
			if !c.ok {
				return
			}
			o, err := cfg.Loyalty.options()
			if err != nil || o.Off != c.off {
				t.Fatalf("options = %+v, %v", o, err)
			}
			if c.check != nil && (o.Rules == nil || !c.check(*o.Rules)) {
				t.Errorf("rules %+v", o.Rules)
			}
		})
	}
}

func TestDemoQR(t *testing.T) {
	out := filepath.Join(t.TempDir(), "anna.png")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"demo-qr", "loyalty", "--customer", "c-1001", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	q, err := wire.VerifyLoyaltyQR(strings.TrimSpace(stdout.String()), terminal.DemoKeys().QRKey, time.Now())
	if err != nil || q.Customer != "c-1001" {
		t.Fatalf("the printed code: %+v, %v", q, err)
	}
	if png, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("the image: %v", err)
	}
	for _, args := range [][]string{{"demo-qr"}, {"demo-qr", "coupon"}, {"demo-qr", "loyalty"}} {
		stderr.Reset()
		if code := Main(args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "2700000000014") {
			t.Errorf("%q: exit %d, usage %q", args, code, stderr.String())
		}
	}
	if code := Main([]string{"demo-qr", "loyalty", "--customer", "c-1001", "--key-id", "nope"}, &stdout, &stderr); code != 1 {
		t.Errorf("an unknown key id: exit %d", code)
	}
}
