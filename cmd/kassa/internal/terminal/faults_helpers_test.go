package terminal

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/fiscal"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/pos/ui"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The marked product of the fault matrix and a marking code from its pack.
var (
	faultWater = pos.Product{ID: "1003", Name: "Вода питьевая 0,5 л", Barcodes: []string{"4601234567893"}, Price: 5990,
		VAT: pos.VAT20, Marked: true}
	faultWaterCode = "0104601234567893215UWtYHQ3hiHnm\x1d93dGVz"
)

var errCashierGaveUp = errors.New("the cashier closed the paper prompt")

// faultTill is a till wired as the terminal wires it (store, fiscal adapter, Shtrih-M driver on a serial
// port) to the register emulator on a pseudo-terminal, where faults are injected.
type faultTill struct {
	dev   *emulator.Device
	store *store.Store
	reg   *fiscal.Register
	drv   *kkt.Driver
	till  *checkout.Till
	asked atomic.Int32 // times the till asked the cashier for paper
	quit  atomic.Bool  // the cashier gives up instead of loading paper
	told  []error      // every error the till returned to the cashier
	logs  lockedBuffer // the emulator's log: which faults fired
}

// faultDriverTimeouts lets the driver give up on a lost answer in half a second instead of 30.
func faultDriverTimeouts() map[kkt.Command]time.Duration {
	m := map[kkt.Command]time.Duration{}
	for _, c := range []kkt.Command{kkt.CmdShortStatus, kkt.CmdFNStatus, kkt.CmdFindDocument, kkt.CmdOpenReceipt,
		kkt.CmdSendTLV, kkt.CmdOperation, kkt.CmdCloseReceipt, kkt.CmdCancelReceipt, kkt.CmdCheckMark,
		kkt.CmdAcceptMark, kkt.CmdBindMark, kkt.CmdContinuePrint, kkt.CmdOpenShift, kkt.CmdZReport,
		kkt.CmdBeginOpenShift, kkt.CmdBeginClose, kkt.CmdCashIn, kkt.CmdCashOut, kkt.CmdFullStatus} {
		m[c] = 500 * time.Millisecond
	}
	return m
}

// newFaultTill opens the store in a temporary folder with the catalog, recovers and opens a shift.
func newFaultTill(t *testing.T, ctx context.Context) *faultTill {
	t.Helper()
	f := &faultTill{}
	var err error
	logger := slog.New(slog.NewTextHandler(&f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if f.dev, err = emulator.New(emulator.Config{Logger: logger}); err != nil {
		t.Fatal(err)
	}
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	ectx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = f.dev.Serve(ectx, pt.Master) }()
	port, err := serialport.Open(serialport.Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); port.Close(); <-done; pt.Close() })
	drv := kkt.NewDriver(port, kkt.Config{Retries: 3, EnqTimeout: 200 * time.Millisecond, Timeouts: faultDriverTimeouts()})
	f.drv = drv
	f.reg = fiscal.New(drv, fiscal.Config{AwaitPaper: f.awaitPaper})
	if f.store, err = store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{Terminal: "till-1"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.store.Close() })
	if err := f.store.PutProducts(append(append([]pos.Product(nil), crashProducts...), faultWater)); err != nil {
		t.Fatal(err)
	}
	f.till = f.newTill()
	if _, err := f.till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.till.OpenShift(ctx, crashCashier); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *faultTill) newTill() *checkout.Till {
	return checkout.New(checkout.Config{Store: f.store, Register: f.reg, Terminal: "till-1",
		Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()),
		NewID:      func() string { return uuid.Must(uuid.NewV7()).String() }})
}

// awaitPaper is the paper prompt: the cashier loads a roll, or closes the prompt.
func (f *faultTill) awaitPaper(context.Context) error {
	f.asked.Add(1)
	if f.quit.Load() {
		return errCashierGaveUp
	}
	f.dev.SetPaper(true)
	return nil
}

// fill scans the receipt of the crash test, and a marked water when marked.
func (f *faultTill) fill(t *testing.T, marked bool) {
	t.Helper()
	for _, code := range crashScans {
		if _, err := f.till.Scan(code, 0); err != nil {
			t.Fatalf("scan %s: %v", code, err)
		}
	}
	if marked {
		if _, err := f.till.Scan(faultWaterCode, 0); err != nil {
			t.Fatalf("scan the marking code: %v", err)
		}
	}
}

// pay pays the cart in cash; an error goes to the cashier's screen and is kept.
func (f *faultTill) pay(ctx context.Context) (pos.Sale, error) {
	total := f.till.Cart().Totals().Total
	s, err := f.till.Pay(ctx, []pos.Payment{{Method: pos.PayCash, Amount: total + 1000}})
	if err != nil {
		f.told = append(f.told, err)
	}
	return s, err
}

// resolve settles a pending sale as the cashier's Retry does, until the register answers again.
func (f *faultTill) resolve(t *testing.T, ctx context.Context) {
	t.Helper()
	for {
		if _, ok := f.till.Pending(); !ok {
			return
		}
		_, err := f.till.ResolvePending(ctx)
		if err == nil || errors.Is(err, pos.ErrNotFiscalised) {
			return
		}
		f.told = append(f.told, err)
		if ctx.Err() != nil {
			t.Fatalf("the pending sale was never resolved: %v", err)
		}
	}
}

// explained fails for an error the cashier would not be told about in words: ui.Explain must give a
// Russian sentence of its own, not the catch-all one.
func explained(t *testing.T, err error) {
	t.Helper()
	generic := ui.Explain(ui.Russian, errors.New("something else")).Text
	m := ui.Explain(ui.Russian, err)
	if m.Text == "" || m.Text == generic || !strings.ContainsAny(m.Text, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя") {
		t.Errorf("the cashier is told %q about %v", m.Text, err)
	}
}

// checkBooks is the fault matrix's invariant after recovery: nothing pending, no receipt open, every sale
// the FN fiscalised in the journal exactly once with its number, sign and sum, one outbox event each, and
// want sales sold.
func (f *faultTill) checkBooks(t *testing.T, ctx context.Context, want int) {
	t.Helper()
	rec, err := f.newTill().Recover(ctx)
	if err != nil || rec.Total() != 0 {
		t.Fatalf("recovery after the faults: %+v, %v; want nothing left to recover", rec, err)
	}
	snap := f.dev.Snapshot()
	if snap.Receipt != nil {
		t.Errorf("a receipt is open in the register: %+v", snap.Receipt)
	}
	journal, err := f.store.RecentSales(100)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[uint32]emulator.Document{}
	receipts := saleReceipts(snap)
	for _, d := range receipts {
		docs[d.Number] = d
	}
	events, err := f.store.PeekEvents(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	perSale := map[string]int{}
	for _, ev := range events {
		if ev.Type == wire.TypeSale {
			perSale[ev.ID]++
		}
	}
	fiscalised := 0
	for _, s := range journal {
		switch s.Status {
		case pos.SalePending:
			t.Errorf("sale %s is still pending", s.ID)
		case pos.SaleFiscalised:
			fiscalised++
			checkFiscal(t, s, docs)
			if perSale[s.ID] != 1 {
				t.Errorf("fiscalised sale %s has %d outbox events, want 1", s.ID, perSale[s.ID])
			}
		case pos.SaleCancelled:
			if perSale[s.ID] != 0 {
				t.Errorf("cancelled sale %s has %d outbox events", s.ID, perSale[s.ID])
			}
		}
	}
	if fiscalised != want || len(receipts) != want {
		t.Errorf("%d sales fiscalised in the journal, %d sale receipts in the FN; want %d of each", fiscalised, len(receipts), want)
	}
}
