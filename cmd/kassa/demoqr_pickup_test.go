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
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestDemoQRPickup(t *testing.T) {
	png := filepath.Join(t.TempDir(), "qr.png")
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantStore string
		wantErr   error // of verifying the printed payload with the demo keys
	}{
		{"demo order", []string{"--order", "W-24001", "--out", png}, 0, terminal.DemoStore, nil},
		{"number in lower case", []string{"--order", "w-24004"}, 0, terminal.DemoStore, nil},
		{"expired", []string{"--order", "W-24001", "--valid", "-1h"}, 0, terminal.DemoStore, wire.ErrQRExpired},
		{"forged", []string{"--order", "W-24001", "--forge"}, 0, "", wire.ErrQRSignature},
		{"another store", []string{"--order", "W-24002", "--store", "store-2"}, 0, "store-2", nil},
		{"unknown order", []string{"--order", "W-1"}, 1, "", nil},
		{"no order", nil, 2, "", nil},
	}
	keys := terminal.DemoKeys()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(append([]string{"demo-qr", "pickup"}, tt.args...), &out, &errOut)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.wantCode, errOut.String())
			}
			if code != 0 {
				if !strings.Contains(errOut.String(), "W-24006  8013") {
					t.Errorf("the usage does not list the demo orders:\n%s", errOut.String())
				}
				return
			}
			q, err := wire.VerifyPickupQR(strings.TrimSpace(out.String()), keys.QRKey, time.Now())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("verify: %v, want %v", err, tt.wantErr)
			}
			if tt.wantStore != "" && (q.Store != tt.wantStore || q.Order != hub.PickupOrderID(tt.wantStore, q.Number)) {
				t.Errorf("QR %+v", q)
			}
		})
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() < 500 {
		t.Errorf("QR image: %v", err)
	}
}
