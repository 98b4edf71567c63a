package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos/kiosk"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestKioskConfig(t *testing.T) {
	hash, err := kiosk.HashPINWithCost("2468", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, toml string
		ok         bool
	}{
		{"defaults", "", true},
		{"a full section", "mode = \"kiosk\"\n[kiosk]\nidle_seconds = 60\nwarn_seconds = 10\nbasket_hours = 4\nprint_slip = false\n" +
			"online_url = \"https://shop.example/p/{id}?utm_source=kiosk&utm_campaign={store}\"\n" +
			"basket_url = \"{url}\"\nmanager_pin_hash = \"" + hash + "\"\nkey_id = \"k2\"\n", true},
		{"idle too short", "[kiosk]\nidle_seconds = 5\n", false},
		{"warning not before the reset", "[kiosk]\nidle_seconds = 30\nwarn_seconds = 30\n", false},
		{"a relative url", "[kiosk]\nonline_url = \"/p/{id}\"\n", false},
		{"a clear PIN", "[kiosk]\nmanager_pin_hash = \"1234\"\n", false},
		{"basket for a month", "[kiosk]\nbasket_hours = 720\n", false},
		{"a bad key id", "[kiosk]\nkey_id = \"k 1\"\n", false},
		{"an unknown setting", "[kiosk]\npin = \"1234\"\n", false},
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
			if c.name == "a full section" && (cfg.Kiosk.IdleSeconds != 60 || cfg.Kiosk.PrintSlip == nil || *cfg.Kiosk.PrintSlip) {
				t.Errorf("kiosk %+v", cfg.Kiosk)
			}
		})
	}
}

func TestKioskPINCommand(t *testing.T) {
	var out, errs bytes.Buffer
	if rc := kioskPINMain(nil, strings.NewReader("2468\n"), &out, &errs); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errs.String())
	}
	line := strings.TrimSpace(out.String())
	hash := strings.Trim(strings.TrimPrefix(line, "manager_pin_hash = "), `"`)
	guard, err := kiosk.NewPINGuard(hash, kiosk.SystemClock{})
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	if err := guard.Check("2468"); err != nil {
		t.Errorf("the hash does not take its PIN: %v", err)
	}
	if rc := kioskPINMain(nil, strings.NewReader("12\n"), &out, &errs); rc != 2 {
		t.Errorf("a two-digit PIN: rc %d", rc)
	}
}

func TestDemoQRBasket(t *testing.T) {
	keys := terminal.DemoKeys()
	for _, c := range []struct {
		name string
		args []string
		rc   int
		want error
	}{
		{"the app's basket", []string{"--items", "4601111111119:2,100001"}, 0, nil},
		{"expired", []string{"--valid", "-1h"}, 0, wire.ErrQRExpired},
		{"forged", []string{"--forge"}, 0, wire.ErrQRSignature},
		{"weighed goods", []string{"--items", "200001"}, 1, nil},
		{"from a kiosk", []string{"--source", "kiosk"}, 1, nil},
		{"bad pieces", []string{"--items", "100001:x"}, 2, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if rc := demoQRBasket(c.args, &out, &errs); rc != c.rc {
				t.Fatalf("rc %d, want %d: %s", rc, c.rc, errs.String())
			}
			if c.rc != 0 {
				return
			}
			b, err := wire.VerifyBasketQR(strings.TrimSpace(out.String()), keys.QRKey, time.Now())
			if !errors.Is(err, c.want) {
				t.Fatalf("verify: %v, want %v", err, c.want)
			}
			if err == nil && (b.Store != terminal.DemoStore || b.Source != wire.BasketFromApp || len(b.Items) != 2 || b.Items[0].Qty != 2000) {
				t.Errorf("basket %+v", b)
			}
		})
	}
}
