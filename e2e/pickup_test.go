//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

// w24001 is the demo order W-24001 (cmd/kassa/internal/terminal/demo_pickup.go), paid online: what the
// desk scans to verify it. The marked water is scanned by each pack's DataMatrix (assets/catalog.go),
// with Ctrl+] for GS as a keyboard-wedge scanner sends it.
var w24001 = []struct {
	code   string
	pieces int
	packs  [][2]string // DataMatrix of each pack: before GS, after GS
}{
	{code: "4601234567893", pieces: 2},
	{code: "4601111111119", pieces: 1},
	{code: "4690421631110", pieces: 2, packs: [][2]string{
		{"0104690421631110215WtrDemo00001", "93Demo"}, {"0104690421631110215WtrDemo00002", "93Demo"}}},
}

// TestPickupHandsOverOrder runs the click&collect desk: the list of orders waiting, the customer's signed
// pickup QR typed in by the scanner, every item scanned (the marked water by its DataMatrix), and the
// hand-over (F10), which the hub then counts as a pickup sale for the order's total.
func TestPickupHandsOverOrder(t *testing.T) {
	s := newSession(t)
	payload := strings.TrimSpace(s.run("kassa", "demo-qr", "pickup", "--order", "W-24001"))
	q, err := wire.VerifyPickupQR(payload, demoQRKey, time.Now())
	if err != nil || q.Number != "W-24001" || q.Store != "demo-store" {
		t.Fatalf("kassa demo-qr pickup printed %q: %+v, %v", payload, q, err)
	}
	var total pos.Money
	for _, it := range w24001 {
		_, _, price := demoProduct(t, it.code)
		total += price.Times(pos.Qty(it.pieces) * pos.QtyOne)
	}

	k := s.startKassa("--demo", "--mode", "pickup")
	k.waitLog("pickup desk ready", 60*time.Second)
	k.waitWindow()
	k.login(demoCashierPIN)
	s.xdotool("mousemove", "1279", "799") // the pointer out of the way of the list
	s.screenshot("pickup_list.png")

	s.scan(payload)
	time.Sleep(700 * time.Millisecond)
	s.screenshot("pickup_order.png")
	for _, it := range w24001 {
		if len(it.packs) == 0 {
			for range it.pieces {
				s.scan(it.code)
				time.Sleep(300 * time.Millisecond)
			}
			continue
		}
		for _, dm := range it.packs {
			s.xdotool("type", "--delay", "10", dm[0])
			s.xdotool("key", "ctrl+bracketright")
			s.scan(dm[1])
			time.Sleep(300 * time.Millisecond)
		}
	}
	time.Sleep(700 * time.Millisecond)
	s.screenshot("pickup_verify.png")

	// F10 hands over: the desk asks to confirm (Enter), opens the shift if needed, and the register prints
	// the settlement by the online prepayment.
	s.xdotool("key", "F10")
	time.Sleep(time.Second)
	s.xdotool("key", "Return")
	k.waitSynced(3) // the shift, the settlement, the hand-over
	s.screenshot("pickup_handed.png")
	k.stop()

	out := k.hub("sales", "--format", "json")
	sales := jsonLines(t, out)
	if len(sales) != 1 {
		t.Fatalf("the hub holds %d sales, want the hand-over's settlement:\n%s", len(sales), out)
	}
	if got, _ := sales[0]["total"].(float64); pos.Money(got) != total {
		t.Fatalf("the settlement totals %v kopecks, want the whole order, %d: was every item scanned?", sales[0]["total"], total)
	}
	totals := reportTotals(t, k.hub("report", "--format", "json"))
	if totals["pickups_handed_out"] != 1 || totals["pickup_sales"] != 1 || pos.Money(totals["pickup_sum"]) != total {
		t.Fatalf("the hub's report: pickups_handed_out %v, pickup_sales %v, pickup_sum %v; want 1, 1, %d",
			totals["pickups_handed_out"], totals["pickup_sales"], totals["pickup_sum"], total)
	}
}
