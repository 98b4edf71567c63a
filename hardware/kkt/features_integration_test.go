package kkt_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// TestStoreDayOverSerialPort runs the commands a store day adds to plain sales through the whole stack
// (driver → serialport → pty → emulator): full status, cash in, a marked item with the cashier's name, X report.
func TestStoreDayOverSerialPort(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, emulator.Config{INN: "7701234567", Serial: 1<<32 | 77}, kkt.Config{})
	d := r.drv
	if err := d.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	fs, err := d.FullStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fs.INN != "7701234567" || fs.Serial != 1<<32|77 || fs.Mode() != kkt.ModeShiftOpen || fs.DocNumber != 1 ||
		!fs.Time.Equal(r.clock.Now()) || fs.FirmwareVersion != "A.4" || fs.LastShift != 0 || fs.Operator != 30 {
		t.Errorf("full status = %+v", fs)
	}
	if _, err := d.CashIn(ctx, 200000); err != nil {
		t.Fatal(err)
	}
	code := "0104601234567893215Xq7tMe!pR7Ys\x1d93AbCd"
	res, err := d.CheckMark(ctx, kkt.MarkCheck{Code: code})
	if err != nil || !res.Positive() {
		t.Fatalf("CheckMark = %+v, %v", res, err)
	}
	if _, err := d.AcceptMark(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 8900, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT20, PaymentObject: 33, Name: "Вода"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.BindMark(ctx, code); err != nil {
		t.Fatal(err)
	}
	if err := d.SendTLV(ctx, kkt.CashierName("Иванов И.И.")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{10000}}); err != nil {
		t.Fatal(err)
	}
	if err := d.XReport(ctx); err != nil {
		t.Fatal(err)
	}
	fs, err = d.FullStatus(ctx)
	if err != nil || fs.DocNumber != 4 {
		t.Errorf("doc number after cash in, receipt and X report = %d, %v; want 4", fs.DocNumber, err)
	}
	tape := r.dev.Tape()
	for _, want := range []string{"[М+]", "Иванов И.И.", "ВНЕСЕНИЯ                   =2 000,00", "НАЛИЧНЫХ В КАССЕ           =2 089,00"} {
		if !strings.Contains(tape, want) {
			t.Errorf("tape has no %q:\n%s", want, tape)
		}
	}
}
