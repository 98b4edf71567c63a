package emulator_test

import (
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

var update = flag.Bool("update", false, "rewrite golden files")

func fixedNow() time.Time { return time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC) }

// serve runs dev on one end of a pipe and returns a driver on the other.
func serve(t *testing.T, dev *emulator.Device) *kkt.Driver {
	t.Helper()
	host, line := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); dev.Serve(ctx, line) }()
	t.Cleanup(func() { cancel(); host.Close(); line.Close(); <-done })
	return kkt.NewDriver(host, kkt.Config{Location: time.UTC})
}

func TestReceiptTapeGolden(t *testing.T) {
	dev, err := emulator.New(emulator.Config{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	dev.OnTape(func(line string) { live = append(live, line) })
	d := serve(t, dev)
	ctx := context.Background()
	if err := d.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	items := []kkt.Item{
		{Qty: 2000, Price: 8990, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT10, Name: "Молоко 3,2% 1 л"},
		{Qty: 1000, Price: 34900, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT20, Name: "Кофе молотый 250 г"},
		{Qty: 512, Price: 149900, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT10, Name: "Сыр Российский весовой, фасованный в магазине"},
	}
	for _, it := range items {
		if err := d.AddItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{100000, 30000}}); err != nil {
		t.Fatal(err)
	}
	if err := d.ZReport(ctx); err != nil {
		t.Fatal(err)
	}
	got := dev.Tape()
	if strings.Join(live, "\n")+"\n" != got {
		t.Error("OnTape lines differ from Tape()")
	}
	golden := filepath.Join("testdata", "receipt.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("tape differs from %s (run with -update to accept):\n%s", golden, got)
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kkt.json")
	ctx := context.Background()
	dev, err := emulator.New(emulator.Config{Now: fixedNow, StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	d := serve(t, dev)
	if err := d.OpenShift(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 5000, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT20, Name: "Хлеб"}); err != nil {
		t.Fatal(err)
	}
	closed, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{5000}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 100, Sum: kkt.SumByDevice, Tax: kkt.TaxNone, Name: "Пакет"}); err != nil {
		t.Fatal(err)
	}

	again, err := emulator.New(emulator.Config{Now: fixedNow, StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	snap := again.Snapshot()
	if !snap.ShiftOpen || snap.ShiftNumber != 1 || snap.LastFD != closed.FDNumber || !snap.ReceiptOpen() ||
		snap.Mode != kkt.ModeReceiptOpen {
		t.Fatalf("restored state = %+v", snap)
	}
	d2 := serve(t, again)
	doc, err := d2.FindDocument(ctx, closed.FDNumber)
	if err != nil || doc.FiscalSign != closed.FiscalSign || doc.Sum != 5000 {
		t.Fatalf("document after restart = %+v, %v", doc, err)
	}
	if err := d2.CancelReceipt(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestNewRejectsBadSerial(t *testing.T) {
	if _, err := emulator.New(emulator.Config{FNSerial: "123"}); err == nil {
		t.Fatal("no error for a 3-digit FN serial")
	}
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	openShift := func(d *kkt.Driver) error { return d.OpenShift(ctx) }
	tests := []struct {
		name string
		prep func(d *kkt.Driver) error
		call func(d *kkt.Driver) error
		code byte
	}{
		{"sale with shift closed", nil, func(d *kkt.Driver) error {
			return d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 1, Sum: kkt.SumByDevice, Tax: kkt.TaxNone})
		}, 0x73},
		{"open receipt with shift closed", nil, func(d *kkt.Driver) error { return d.OpenReceipt(ctx, kkt.Sale) }, 0x73},
		{"Z with shift closed", nil, func(d *kkt.Driver) error { return d.ZReport(ctx) }, 0x73},
		{"invalid tax byte", openShift, func(d *kkt.Driver) error {
			return d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 1, Sum: kkt.SumByDevice, Tax: 3})
		}, 0x33},
		{"sum off by 2 kopecks", openShift, func(d *kkt.Driver) error {
			return d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 100, Sum: 102, Tax: kkt.TaxNone})
		}, 0x33},
		{"close with no receipt", openShift, func(d *kkt.Driver) error {
			_, err := d.CloseReceipt(ctx, kkt.Close{})
			return err
		}, 0x55},
		{"return item in a sale receipt", func(d *kkt.Driver) error {
			if err := d.OpenShift(ctx); err != nil {
				return err
			}
			return d.OpenReceipt(ctx, kkt.Sale)
		}, func(d *kkt.Driver) error {
			return d.AddItem(ctx, kkt.Item{Op: kkt.OpIncomeReturn, Qty: 1000, Price: 1, Sum: kkt.SumByDevice, Tax: kkt.TaxNone})
		}, 0x5E},
		{"wrong password", nil, func(d *kkt.Driver) error {
			_, err := d.Do(ctx, kkt.CmdShortStatus, []byte{99, 0, 0, 0})
			return err
		}, 0x4F},
		{"unknown command", nil, func(d *kkt.Driver) error {
			_, err := d.Do(ctx, 0xFF7F, []byte{30, 0, 0, 0})
			return err
		}, 0x37},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev, _ := emulator.New(emulator.Config{Now: fixedNow})
			d := serve(t, dev)
			if tt.prep != nil {
				if err := tt.prep(d); err != nil {
					t.Fatal(err)
				}
			}
			err := tt.call(d)
			de, ok := err.(*kkt.DeviceError)
			if !ok || de.Code != tt.code {
				t.Fatalf("err = %v, want device error 0x%02X", err, tt.code)
			}
		})
	}
}
