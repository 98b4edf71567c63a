package kkt_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

var sampleItems = []kkt.Item{
	{Qty: 2000, Price: 8990, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT10, Name: "Молоко 3,2% 1 л"},
	{Qty: 1000, Price: 34900, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT20, Name: "Кофе молотый 250 г"},
	{Qty: 512, Price: 149900, Sum: 76749, Tax: kkt.TaxVAT10, Name: "Сыр Российский (весовой)"},
}

// sampleTotal is 2×89,90 + 349,00 + 0,512×1 499,00 (767,49).
const sampleTotal = 17980 + 34900 + 76749

func sell(t *testing.T, ctx context.Context, d *kkt.Driver, c kkt.Close) kkt.Closed {
	t.Helper()
	for _, it := range sampleItems {
		if err := d.AddItem(ctx, it); err != nil {
			t.Fatalf("AddItem %q: %v", it.Name, err)
		}
	}
	closed, err := d.CloseReceipt(ctx, c)
	if err != nil {
		t.Fatalf("CloseReceipt: %v", err)
	}
	return closed
}

func TestShiftOverSerialPort(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, emulator.Config{}, kkt.Config{})
	d := r.drv

	info, err := d.DeviceType(ctx)
	if err != nil || info.Name == "" {
		t.Fatalf("DeviceType = %+v, %v", info, err)
	}
	if err := d.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	mustDeviceError(t, d.OpenShift(ctx), 0x73)

	closed := sell(t, ctx, d, kkt.Close{Payments: [16]int64{100000, 30000}})
	if want := int64(100000 + 30000 - sampleTotal); closed.Change != want {
		t.Errorf("change = %d, want %d", closed.Change, want)
	}
	doc, err := d.FindDocument(ctx, closed.FDNumber)
	if err != nil {
		t.Fatal(err)
	}
	want := kkt.Document{Type: kkt.DocReceipt, Time: r.clock.Now(), FDNumber: closed.FDNumber,
		FiscalSign: closed.FiscalSign, OpType: kkt.OpIncome, Sum: sampleTotal}
	if doc != want {
		t.Errorf("FindDocument = %+v, want %+v", doc, want)
	}
	fn, err := d.FNStatus(ctx)
	if err != nil || fn.LastFD != closed.FDNumber || !fn.ShiftOpen || fn.Serial != emulator.DefaultFNSerial {
		t.Errorf("FNStatus = %+v, %v", fn, err)
	}

	// A receipt that is cancelled leaves no document.
	if err := d.OpenReceipt(ctx, kkt.Sale); err != nil {
		t.Fatal(err)
	}
	if err := d.AddItem(ctx, sampleItems[0]); err != nil {
		t.Fatal(err)
	}
	st, err := d.ShortStatus(ctx)
	if err != nil || st.Mode() != kkt.ModeReceiptOpen || st.ModeStatus() != byte(kkt.Sale) || st.Operations != 1 {
		t.Errorf("ShortStatus in receipt = %+v, %v", st, err)
	}
	mustDeviceError(t, d.ZReport(ctx), 0x4A)
	_, err = d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{100}})
	mustDeviceError(t, err, 0x45)
	if err := d.CancelReceipt(ctx); err != nil {
		t.Fatal(err)
	}
	mustDeviceError(t, d.CancelReceipt(ctx), 0x55)

	if err := d.ZReport(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = d.ShortStatus(ctx)
	if err != nil || st.Mode() != kkt.ModeShiftClosed {
		t.Errorf("after Z: %+v, %v", st, err)
	}
	mustDeviceError(t, d.AddItem(ctx, sampleItems[0]), 0x73)
	_, err = d.FindDocument(ctx, 99)
	mustDeviceError(t, err, 0x08)
	snap := r.dev.Snapshot()
	if snap.LastFD != 3 || len(snap.Documents) != 3 || snap.ShiftOpen || snap.ReceiptOpen() {
		t.Errorf("snapshot = %+v", snap)
	}
}

func TestShiftExpiresAfter24Hours(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, emulator.Config{}, kkt.Config{})
	if err := r.drv.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(24*time.Hour + time.Minute)
	st, err := r.drv.ShortStatus(ctx)
	if err != nil || st.Mode() != kkt.ModeShiftExpired {
		t.Fatalf("ShortStatus = %+v, %v; want mode 3", st, err)
	}
	mustDeviceError(t, r.drv.AddItem(ctx, sampleItems[0]), 0x16)
	mustDeviceError(t, r.drv.OpenReceipt(ctx, kkt.Sale), 0x4E)
	if err := r.drv.ZReport(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.drv.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.drv.AddItem(ctx, sampleItems[0]); err != nil {
		t.Fatalf("sale in the new shift: %v", err)
	}
}

// corruptFirstFrame flips the LRC of the first frame passing one way.
func corruptFirstFrame(done *atomic.Int32) func([]byte) []byte {
	return func(chunk []byte) []byte {
		if len(chunk) > 3 && chunk[0] == kkt.STX && done.Add(1) == 1 {
			chunk[len(chunk)-1] ^= 0xA5
		}
		return chunk
	}
}

func TestBadLRCIsRetransmitted(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, emulator.Config{}, kkt.Config{})
	if err := r.drv.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	var toDev, toHost atomic.Int32
	corruptAnswer := corruptFirstFrame(&toHost)
	r.proxy.set(func(c []byte, _ func(...byte)) []byte { return corruptAnswer(c) }, corruptFirstFrame(&toDev))
	closed := sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
	if toDev.Load() < 2 || toHost.Load() < 2 {
		t.Fatalf("frames seen: to device %d, to host %d; the corrupted ones were not repeated", toDev.Load(), toHost.Load())
	}
	snap := r.dev.Snapshot()
	if snap.LastFD != closed.FDNumber || snap.Totals.ShiftReceipts != 1 || snap.Totals.ShiftIncome != sampleTotal {
		t.Errorf("snapshot after retransmissions = %+v, closed %+v", snap.Totals, closed)
	}
}

func TestAnswerTimeoutThenENQGetsPendingAnswer(t *testing.T) {
	ctx := context.Background()
	var armed atomic.Bool
	release := make(chan struct{})
	r := newRig(t, emulator.Config{OnCommand: func(cmd kkt.Command, stage emulator.Stage) {
		if cmd == kkt.CmdCloseReceipt && stage == emulator.StageExecuted && armed.Load() {
			<-release // hold the answer until the host has timed out and asked with ENQ
		}
	}}, kkt.Config{Timeouts: map[kkt.Command]time.Duration{kkt.CmdCloseReceipt: 300 * time.Millisecond}})
	if err := r.drv.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	var sawFrame atomic.Bool
	r.proxy.set(nil, func(c []byte) []byte {
		if len(c) > 3 && c[0] == kkt.STX && c[2] == 0xFF && c[3] == 0x45 {
			sawFrame.Store(true)
		} else if sawFrame.Load() && bytes.Equal(c, []byte{kkt.ENQ}) && armed.CompareAndSwap(true, false) {
			close(release)
		}
		return c
	})
	armed.Store(true)
	closed := sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
	if armed.Load() {
		t.Fatal("the host never asked with ENQ")
	}
	if snap := r.dev.Snapshot(); snap.LastFD != closed.FDNumber || snap.Totals.ShiftReceipts != 1 {
		t.Errorf("snapshot = %+v, closed %+v", snap, closed)
	}
}

func TestLostAnswerIsOutcomeUnknown(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, emulator.Config{}, kkt.Config{Timeouts: map[kkt.Command]time.Duration{kkt.CmdCloseReceipt: 300 * time.Millisecond}})
	if err := r.drv.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	for _, it := range sampleItems {
		if err := r.drv.AddItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	// The answer to FF45 is lost on the line and the device believes it was delivered.
	var swallowed atomic.Bool
	r.proxy.set(func(c []byte, toDevice func(...byte)) []byte {
		if len(c) > 3 && c[0] == kkt.STX && c[2] == 0xFF && c[3] == 0x45 && swallowed.CompareAndSwap(false, true) {
			toDevice(kkt.ACK)
			return nil
		}
		return c
	}, nil)
	_, err := r.drv.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{sampleTotal}})
	if !errors.Is(err, kkt.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	// Recovery as a till does it: the FN proves the receipt was made, so it must not be sent again.
	fn, err := r.drv.FNStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := r.drv.FindDocument(ctx, fn.LastFD)
	if err != nil || doc.Type != kkt.DocReceipt || doc.Sum != sampleTotal {
		t.Fatalf("last document = %+v, %v", doc, err)
	}
	if r.dev.Snapshot().Totals.ShiftReceipts != 1 {
		t.Error("receipt counted more than once")
	}
}

// TestRealDevice talks read-only commands to a real register named by KASSA_KKT_PORT.
func TestRealDevice(t *testing.T) {
	path := os.Getenv("KASSA_KKT_PORT")
	if path == "" {
		t.Skip("KASSA_KKT_PORT not set")
	}
	port, err := serialport.Open(serialport.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d := kkt.NewDriver(port, kkt.Config{})
	info, err := d.DeviceType(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := d.ShortStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fn, err := d.FNStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fn.Serial) != 16 {
		t.Errorf("FN serial %q", fn.Serial)
	}
	t.Logf("device %+v, mode %d.%d, FN %s, last FD %d", info, st.Mode(), st.ModeStatus(), fn.Serial, fn.LastFD)
}
