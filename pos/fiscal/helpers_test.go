package fiscal

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/cart"
)

// start is a whole minute, as the ФН records document times.
var start = time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC)

// clock is the emulator's clock, moved by the test while the device serves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// bench is an adapter talking to the real emulator over an in-memory line.
type bench struct {
	reg   *Register
	dev   *emulator.Device
	clock *clock
	host  net.Conn // the adapter's end of the line; closing it pulls the cable
}

type benchOpts struct {
	cfg         Config
	onCommand   func(cmd kkt.Command, stage emulator.Stage)
	rejectMarks map[string]byte // emulator.Config.RejectMarks
}

func newBench(t *testing.T, o benchOpts) *bench {
	t.Helper()
	clk := &clock{t: start}
	dev, err := emulator.New(emulator.Config{Now: clk.Now, OnCommand: o.onCommand, RejectMarks: o.rejectMarks})
	if err != nil {
		t.Fatal(err)
	}
	host, line := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = dev.Serve(ctx, line) }()
	t.Cleanup(func() { cancel(); host.Close(); line.Close(); <-done })
	drv := kkt.NewDriver(host, kkt.Config{Location: time.UTC})
	return &bench{reg: New(drv, o.cfg), dev: dev, clock: clk, host: host}
}

// openShift opens the device's shift directly, as a shift opened earlier would be.
func (b *bench) openShift(t *testing.T) {
	t.Helper()
	if err := b.reg.OpenShift(context.Background(), "Иванова"); err != nil {
		t.Fatal(err)
	}
}

// item is one scan of a product with an optional line discount.
type item struct {
	p        pos.Product
	qty      pos.Qty
	discount pos.Money
}

// saleOf builds a paid sale the way the till does: lines and totals from pos/cart.
func saleOf(t *testing.T, items []item, receiptDiscount pos.Money, pay func(total pos.Money) []pos.Payment) pos.Sale {
	t.Helper()
	c := cart.New()
	for _, it := range items {
		i, err := c.Add(it.p, it.qty, "")
		if err != nil {
			t.Fatal(err)
		}
		if it.discount != 0 {
			if err := c.SetLineDiscount(i, it.discount); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := c.SetReceiptDiscount(receiptDiscount); err != nil {
		t.Fatal(err)
	}
	tot := c.Totals()
	payments := pay(tot.Total)
	change, err := cart.Settle(tot.Total, payments)
	if err != nil {
		t.Fatal(err)
	}
	return pos.Sale{ID: "0190c6b0-0000-7000-8000-000000000001", Terminal: "till-1", Cashier: "Иванова", Shift: 1,
		CreatedAt: start, Lines: c.Lines(), Total: tot.Total, VAT: tot.VAT, Payments: payments, Change: change,
		Status: pos.SalePending}
}

func cash(amount pos.Money) func(pos.Money) []pos.Payment {
	return func(total pos.Money) []pos.Payment {
		if amount == 0 {
			amount = total
		}
		return []pos.Payment{{Method: pos.PayCash, Amount: amount}}
	}
}

func card(total pos.Money) []pos.Payment { return []pos.Payment{{Method: pos.PayCard, Amount: total}} }

var (
	bread  = pos.Product{ID: "100001", Name: "Хлеб Дарницкий формовой 700 г", Price: 6290, VAT: pos.VAT10}
	coffee = pos.Product{ID: "100002", Name: "Кофе молотый 250 г", Price: 34900, VAT: pos.VAT22}
	cheese = pos.Product{ID: "200001", Name: "Сыр Российский весовой", Price: 149900, VAT: pos.VAT10, Unit: pos.UnitKg}
	potato = pos.Product{ID: "200002", Name: "Картофель весовой", Price: 4990, VAT: pos.VAT10, Unit: pos.UnitKg}
	book   = pos.Product{ID: "300001", Name: "Книга «Азбука»", Price: 45000, VAT: pos.VATNone}
)
