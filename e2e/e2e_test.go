//go:build e2e

// Package e2e drives the real Kassa windows under Xvfb the way a store does: xdotool types demo codes
// like a keyboard-wedge scanner and taps the kiosk's touch screen; the tests check what reached the hub.
// The till sells and pays (this file) and recognises a loyalty customer (loyalty_test.go), the kiosk
// makes a signed basket QR (kiosk_test.go), the pickup desk verifies and hands over an order
// (pickup_test.go). Screenshots go to e2e/out for a person to look at. Run with `make e2e`.
package e2e

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/pos"
)

// demoBarcode is the first product of the demo catalog with a barcode, and its price line.
func demoBarcode(t *testing.T) (code, name, price string) {
	sc := bufio.NewScanner(bytes.NewReader(assets.DemoCatalogCSV))
	sc.Scan() // header
	for sc.Scan() {
		f := strings.Split(sc.Text(), ";")
		if len(f) >= 4 && f[1] != "" {
			return strings.Split(f[1], ",")[0], f[2], f[3]
		}
	}
	t.Fatal("the demo catalog has no product with a barcode")
	return
}

func TestTillSellsAndSyncs(t *testing.T) {
	s := newSession(t)
	code, name, price := demoBarcode(t)
	t.Logf("selling %s (%s, %s ₽)", code, name, price)

	k := s.startKassa("--demo")
	k.waitLog("terminal ready", 60*time.Second)
	k.waitWindow()
	s.screenshot("00-login.png")
	k.login(demoCashierPIN)
	s.screenshot("01-till-empty.png")

	s.scan(code)
	time.Sleep(700 * time.Millisecond)
	s.screenshot("02-till-scanned.png")

	// Подытог. The demo starts with the shift closed: the till offers to open it (Enter), then pays.
	s.xdotool("key", "KP_Add")
	time.Sleep(700 * time.Millisecond)
	s.screenshot("03-open-shift.png")
	s.xdotool("key", "Return")
	time.Sleep(2 * time.Second)
	s.screenshot("04-payment.png")
	s.xdotool("type", "--delay", "20", "5000")
	s.xdotool("key", "Return")
	time.Sleep(3 * time.Second)
	s.screenshot("05-paid.png")

	// Let the replayer deliver (the shift and the sale), then close the till as a cashier would at night.
	k.waitSynced(2)
	k.stop()

	out := k.hub("sales", "--format", "json")
	sales := jsonLines(t, out)
	if len(sales) != 1 {
		t.Fatalf("the hub holds %d sales, want 1:\n%s", len(sales), out)
	}
	want, err := pos.ParseMoney(price)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := sales[0]["total"].(float64); pos.Money(got) != want {
		t.Fatalf("the hub's sale totals %v kopecks, want %d", sales[0]["total"], want)
	}
	t.Logf("the hub has the sale: %v", sales[0])
}
