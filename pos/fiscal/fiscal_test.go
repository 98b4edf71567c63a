package fiscal

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
)

func TestFiscalise(t *testing.T) {
	tests := []struct {
		name            string
		items           []item
		receiptDiscount pos.Money
		pay             func(pos.Money) []pos.Payment
		wantPositions   int
	}{
		{
			name: "pieces, weighed, 22/10/без НДС, line and receipt discounts, cash with change",
			items: []item{
				{p: bread, qty: pos.Pieces(3), discount: 100}, // 188,70 − 1,00 does not divide by 3
				{p: coffee, qty: pos.Pieces(1)},
				{p: cheese, qty: 512, discount: 749},
				{p: book, qty: pos.Pieces(2)},
			},
			receiptDiscount: 1000,
			pay:             cash(500000),
			wantPositions:   5,
		},
		{
			name:          "no discounts, card",
			items:         []item{{p: bread, qty: pos.Pieces(2)}, {p: cheese, qty: 734}},
			pay:           card,
			wantPositions: 2,
		},
		{
			name:            "weighed line over 2 kg with a share of the receipt discount",
			items:           []item{{p: potato, qty: 10000}, {p: bread, qty: pos.Pieces(1)}},
			receiptDiscount: 105,
			pay:             cash(0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBench(t, benchOpts{})
			b.openShift(t)
			ctx := context.Background()
			sale := saleOf(t, tt.items, tt.receiptDiscount, tt.pay)

			res, err := b.reg.Fiscalise(ctx, sale)
			if err != nil {
				t.Fatalf("Fiscalise: %v", err)
			}
			if res.FNSerial != emulator.DefaultFNSerial {
				t.Errorf("FNSerial = %q, want %q", res.FNSerial, emulator.DefaultFNSerial)
			}
			doc, err := b.reg.FindDocument(ctx, res.FDNumber)
			if err != nil {
				t.Fatalf("FindDocument(%d): %v", res.FDNumber, err)
			}
			want := pos.FiscalDocument{FDNumber: res.FDNumber, FiscalSign: res.FiscalSign, At: res.At, Sum: sale.Total,
				SaleReceipt: true}
			if doc != want {
				t.Errorf("FindDocument = %+v, want %+v", doc, want)
			}
			if !res.At.Equal(start) {
				t.Errorf("At = %v, want the device's document time %v", res.At, start)
			}

			st := b.dev.Snapshot()
			if st.ReceiptOpen() {
				t.Error("a receipt is still open after a successful sale")
			}
			last := st.Documents[len(st.Documents)-1]
			if last.Number != res.FDNumber || last.Sum != int64(sale.Total) || last.FiscalSign != res.FiscalSign {
				t.Errorf("ФН holds %+v, adapter answered %+v for total %d", last, res, sale.Total)
			}
			if tt.wantPositions != 0 {
				if n := strings.Count(b.dev.Tape(), "  НДС ") + strings.Count(b.dev.Tape(), "  БЕЗ НДС"); n != tt.wantPositions {
					t.Errorf("%d positions printed, want %d", n, tt.wantPositions)
				}
			}
			itog := "=" + sale.Total.String()
			if !tapeHas(b.dev.Tape(), "ИТОГ", itog) {
				t.Errorf("tape has no ИТОГ %s:\n%s", itog, b.dev.Tape())
			}
		})
	}
}

// tapeHas reports whether a printed line starts with label and ends with value.
func tapeHas(tape, label, value string) bool {
	for _, l := range strings.Split(tape, "\n") {
		if strings.HasPrefix(l, label) && strings.HasSuffix(l, value) {
			return true
		}
	}
	return false
}

func TestPositions(t *testing.T) {
	tests := []struct {
		name string
		line pos.Line
		want []position
	}{
		{
			name: "no discount",
			line: pos.Line{Price: 6290, Qty: pos.Pieces(3), Sum: 18870},
			want: []position{{pos.Pieces(3), 6290, 18870}},
		},
		{
			name: "weighed, no discount",
			line: pos.Line{Price: 149900, Qty: 512, Unit: pos.UnitKg, Sum: 76749},
			want: []position{{512, 149900, 76749}},
		},
		{
			name: "discounted pieces that divide evenly",
			line: pos.Line{Price: 6290, Qty: pos.Pieces(3), Discount: 270, Sum: 18600},
			want: []position{{pos.Pieces(3), 6200, 18600}},
		},
		{
			name: "discounted pieces that do not divide: two positions, every kopeck kept",
			line: pos.Line{Price: 6290, Qty: pos.Pieces(3), Discount: 100, Sum: 18770},
			want: []position{{pos.Pieces(2), 6256, 12512}, {pos.QtyOne, 6258, 6258}},
		},
		{
			name: "one discounted piece",
			line: pos.Line{Price: 34900, Qty: pos.QtyOne, Discount: 1, Sum: 34899},
			want: []position{{pos.QtyOne, 34899, 34899}},
		},
		{
			name: "weighed with discount: the discounted price per kilogram",
			line: pos.Line{Price: 149900, Qty: 512, Unit: pos.UnitKg, Discount: 749, Sum: 76000},
			want: []position{{512, 148438, 76000}},
		},
		{
			name: "heavy weighed line whose discounted sum no price per kilogram reaches",
			line: pos.Line{Price: 4990, Qty: 10000, Unit: pos.UnitKg, Discount: 95, Sum: 49805},
			want: []position{{9999, 4980, 49795}, {1, 10000, 10}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := positions(tt.line)
			if len(got) != len(tt.want) {
				t.Fatalf("positions = %+v, want %+v", got, tt.want)
			}
			var qty pos.Qty
			var sum pos.Money
			for i, p := range got {
				if p != tt.want[i] {
					t.Errorf("position %d = %+v, want %+v", i, p, tt.want[i])
				}
				// The device refuses a sum more than a kopeck away from price × quantity.
				if d := p.price.Times(p.qty) - p.sum; d > 1 || d < -1 {
					t.Errorf("position %d: %s × %s is %s off its sum %s", i, p.price, p.qty, d, p.sum)
				}
				qty += p.qty
				sum += p.sum
			}
			if qty != tt.line.Qty || sum != tt.line.Sum {
				t.Errorf("positions add up to %s for %s, want %s for %s", qty, sum, tt.line.Qty, tt.line.Sum)
			}
		})
	}
}

func TestTaxCode(t *testing.T) {
	nano := Config{TaxCodes: map[pos.VATRate]byte{pos.VAT22: 0x90, pos.VAT22_122: 0xA0}}
	tests := []struct {
		name string
		cfg  Config
		rate pos.VATRate
		want byte
	}{
		{"22 % classic firmware", Config{}, pos.VAT22, kkt.TaxVAT22},
		{"22/122 classic firmware", Config{}, pos.VAT22_122, kkt.TaxVAT22_122},
		{"20 %", Config{}, pos.VAT20, kkt.TaxVAT20},
		{"10 %", Config{}, pos.VAT10, kkt.TaxVAT10},
		{"0 %", Config{}, pos.VAT0, kkt.TaxVAT0},
		{"без НДС", Config{}, pos.VATNone, kkt.TaxNone},
		{"20/120", Config{}, pos.VAT20_120, kkt.TaxVAT20_120},
		{"10/110", Config{}, pos.VAT10_110, kkt.TaxVAT10_110},
		{"22 % Nano firmware", nano, pos.VAT22, 0x90},
		{"22/122 Nano firmware", nano, pos.VAT22_122, 0xA0},
		{"override leaves other rates alone", nano, pos.VAT10, kkt.TaxVAT10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New(nil, tt.cfg).TaxCode(tt.rate)
			if err != nil || got != tt.want {
				t.Errorf("TaxCode(%v) = 0x%02X, %v; want 0x%02X", tt.rate, got, err, tt.want)
			}
		})
	}
	if _, err := New(nil, Config{}).TaxCode(pos.VATRate(99)); err == nil {
		t.Error("TaxCode of an unknown rate gave no error")
	}
}

func TestUnknownRateRefusedBeforeTheDevice(t *testing.T) {
	var commands atomic.Int32
	var armed atomic.Bool // the shift is open: count from here
	b := newBench(t, benchOpts{onCommand: func(cmd kkt.Command, stage emulator.Stage) {
		if stage == emulator.StageReceived && armed.Load() {
			commands.Add(1)
		}
	}})
	b.openShift(t)
	armed.Store(true)
	odd := bread
	odd.ID = "100009"
	odd.VAT = pos.VATRate(99)
	sale := saleOf(t, []item{{p: bread, qty: pos.QtyOne}, {p: odd, qty: pos.QtyOne}}, 0, cash(0))

	_, err := b.reg.Fiscalise(context.Background(), sale)
	if !errors.Is(err, pos.ErrNotFiscalised) {
		t.Fatalf("Fiscalise = %v, want ErrNotFiscalised", err)
	}
	st := b.dev.Snapshot()
	if st.ReceiptOpen() || st.LastFD != 1 {
		t.Errorf("device touched: receipt open %v, last FD %d", st.ReceiptOpen(), st.LastFD)
	}
	if n := commands.Load(); n != 0 {
		t.Errorf("%d commands reached the device", n)
	}
}

// FuzzPositions checks that any line the cart can make becomes positions the device accepts and that
// add up to the line.
func FuzzPositions(f *testing.F) {
	f.Add(int64(6290), int64(3000), int64(100), false)
	f.Add(int64(149900), int64(512), int64(749), true)
	f.Add(int64(4990), int64(10000), int64(95), true)
	f.Fuzz(func(t *testing.T, price, qty, discount int64, kg bool) {
		if price <= 0 || price > 1e9 || qty <= 0 || qty > 99_999_000 || (!kg && qty%1000 != 0) {
			return
		}
		l := pos.Line{Price: pos.Money(price), Qty: pos.Qty(qty)}
		if kg {
			l.Unit = pos.UnitKg
		}
		gross := l.Price.Times(l.Qty)
		if discount < 0 || pos.Money(discount) >= gross {
			return
		}
		l.Discount, l.Sum = pos.Money(discount), gross-pos.Money(discount)
		var q pos.Qty
		var s pos.Money
		for _, p := range positions(l) {
			if p.qty <= 0 || p.price < 0 || p.sum < 0 {
				t.Fatalf("%+v: bad position %+v", l, p)
			}
			if d := p.price.Times(p.qty) - p.sum; d > 1 || d < -1 {
				t.Fatalf("%+v: position %+v is %d off", l, p, d)
			}
			q, s = q+p.qty, s+p.sum
		}
		if q != l.Qty || s != l.Sum {
			t.Fatalf("%+v: positions add up to %s for %s", l, q, s)
		}
	})
}
