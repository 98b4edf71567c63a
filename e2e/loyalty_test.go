//go:build e2e

package e2e

import (
	"testing"
	"time"
)

// TestTillLoyaltyCustomer sells to a loyalty customer: a product, then the customer's card scanned into the
// same input line; the panel under the totals shows the customer. After the payment the hub's loyalty
// ledger holds the points this sale earned, under the sale's id.
func TestTillLoyaltyCustomer(t *testing.T) {
	s := newSession(t)
	const card, customer = "2700000000014", "c-1001" // the demo's gold customer Анна П.
	code, name, _ := demoBarcode(t)

	k := s.startKassa("--demo")
	k.waitLog("terminal ready", 60*time.Second)
	k.waitWindow()
	k.login(demoCashierPIN)
	s.xdotool("mousemove", "1279", "799") // the pointer out of the way of the cart

	s.scan(code)
	time.Sleep(700 * time.Millisecond)
	s.scan(card)
	time.Sleep(time.Second)
	s.screenshot("till_loyalty.png")

	// Pay in cash as TestTillSellsAndSyncs does: Подытог, Enter opens the shift, 5000 and Enter.
	s.xdotool("key", "KP_Add")
	time.Sleep(700 * time.Millisecond)
	s.xdotool("key", "Return")
	time.Sleep(2 * time.Second)
	s.xdotool("type", "--delay", "20", "5000")
	s.xdotool("key", "Return")
	k.waitSynced(3) // the shift, the sale and its accrual
	k.stop()

	sales := jsonLines(t, k.hub("sales", "--format", "json"))
	if len(sales) != 1 {
		t.Fatalf("the hub holds %d sales, want 1: %v", len(sales), sales)
	}
	sale, _ := sales[0]["event_id"].(string)
	ledger := jsonLines(t, k.hub("loyalty", "ledger", "--customer", customer, "--format", "json"))
	var earned float64
	for _, e := range ledger {
		if e["kind"] == "loyalty_accrual" && e["sale"] == sale {
			earned, _ = e["points"].(float64)
		}
	}
	if earned <= 0 {
		t.Fatalf("the hub's ledger of %s has no accrual for sale %s (%s):\n%v", customer, sale, name, ledger)
	}
	totals := reportTotals(t, k.hub("report", "--format", "json"))
	if totals["loyalty_sales"] != 1 {
		t.Fatalf("the hub's report counts %v sales to loyalty customers, want 1", totals["loyalty_sales"])
	}
	t.Logf("%s earned %.0f kopecks of points on sale %s", customer, earned, sale)
}
