package kkt_test

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// A sale: open the shift, add a piece item and a weighed item, pay in cash and by card, then read the
// fiscal document back from the FN as crash recovery does.
func ExampleDriver() {
	ctx := context.Background()
	dev, _ := emulator.New(emulator.Config{Now: func() time.Time { return time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC) }})
	host, line := net.Pipe() // a serial port in production: serialport.Open(serialport.Config{Path: "/dev/ttyACM0"})
	defer host.Close()
	go dev.Serve(ctx, line)

	d := kkt.NewDriver(host, kkt.Config{Location: time.UTC})
	if err := d.OpenShift(ctx); err != nil {
		fmt.Println(err)
		return
	}
	_ = d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 34900, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT20, Name: "Кофе"})
	_ = d.AddItem(ctx, kkt.Item{Qty: 512, Price: 149900, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT10, Name: "Сыр"})
	closed, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{50000, 70000}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("change:", closed.Change, "FD:", closed.FDNumber)
	doc, _ := d.FindDocument(ctx, closed.FDNumber)
	fmt.Println("sum:", doc.Sum, "same sign:", doc.FiscalSign == closed.FiscalSign, doc.Time.Format("2006-01-02 15:04"))

	err = d.ZReport(ctx)
	fmt.Println("Z:", err)
	err = d.AddItem(ctx, kkt.Item{Qty: 1000, Price: 100, Sum: kkt.SumByDevice, Tax: kkt.TaxNone, Name: "Пакет"})
	fmt.Println(err, "—", kkt.ErrorText(0x73))
	// Output:
	// change: 8351 FD: 2
	// sum: 111649 same sign: true 2026-03-02 10:15
	// Z: <nil>
	// kkt: command 0xFF46 refused with error 0x73 — Команда не поддерживается в этом режиме
}
