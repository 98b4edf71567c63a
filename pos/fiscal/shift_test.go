package fiscal

import (
	"context"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

// TestCashierAndBuyerTLVs follows tags 1021, 1203 and 1008 onto the documents the emulator prints: the
// shift-open report, a receipt and the Z report.
func TestCashierAndBuyerTLVs(t *testing.T) {
	tests := []struct {
		name     string
		inn      string
		buyer    string
		wantCmds string // the shift opening
		want     [][2]string
		dont     []string
	}{
		{name: "name only", wantCmds: "FF41 FF0C E0",
			want: [][2]string{{"КАССИР", "Иванова"}}, dont: []string{"ИНН КАССИРА", "ЭЛ. АДР. ПОКУПАТЕЛЯ"}},
		{name: "name and INN, phone", inn: "500100732259", buyer: "+79161234567", wantCmds: "FF41 FF0C E0",
			want: [][2]string{{"КАССИР", "Иванова"}, {"ИНН КАССИРА", "500100732259"}, {"ЭЛ. АДР. ПОКУПАТЕЛЯ", "+79161234567"}}},
		{name: "an INN that is not 12 digits is not sent", inn: "7700000000", buyer: "ivanova@mail.ru", wantCmds: "FF41 FF0C E0",
			want: [][2]string{{"ЭЛ. АДР. ПОКУПАТЕЛЯ", "ivanova@mail.ru"}}, dont: []string{"ИНН КАССИРА"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{armed: true}
			b := newBench(t, benchOpts{cfg: Config{CashierINN: tt.inn}, onCommand: rec.onCommand})
			ctx := context.Background()
			b.openShift(t)
			if got := rec.String(); got != tt.wantCmds {
				t.Errorf("shift opened with %s, want %s", got, tt.wantCmds)
			}
			opening := b.dev.Tape()
			if !tapeHas(opening, "КАССИР", "Иванова") {
				t.Errorf("the shift-open report names no cashier:\n%s", opening)
			}
			if (tt.inn == "500100732259") != tapeHas(opening, "ИНН КАССИРА", tt.inn) {
				t.Errorf("cashier INN %q on the shift-open report:\n%s", tt.inn, opening)
			}

			s := saleOf(t, []item{{p: bread, qty: pos.QtyOne}}, 0, cash(0))
			s.Cashier, s.Buyer = "Иванова", tt.buyer
			if _, err := b.reg.Fiscalise(ctx, s); err != nil {
				t.Fatal(err)
			}
			receipt := strings.TrimPrefix(b.dev.Tape(), opening)
			for _, w := range tt.want {
				if !tapeHas(receipt, w[0], w[1]) {
					t.Errorf("the receipt has no %s %s:\n%s", w[0], w[1], receipt)
				}
			}
			for _, d := range tt.dont {
				if strings.Contains(receipt, d) {
					t.Errorf("the receipt has %s:\n%s", d, receipt)
				}
			}

			if err := b.reg.CloseShift(ctx); err != nil {
				t.Fatal(err)
			}
			z := strings.TrimPrefix(b.dev.Tape(), opening+receipt)
			if !strings.Contains(z, "ОТЧЁТ О ЗАКРЫТИИ СМЕНЫ") || !tapeHas(z, "КАССИР", "Иванова") {
				t.Errorf("the Z report names no cashier:\n%s", z)
			}
		})
	}
}
