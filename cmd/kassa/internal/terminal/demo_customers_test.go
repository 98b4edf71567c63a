package terminal

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/loyalty"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The demo: the embedded hub has the demo customers, the till pulls them and recognises each by card,
// dictated phone and app code; a sale with points reaches the hub's ledger. Reopened, the hub keeps the
// balances the sales moved instead of importing the customers again.
func TestDemoLoyaltyCustomers(t *testing.T) {
	dir := t.TempDir()
	term, stop := openDemo(t, dir)
	ctx := context.Background()
	if term.Loyalty == nil {
		t.Fatal("the demo has no loyalty programme")
	}
	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	if _, err := term.Till.Scan(demoBarcode, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := term.Till.IdentifyCustomer(DemoCustomers[0].Card); !errors.Is(err, loyalty.ErrNoCustomers) {
		t.Errorf("before the first pull: %v, want ErrNoCustomers", err)
	}
	if _, err := term.Puller.PullOnce(ctx); err != nil {
		t.Fatal(err)
	}
	code, err := wire.SignLoyaltyQR(wire.LoyaltyQR{Customer: "c-1004", Issued: time.Now().Add(-time.Minute),
		Expires: time.Now().Add(4 * time.Minute)}, DemoKeyID, DemoKeys().QR[DemoKeyID])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text, id, name string
		via            loyalty.Via
	}{
		{"2700000000021", "c-1002", "Олег С.", loyalty.ViaCard},
		{"+7 900 000-00-03", "c-1003", "Мария К.", loyalty.ViaPhone},
		{code, "c-1004", "Иван Д.", loyalty.ViaAppQR},
		{DemoCustomers[0].Card, "c-1001", "Анна П.", loyalty.ViaCard},
	} {
		got, err := term.Till.IdentifyCustomer(c.text)
		if err != nil || got.ID != c.id || got.Name != c.name || got.Via != c.via {
			t.Errorf("IdentifyCustomer(%.24q) = %+v, %v; want %s %s via %s", c.text, got, err, c.id, c.name, c.via)
		}
	}
	if !term.Till.IsLoyaltyCode(DemoCustomers[4].Card) || !term.Till.IsLoyaltyCode(code) {
		t.Error("the demo card or app code is not a loyalty code for the scan field")
	}
	// Анна's personal offer: 10 % off milk 100002 (109,90), applied as the milk is scanned.
	milk, err := term.Till.Scan("4601111111119", 0)
	if err != nil {
		t.Fatal(err)
	}
	applied := term.Till.AppliedOffers()
	if len(applied) != 1 || applied[0].ID != "a-milk" || applied[0].Discount != 1099 ||
		term.Till.Cart().Lines()[milk.Line].Discount != 1099 {
		t.Errorf("Анна's offers on milk: %+v, line %+v", applied, term.Till.Cart().Lines()[milk.Line])
	}
	spent, err := term.Till.RedeemPoints(0)
	if err != nil || spent <= 0 {
		t.Fatalf("RedeemPoints = %s, %v", spent, err)
	}
	total := term.Till.Cart().Totals().Total
	sale, err := term.Till.Pay(ctx, []pos.Payment{{Method: pos.PayCash, Amount: total}})
	if err != nil || sale.Loyalty.Customer != "c-1001" || sale.Loyalty.Redeemed != spent {
		t.Fatalf("Pay = %+v, %v", sale.Loyalty, err)
	}
	waitFor(t, "the points at the hub", func() (bool, error) {
		entries, err := term.Hub.Storage.Ledger(ctx, "c-1001")
		return len(entries) == 3, err // the import, the redemption, the accrual
	})
	stop()

	term, _ = openDemo(t, dir)
	entries, err := term.Hub.Storage.Ledger(ctx, "c-1001")
	if err != nil || len(entries) != 3 || entries[0].Kind != hub.KindImport {
		t.Errorf("after reopening, the ledger of c-1001 is %+v, %v: imported again?", entries, err)
	}
}
