package terminal

import (
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/pickup"
)

// TestPickupSlipLayout pins the pickup slip as the printer decodes it: a prepaid order with a refused
// line whose prepayment goes back, and an order paid at the desk with change.
func TestPickupSlipLayout(t *testing.T) {
	at := time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	water := pos.Line{Name: "Вода Святой Источник газированная 1,5 л", Price: 6990, Qty: pos.QtyOne, Sum: 6990, Marking: "km"}
	bread := pos.Line{Name: "Хлеб Дарницкий формовой 700 г", Price: 6290, Qty: pos.Pieces(2), Sum: 12580}
	tests := []struct {
		name string
		slip pickup.Slip
		cols int
	}{
		{"pickup_refused_32", pickup.Slip{Number: "W-24001", Customer: "Анна П.", Staff: "Петров В.", HandedAt: at,
			Lines: []pos.Line{bread, water}, Total: 19570, Offset: 19570, Refund: 6990, SaleFD: 12, RefundFD: 13,
			Refused: []pos.PickupRefusal{{Name: water.Name, Qty: pos.QtyOne, Reason: "Брак / повреждение"}}}, 32},
		{"pickup_paid_48", pickup.Slip{Number: "W-24002", Customer: "Иван С.", Staff: "Петров В.", HandedAt: at,
			Lines: []pos.Line{bread}, Total: 12580, Paid: 20000, Change: 7420, SaleFD: 14}, 48},
	}
	head := SlipHeader{Shop: "Продукты у дома", Terminal: "desk-1", Printed: at}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof, err := PrinterOptions{Width: tt.cols}.Profile()
			if err != nil {
				t.Fatal(err)
			}
			dec, err := escpos.Decode(escpos.SlipDocument(prof, PickupSlip(tt.slip, head)).Bytes())
			if err != nil {
				t.Fatal(err)
			}
			lines := dec.Lines()
			for _, l := range lines {
				if n := len([]rune(l)); n > tt.cols {
					t.Errorf("line %q is %d characters, the paper has %d", l, n, tt.cols)
				}
			}
			golden(t, tt.name+".txt", []byte(strings.Join(lines, "\n")+"\n"))
		})
	}
}
