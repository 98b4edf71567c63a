package checkout

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

var (
	milk   = pos.Product{ID: "1001", Name: "Молоко 3,2% 930 мл", Barcodes: []string{"4607001771401"}, Price: 8990, VAT: pos.VAT10}
	apples = pos.Product{ID: "3003", Name: "Яблоки Гала", PLU: "12345", Price: 14900, VAT: pos.VAT10, Unit: pos.UnitKg}
	cash   = func(m pos.Money) []pos.Payment { return []pos.Payment{{Method: pos.PayCash, Amount: m}} }
)

type rig struct {
	till  *Till
	store *memStore
	reg   *fakeRegister
	now   time.Time
	steps []Step
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{store: newMemStore(milk, apples), reg: &fakeRegister{},
		now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	n := 0
	r.till = New(Config{
		Store: r.store, Register: r.reg, Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()),
		Terminal: "till-1", Now: func() time.Time { return r.now },
		NewID: func() string { n++; return fmt.Sprintf("sale-%d", n) },
		Step:  func(s Step) { r.steps = append(r.steps, s) },
	})
	if _, err := r.till.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.till.OpenShift(context.Background(), "Иванова А."); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestScan(t *testing.T) {
	for _, c := range []struct {
		name    string
		text    string
		qty     pos.Qty
		wantQty pos.Qty
		err     error
	}{
		{"ean-13", "4607001771401", 0, 1000, nil},
		{"n* quantity", "4607001771401", 3000, 3000, nil},
		{"weight label", "2112345012346", 0, 1234, nil},
		{"plu typed", "12345", 500, 500, nil},
		{"plu typed without weight", "12345", 0, 0, pos.ErrNeedsWeight},
		{"unknown", "4600000000008", 0, 0, pos.ErrUnknownBarcode},
		{"bad check digit", "4607001771402", 0, 0, pos.ErrInvalidBarcode},
		{"garbage", "hello", 0, 0, pos.ErrUnknownBarcode},
		{"unknown article", "777", 0, 0, pos.ErrUnknownBarcode},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			res, err := r.till.Scan(c.text, c.qty)
			if !errors.Is(err, c.err) {
				t.Fatalf("Scan(%q) err = %v, want %v", c.text, err, c.err)
			}
			if err != nil {
				if r.till.Cart().Len() != 0 {
					t.Error("a failed scan changed the cart")
				}
				return
			}
			if got := r.till.Cart().Lines()[res.Line].Qty; got != c.wantQty {
				t.Errorf("qty = %s, want %s", got, c.wantQty)
			}
		})
	}
}

func TestPayDurabilityOrder(t *testing.T) {
	r := newRig(t)
	mustScan(t, r, "4607001771401")
	sale, err := r.till.Pay(context.Background(), cash(10000))
	if err != nil {
		t.Fatal(err)
	}
	if sale.Status != pos.SaleFiscalised || sale.Change != 1010 || sale.Fiscal == nil || sale.FDBefore != 1 {
		t.Fatalf("sale = %+v", sale)
	}
	if fmt.Sprint(r.steps) != "[pending fiscalised]" {
		t.Errorf("steps = %v", r.steps)
	}
	if !r.till.Cart().Empty() {
		t.Error("cart not cleared after a fiscalised sale")
	}
	if fmt.Sprint(r.store.events) != "[shift_open:1 sale:sale-1]" {
		t.Errorf("outbox = %v", r.store.events)
	}
}

func TestPayRefusals(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(r *rig)
		pay   []pos.Payment
		err   error
	}{
		{"empty cart", func(r *rig) { r.till.ClearCart() }, cash(100), pos.ErrEmptyCart},
		{"underpaid", nil, cash(100), pos.ErrUnderpaid},
		{"shift closed", func(r *rig) {
			if err := r.till.CloseShift(context.Background()); err != nil {
				panic(err)
			}
		}, cash(10000), pos.ErrShiftClosed},
		{"shift over 24 h", func(r *rig) { r.now = r.now.Add(25 * time.Hour) }, cash(10000), pos.ErrShiftExpired},
		{"register offline", func(r *rig) { r.reg.offline = true }, cash(10000), pos.ErrRegisterOffline},
		{"register refuses", func(r *rig) { r.reg.failNext = "refuse" }, cash(10000), pos.ErrPaperOut},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			mustScan(t, r, "4607001771401")
			if c.setup != nil {
				c.setup(r)
			}
			before := r.till.Cart().Len()
			_, err := r.till.Pay(context.Background(), c.pay)
			if !errors.Is(err, c.err) {
				t.Fatalf("Pay err = %v, want %v", err, c.err)
			}
			if r.till.Cart().Len() != before {
				t.Error("a refused payment lost the cart")
			}
			if r.reg.fiscalised != 0 {
				t.Error("a refused payment fiscalised something")
			}
			for _, s := range r.store.sales {
				if s.Status == pos.SalePending {
					t.Errorf("sale %s left pending", s.ID)
				}
			}
		})
	}
}

func TestPayWithLostAnswer(t *testing.T) {
	for _, c := range []struct {
		fail           string
		wantStatus     pos.SaleStatus
		wantFiscalised int
	}{
		{"lose", pos.SaleFiscalised, 1}, // the register has it: recorded, not fiscalised again
		{"drop", pos.SaleFiscalised, 1}, // the register never got it: fiscalised once now
		{"open", pos.SaleCancelled, 0},  // a receipt left open: cancelled there and here, cart kept
	} {
		t.Run(c.fail, func(t *testing.T) {
			r := newRig(t)
			mustScan(t, r, "4607001771401")
			r.reg.failNext = c.fail
			sale, err := r.till.Pay(context.Background(), cash(8990))
			got := r.store.sales["sale-1"]
			if got.Status != c.wantStatus || r.reg.fiscalised != c.wantFiscalised {
				t.Fatalf("status %s, fiscalised %d (err %v); want %s, %d", got.Status, r.reg.fiscalised, err, c.wantStatus, c.wantFiscalised)
			}
			if c.wantStatus == pos.SaleFiscalised && (err != nil || sale.Fiscal == nil || !r.till.Cart().Empty()) {
				t.Errorf("fiscalised sale: err %v, sale %+v", err, sale)
			}
			if c.wantStatus == pos.SaleCancelled && (!errors.Is(err, pos.ErrNotFiscalised) || r.till.Cart().Empty()) {
				t.Errorf("cancelled sale: err %v, cart empty %v", err, r.till.Cart().Empty())
			}
		})
	}
}

func TestPendingBlocksUntilResolved(t *testing.T) {
	r := newRig(t)
	mustScan(t, r, "4607001771401")
	r.reg.offline = true
	if _, err := r.till.Pay(context.Background(), cash(8990)); !errors.Is(err, pos.ErrRegisterOffline) {
		t.Fatalf("Pay err = %v", err)
	}
	// Offline at State: nothing journalled, nothing pending.
	if _, ok := r.till.Pending(); ok || len(r.store.sales) != 0 {
		t.Fatal("offline register before the sale must not journal it")
	}
	r.reg.offline = false
	r.reg.failNext = "lose"
	r.till.cfg.Register = &offlineAfterFiscalise{r.reg}
	if _, err := r.till.Pay(context.Background(), cash(8990)); !errors.Is(err, pos.ErrOutcomeUnknown) {
		t.Fatalf("Pay err = %v, want ErrOutcomeUnknown", err)
	}
	if _, ok := r.till.Pending(); !ok || r.till.Cart().Empty() {
		t.Fatal("the sale must stay pending and keep its cart")
	}
	if _, err := r.till.Pay(context.Background(), cash(8990)); !errors.Is(err, pos.ErrSalePending) {
		t.Fatalf("second Pay err = %v, want ErrSalePending", err)
	}
	if err := r.till.CloseShift(context.Background()); !errors.Is(err, pos.ErrSalePending) {
		t.Fatalf("CloseShift err = %v, want ErrSalePending", err)
	}
	r.till.cfg.Register = r.reg
	r.reg.offline = false // the cable is back
	sale, err := r.till.ResolvePending(context.Background())
	if err != nil || sale.Status != pos.SaleFiscalised || r.reg.fiscalised != 1 {
		t.Fatalf("resolve: %+v, %v, fiscalised %d", sale, err, r.reg.fiscalised)
	}
	if !r.till.Cart().Empty() {
		t.Error("cart kept after the pending sale was found fiscalised")
	}
}

// offlineAfterFiscalise loses the answer and then stops answering at all.
type offlineAfterFiscalise struct{ *fakeRegister }

func (o *offlineAfterFiscalise) Fiscalise(ctx context.Context, s pos.Sale) (pos.FiscalResult, error) {
	_, err := o.fakeRegister.Fiscalise(ctx, s)
	o.offline = true
	return pos.FiscalResult{}, err
}

func TestRecover(t *testing.T) {
	for _, c := range []struct {
		name          string
		crash         string // how the register was left
		want          string // completed / refiscalised / cancelled
		fiscalisedNow int
	}{
		{"register has it", "has", "completed", 0},
		{"register never got it", "never", "refiscalised", 1},
		{"receipt left open", "open", "cancelled", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			sale := pos.Sale{ID: "crashed", Total: 8990, Status: pos.SalePending, FDBefore: uint32(len(r.reg.docs)),
				Lines: []pos.Line{{ProductID: milk.ID, Price: 8990, Qty: 1000, Sum: 8990, VAT: pos.VAT10}}}
			if err := r.store.BeginSale(sale); err != nil {
				t.Fatal(err)
			}
			switch c.crash {
			case "has":
				if _, err := r.reg.Fiscalise(context.Background(), sale); err != nil {
					t.Fatal(err)
				}
			case "open":
				r.reg.receiptOpen = true
			}
			before := r.reg.fiscalised
			// A new till on the same store and register, as after a restart.
			fresh := New(r.till.cfg)
			rep, err := fresh.Recover(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{"completed": len(rep.Completed), "refiscalised": len(rep.Refiscalised), "cancelled": len(rep.Cancelled)}
			if got[c.want] != 1 || rep.Total() != 1 {
				t.Fatalf("recovery = %v, want one %s", got, c.want)
			}
			if n := r.reg.fiscalised - before; n != c.fiscalisedNow {
				t.Errorf("fiscalised %d more, want %d", n, c.fiscalisedNow)
			}
			if p, _ := r.store.PendingSales(); len(p) != 0 {
				t.Errorf("still pending: %v", p)
			}
			if _, ok := fresh.Shift(); !ok {
				t.Error("the open shift was not restored")
			}
		})
	}
}

func TestShiftReconciledWithRegister(t *testing.T) {
	r := newRig(t)
	// The register's shift was closed by a service tool while the till was off.
	r.reg.shiftOpen = false
	fresh := New(r.till.cfg)
	if _, err := fresh.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, open := fresh.Shift(); open {
		t.Fatal("journal shift should follow the register's closed shift")
	}
	// And the other way: open on the register, closed in the journal; expired too.
	r.reg.shiftOpen, r.reg.expired = true, true
	again := New(r.till.cfg)
	if _, err := again.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sh, open := again.Shift(); !open || sh.Number != 2 || !again.ShiftExpired() {
		t.Fatalf("shift = %+v open %v expired %v", sh, open, again.ShiftExpired())
	}
}

func TestDeferAndRecall(t *testing.T) {
	r := newRig(t)
	mustScan(t, r, "4607001771401")
	first, err := r.till.Defer()
	if err != nil || !r.till.Cart().Empty() {
		t.Fatalf("Defer: %v", err)
	}
	mustScan(t, r, "2112345012346")
	if err := r.till.Recall(first.ID); err != nil {
		t.Fatal(err)
	}
	if l := r.till.Cart().Lines(); len(l) != 1 || l[0].ProductID != milk.ID {
		t.Fatalf("recalled cart = %+v", l)
	}
	list, _ := r.till.DeferredReceipts()
	if len(list) != 1 || list[0].Lines[0].ProductID != apples.ID {
		t.Fatalf("the receipt in progress was not deferred in its place: %+v", list)
	}
	if err := r.till.Recall("nope"); !errors.Is(err, pos.ErrNoDeferred) {
		t.Errorf("Recall(nope) = %v", err)
	}
	if _, err := r.till.Defer(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.till.Defer(); !errors.Is(err, pos.ErrEmptyCart) {
		t.Errorf("Defer of an empty cart = %v", err)
	}
}

func mustScan(t *testing.T, r *rig, code string) {
	t.Helper()
	if _, err := r.till.Scan(code, 0); err != nil {
		t.Fatal(err)
	}
}

func TestCheckReady(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(r *rig)
		err   error
	}{
		{"ready", nil, nil},
		{"empty cart", func(r *rig) { r.till.ClearCart() }, pos.ErrEmptyCart},
		{"register offline", func(r *rig) { r.reg.offline = true }, pos.ErrRegisterOffline},
		{"shift closed on the register", func(r *rig) { r.reg.shiftOpen = false }, pos.ErrShiftClosed},
		{"shift over 24 h", func(r *rig) { r.now = r.now.Add(25 * time.Hour) }, pos.ErrShiftExpired},
		{"pending sale", func(r *rig) { r.till.pending = &pos.Sale{ID: "p"} }, pos.ErrSalePending},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			mustScan(t, r, "4607001771401")
			if c.setup != nil {
				c.setup(r)
			}
			if err := r.till.CheckReady(context.Background()); !errors.Is(err, c.err) {
				t.Errorf("CheckReady = %v, want %v", err, c.err)
			}
			if r.reg.fiscalised != 0 {
				t.Error("CheckReady fiscalised something")
			}
		})
	}
}
