package emulator_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

var bread = kkt.Item{Qty: 1000, Price: 5000, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT10, Name: "Хлеб"}

// water is a marked item: 1212 = 33 (маркированный товар с КМ).
var water = kkt.Item{Qty: 1000, Price: 8900, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT20, PaymentObject: 33, Name: "Вода 0,5 л"}

// km builds a water-style GS1 DataMatrix code with serial s.
func km(s string) string { return "0104601234567893" + "21" + s + "\x1d93dGVz" }

func mustCode(t *testing.T, err error, code byte) {
	t.Helper()
	var de *kkt.DeviceError
	if !errors.As(err, &de) || de.Code != code {
		t.Fatalf("err = %v, want device error 0x%02X", err, code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newShift starts a device (with cfg) and opens a shift through the driver.
func newShift(t *testing.T, cfg emulator.Config) (*emulator.Device, *kkt.Driver) {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = fixedNow
	}
	dev, err := emulator.New(cfg)
	must(t, err)
	d := serve(t, dev)
	must(t, d.OpenShift(context.Background()))
	return dev, d
}

func tapeHas(t *testing.T, tape string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(tape, l) {
			t.Errorf("tape has no %q:\n%s", l, tape)
		}
	}
}

func TestCashInOutAndXReport(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "kkt.json")
	dev, d := newShift(t, emulator.Config{StateFile: file})
	in, err := d.CashIn(ctx, 500000)
	must(t, err)
	must(t, d.AddItem(ctx, bread))
	_, err = d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{10000}})
	must(t, err)
	out, err := d.CashOut(ctx, 100000)
	must(t, err)
	if in.Operator != 30 || out.DocNumber != in.DocNumber+2 {
		t.Errorf("cash in %+v, cash out %+v: document numbers do not follow", in, out)
	}
	_, err = d.CashOut(ctx, 1000000)
	mustCode(t, err, 0x46)
	must(t, d.OpenDrawer(ctx, 0))
	must(t, d.PrintLine(ctx, "Спасибо за покупку!", kkt.PrintReceipt|kkt.PrintJournal))
	must(t, d.Cut(ctx, true))
	must(t, d.XReport(ctx))
	tape := dev.Tape()
	tapeHas(t, tape, "ВНЕСЕНИЕ", "ВЫПЛАТА", "* денежный ящик 0 открыт *", "Спасибо за покупку!", "ОТЧЁТ БЕЗ ГАШЕНИЯ",
		"ВНЕСЕНИЯ                   =5 000,00", "ВЫПЛАТЫ                    =1 000,00",
		"НАЛИЧНЫХ В КАССЕ           =4 050,00", "НАЛИЧНЫМИ                     =50,00")
	if !strings.HasSuffix(tape, "~~~~~~~~~~~~~~ отрез ~~~~~~~~~~~~~~~\n") {
		t.Errorf("tape does not end with a cut:\n%s", tape)
	}
	// The drawer's cash is kept in the state file, across a restart and into the next shift.
	must(t, d.ZReport(ctx))
	again, err := emulator.New(emulator.Config{Now: fixedNow, StateFile: file})
	must(t, err)
	if c := again.Snapshot().Totals.Cash; c != 405000 {
		t.Errorf("cash after restart = %d, want 405000", c)
	}
	d2 := serve(t, again)
	must(t, d2.OpenShift(ctx))
	_, err = d2.CashOut(ctx, 405000)
	must(t, err)
}

func TestRefundReceipt(t *testing.T) {
	ctx := context.Background()
	dev, d := newShift(t, emulator.Config{})
	_, err := d.CashIn(ctx, 3000)
	must(t, err)
	must(t, d.OpenReceipt(ctx, kkt.SaleReturn))
	st, err := d.ShortStatus(ctx)
	if err != nil || st.Mode() != kkt.ModeReceiptOpen || st.ModeStatus() != byte(kkt.SaleReturn) {
		t.Fatalf("status in a return = %+v, %v; want mode 8.2", st, err)
	}
	mustCode(t, d.AddItem(ctx, bread), 0x5E) // a sale position in a return receipt
	ret := bread
	ret.Op = kkt.OpIncomeReturn
	must(t, d.AddItem(ctx, ret))
	_, err = d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{5000}})
	mustCode(t, err, 0x46) // 50,00 back in cash, 30,00 in the drawer
	closed, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{2000, 3000}})
	must(t, err)
	doc, err := d.FindDocument(ctx, closed.FDNumber)
	if err != nil || doc.OpType != kkt.OpIncomeReturn || doc.Sum != 5000 || doc.FiscalSign != closed.FiscalSign {
		t.Fatalf("FindDocument = %+v, %v", doc, err)
	}
	tot := dev.Snapshot().Totals
	if tot.ShiftReturns != 5000 || tot.Cash != 1000 || tot.ShiftCard != -3000 || tot.ShiftIncome != 0 {
		t.Errorf("totals after the return = %+v", tot)
	}
	must(t, d.ZReport(ctx))
	tapeHas(t, dev.Tape(), "КАССОВЫЙ ЧЕК         ВОЗВРАТ ПРИХОДА", "ВОЗВРАТ ПРИХОДА               =50,00")
}

func TestPrepaidSettlement(t *testing.T) {
	ctx := context.Background()
	dev, d := newShift(t, emulator.Config{})
	it := bread
	it.PaymentMethod = kkt.MethodFull
	must(t, d.AddItem(ctx, it))
	var c kkt.Close
	c.Payments[kkt.PayPrepaid] = 5000
	closed, err := d.CloseReceipt(ctx, c)
	must(t, err)
	if closed.Change != 0 {
		t.Errorf("change = %d", closed.Change)
	}
	tot := dev.Snapshot().Totals
	if tot.Cash != 0 || tot.ShiftCard != 0 || tot.ShiftPrepaid != 5000 || tot.ShiftIncome != 5000 {
		t.Errorf("totals = %+v", tot)
	}
	tapeHas(t, dev.Tape(), "ЗАЧЕТ ПРЕДОПЛАТЫ              =50,00")
	if strings.Contains(dev.Tape(), "СДАЧА") {
		t.Error("change printed for a receipt without cash")
	}
	// Advance receipts print their payment method under the position.
	adv := bread
	adv.PaymentMethod = kkt.MethodFullPrepayment
	must(t, d.AddItem(ctx, adv))
	_, err = d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{5000}})
	must(t, err)
	tapeHas(t, dev.Tape(), "  ПРЕДОПЛАТА 100%")
}

func TestReceiptTLVOnTape(t *testing.T) {
	ctx := context.Background()
	dev, err := emulator.New(emulator.Config{Now: fixedNow})
	must(t, err)
	d := serve(t, dev)
	inn, err := kkt.CashierINN("770123456789")
	must(t, err)
	// Sent before the shift: the shift report shows the cashier.
	must(t, d.SendTLV(ctx, kkt.CashierName("Сидорова А.")))
	must(t, d.OpenShift(ctx))
	must(t, d.AddItem(ctx, bread))
	must(t, d.SendOperationTLV(ctx, kkt.StringTLV(1191, "партия 7", 64)))
	must(t, d.SendTLV(ctx, kkt.CashierName("Иванов И.И."), inn, kkt.BuyerContact("ivan@example.ru")))
	snap := dev.Snapshot()
	if len(snap.Receipt.TLV) != 3 || len(snap.Receipt.Lines[0].TLV) != 1 || snap.Receipt.Lines[0].TLV[0].String() != "партия 7" {
		t.Errorf("receipt TLV = %+v, line TLV = %+v", snap.Receipt.TLV, snap.Receipt.Lines[0].TLV)
	}
	mustCode(t, d.SendTLV(ctx, kkt.TLV{Tag: kkt.TagCashierINN, Value: []byte("7701")}), 0x09)
	_, err = d.Do(ctx, kkt.CmdSendTLV, []byte{30, 0, 0, 0, 0xFD, 0x03, 0x09, 0x00, 'x'})
	mustCode(t, err, 0x33) // the length says 9, one byte follows
	_, err = d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{5000}})
	must(t, err)
	tapeHas(t, dev.Tape(), "КАССИР                   Сидорова А.", "КАССИР                   Иванов И.И.",
		"ИНН КАССИРА             770123456789", "ЭЛ. АДР. ПОКУПАТЕЛЯ  ivan@example.ru")
	mustCode(t, d.SendOperationTLV(ctx, kkt.CashierName("x")), 0x55)
}
