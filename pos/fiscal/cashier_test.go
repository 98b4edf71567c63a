package fiscal

import (
	"context"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

// TestSetCashierINN: after a login the receipt carries that cashier's INN (1203) with the name (1021),
// and a cashier without an INN sends none, whatever Config.CashierINN says.
func TestSetCashierINN(t *testing.T) {
	b := newBench(t, benchOpts{cfg: Config{CashierINN: "500100732259"}})
	ctx := context.Background()
	b.openShift(t)
	for _, c := range []struct {
		name, inn string
		wantINN   bool
	}{
		{"Петрова", "500100732259", true},
		{"Иванова", "", false},
	} {
		b.reg.SetCashier(c.name, c.inn)
		before := b.dev.Tape()
		s := saleOf(t, []item{{p: bread, qty: pos.QtyOne}}, 0, cash(0))
		s.Cashier = c.name
		if _, err := b.reg.Fiscalise(ctx, s); err != nil {
			t.Fatal(err)
		}
		receipt := strings.TrimPrefix(b.dev.Tape(), before)
		if !tapeHas(receipt, "КАССИР", c.name) || tapeHas(receipt, "ИНН КАССИРА", "500100732259") != c.wantINN {
			t.Errorf("%s: receipt\n%s", c.name, receipt)
		}
	}
}
