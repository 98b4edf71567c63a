package terminal

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/kassa-pos/kassa/hardware/display"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos"
)

// cableCutter pulls a cable from inside the emulator when it has run a chosen command and before it
// answers: the receipt is in the ФН, its answer never reaches the till.
type cableCutter struct {
	mu    sync.Mutex
	cmd   kkt.Command
	cut   func() error
	armed bool
	err   error
}

func (c *cableCutter) arm(cmd kkt.Command, cut func() error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cmd, c.cut, c.armed = cmd, cut, true
}

func (c *cableCutter) onCommand(cmd kkt.Command, stage emulator.Stage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.armed || cmd != c.cmd || stage != emulator.StageExecuted {
		return
	}
	c.armed = false
	c.err = c.cut()
}

// failed is what the cut reported.
func (c *cableCutter) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// payBread scans a demo loaf and pays cash; the cart keeps it when the payment fails.
func payBread(t *testing.T, term *Terminal) (pos.Sale, error) {
	t.Helper()
	if term.Till.Cart().Empty() {
		if _, err := term.Till.Scan(demoBarcode, 0); err != nil {
			t.Fatalf("Scan: %v", err)
		}
	}
	total := term.Till.Cart().Totals().Total
	return term.Till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: total}})
}

// TestRegisterCablePulledMidShift: the register's cable is pulled and put back twice during a shift, and
// the same Terminal sells on without a restart. A sale tried while it is out fails as the register being
// offline and is never journalled; a sale whose answer the pull cut off stays pending until the register
// is back and the till's recovery finds it in the ФН, printed once.
func TestRegisterCablePulledMidShift(t *testing.T) {
	var cutter cableCutter
	dev, err := emulator.New(emulator.Config{OnCommand: cutter.onCommand})
	if err != nil {
		t.Fatal(err)
	}
	cable := newTTYCable(t, "ttyKKT", dev.Serve)
	cable.plug()
	dir := t.TempDir()
	o := demoOptions(dir)
	o.KKTPort = cable.link
	ctx := context.Background()
	term, err := Open(ctx, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer term.Close()
	if term.Register.Port == nil || term.Register.Emulator != nil {
		t.Fatal("a register on a serial port must be a reconnecting port")
	}
	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatalf("OpenShift: %v", err)
	}
	first := sellBread(t, term)

	// Pulled between two customers.
	if err := cable.pull(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []error{pos.ErrRegisterOffline, serialport.ErrOffline} {
		if _, err := payBread(t, term); !errors.Is(err, pos.ErrRegisterOffline) || !errors.Is(err, want) {
			t.Fatalf("payment %d with the cable out = %v, want ErrRegisterOffline (%v)", i+1, err, want)
		}
	}
	if p, err := term.Store.PendingSales(); err != nil || len(p) != 0 {
		t.Fatalf("a sale the register never saw was journalled: %v, %v", p, err)
	}
	if term.Till.Cart().Empty() {
		t.Fatal("the failed payment lost the cart")
	}

	tap := cable.plug()
	waitOnline(t, term.Register.Port)
	second, err := payBread(t, term)
	if err != nil {
		t.Fatalf("payment after the cable is back: %v", err)
	}
	if second.Fiscal.FDNumber != first.Fiscal.FDNumber+1 {
		t.Errorf("FD after the reconnect %d, want %d", second.Fiscal.FDNumber, first.Fiscal.FDNumber+1)
	}
	if heard := tap.heard(); len(heard) == 0 || heard[0] != kkt.ENQ {
		t.Errorf("the register first heard % X on the new line, want ENQ", heard)
	}

	// Pulled while the register prints a receipt: it is in the ФН, the till never heard so.
	cutter.arm(kkt.CmdCloseReceipt, cable.pull)
	_, err = payBread(t, term)
	if !errors.Is(err, pos.ErrOutcomeUnknown) {
		t.Fatalf("payment cut off by the pull = %v, want ErrOutcomeUnknown", err)
	}
	if err := cutter.failed(); err != nil {
		t.Fatal(err)
	}
	pending, err := term.Store.PendingSales()
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending sales after the cut: %v, %v; want the one sale", pending, err)
	}
	printed := dev.Snapshot().LastFD
	if printed != second.Fiscal.FDNumber+1 {
		t.Fatalf("the register's last FD %d, want the cut-off receipt %d", printed, second.Fiscal.FDNumber+1)
	}
	if _, err := payBread(t, term); !errors.Is(err, pos.ErrSalePending) {
		t.Fatalf("selling on past an unresolved sale = %v, want ErrSalePending", err)
	}

	tap = cable.plug()
	waitOnline(t, term.Register.Port)
	done, err := term.Till.ResolvePending(ctx)
	if err != nil {
		t.Fatalf("ResolvePending after the reconnect: %v", err)
	}
	if done.ID != pending[0].ID || done.Status != pos.SaleFiscalised || done.Fiscal.FDNumber != printed {
		t.Errorf("resolved sale %s %s FD %v; want %s fiscalised as FD %d", done.ID, done.Status, done.Fiscal, pending[0].ID, printed)
	}
	if got := dev.Snapshot().LastFD; got != printed {
		t.Errorf("recovery printed the receipt again: last FD %d, want %d", got, printed)
	}
	if heard := tap.heard(); len(heard) == 0 || heard[0] != kkt.ENQ {
		t.Errorf("after the cut the register first heard % X, want ENQ, never the receipt again", heard)
	}
	if !term.Till.Cart().Empty() {
		t.Error("the resolved sale's cart is still there")
	}
	if third := sellBread(t, term); third.Fiscal.FDNumber != printed+1 {
		t.Errorf("next sale FD %d, want %d", third.Fiscal.FDNumber, printed+1)
	}
}

// TestDisplayReplugged: a customer display unplugged with its cable comes back powered up blank, on table
// 0; the till's next text sets it up again (reset, CP866) on the same port, without a restart.
func TestDisplayReplugged(t *testing.T) {
	var mu sync.Mutex
	emu := display.NewEmulator()
	current := func() *display.Emulator { mu.Lock(); defer mu.Unlock(); return emu }
	cable := newTTYCable(t, "ttyVFD", func(ctx context.Context, rw io.ReadWriter) error {
		return current().Serve(ctx, rw)
	})
	cable.plug()
	d, closer, err := OpenDisplay(cable.link, "cd5220", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	port := closer.(*serialport.Reconnecting)
	ctx := context.Background()
	shows := func(e *display.Emulator, upper string) func() (bool, error) {
		return func() (bool, error) {
			return strings.HasPrefix(e.Lines()[0], upper) && e.Table() == display.DefaultCodeTable, nil
		}
	}
	if err := d.Show(ctx, "ДОБРО ПОЖАЛОВАТЬ!", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the welcome on the display", shows(current(), "ДОБРО ПОЖАЛОВАТЬ!"))

	if err := cable.pull(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []error{serialport.ErrDisconnected, serialport.ErrOffline} {
		if err := d.Show(ctx, "Хлеб", "55,90"); !errors.Is(err, want) {
			t.Fatalf("Show %d with the cable out = %v, want %v", i+1, err, want)
		}
	}
	mu.Lock()
	emu = display.NewEmulator() // powered up again: blank, table 0
	mu.Unlock()
	cable.plug()
	waitOnline(t, port)
	if err := d.Show(ctx, "ИТОГО", "125,80"); err != nil {
		t.Fatalf("Show after the cable is back: %v", err)
	}
	waitFor(t, "the total in Cyrillic on the re-plugged display", shows(current(), "ИТОГО"))
}

// TestScaleReplugged: a scale whose cable is pulled reads as offline (the cashier may type the weight) and
// weighs again once it is back, on the same Scale.
func TestScaleReplugged(t *testing.T) {
	emu := scale.NewEmulator()
	emu.SetWeight(734, true)
	cable := newTTYCable(t, "ttyScale", func(ctx context.Context, rw io.ReadWriter) error { return emu.Serve(ctx, rw) })
	cable.plug()
	ctx := context.Background()
	sc, err := OpenScale(ctx, cable.link, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	weigh := func() (int64, error) { return sc.StableWeight(ctx, waitLimit) }
	if g, err := weigh(); err != nil || g != 734 {
		t.Fatalf("weight = %d, %v; want 734", g, err)
	}
	if err := cable.pull(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := weigh(); !errors.Is(err, pos.ErrScaleOffline) {
			t.Fatalf("weighing %d with the cable out = %v, want pos.ErrScaleOffline", i+1, err)
		}
	}
	emu.SetWeight(1250, true)
	cable.plug()
	waitOnline(t, sc.port)
	if g, err := weigh(); err != nil || g != 1250 {
		t.Fatalf("weight after the cable is back = %d, %v; want 1250", g, err)
	}
}
