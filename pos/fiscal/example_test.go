package fiscal_test

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/fiscal"
)

// A sale of two loaves paid in cash, fiscalised on the emulator (a serial port in production).
func Example() {
	now := func() time.Time { return time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC) }
	dev, _ := emulator.New(emulator.Config{Now: now})
	host, line := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go dev.Serve(ctx, line)
	defer host.Close()

	reg := fiscal.New(kkt.NewDriver(host, kkt.Config{Location: time.UTC}), fiscal.Config{})
	if err := reg.OpenShift(ctx, "Иванова"); err != nil {
		fmt.Println(err)
		return
	}
	sale := pos.Sale{
		Lines:    []pos.Line{{Name: "Хлеб Дарницкий", Price: 6290, Qty: pos.Pieces(2), VAT: pos.VAT10, Sum: 12580}},
		Total:    12580,
		Payments: []pos.Payment{{Method: pos.PayCash, Amount: 20000}},
	}
	res, err := reg.Fiscalise(ctx, sale)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.QR(sale.Total))
	// Output: t=20260302T1015&s=125.80&fn=9999078900012345&i=2&fp=988500024&n=1
}
