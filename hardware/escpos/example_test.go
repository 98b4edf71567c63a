package escpos_test

import (
	"context"
	"fmt"
	"net"

	"github.com/kassa-pos/kassa/hardware/escpos"
)

// Build a slip, print it, and read back what the printer got. In production the port is
// serialport.Open(serialport.Config{Path: "/dev/ttyUSB0"}) or escpos.OpenDevice("/dev/usb/lp0").
func ExamplePrinter_Print() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	emu := escpos.NewEmulator(escpos.EmulatorConfig{Paper: escpos.Paper{Present: true}})
	host, line := net.Pipe()
	defer host.Close()
	go emu.Serve(ctx, line)

	slip := escpos.Slip{
		Title:  "Внесение",
		Lines:  []escpos.SlipLine{{Left: "Размен в кассу", Right: escpos.Kopecks(500000)}},
		Footer: []string{"Кассир: Иванова А."},
	}
	pr := escpos.NewPrinter(host, escpos.Clone58)
	if err := pr.Print(ctx, escpos.SlipDocument(escpos.Clone58, slip)); err != nil {
		fmt.Println(err)
		return
	}
	paper, err := pr.PaperStatus(ctx) // also settles the pipe: the slip was read before the answer
	fmt.Println("paper:", paper.Present, err)

	printed, _ := escpos.Decode(emu.Received())
	for _, l := range printed.Lines() {
		fmt.Println(l)
	}
	// Output:
	// paper: true <nil>
	// Внесение
	// --------------------------------
	// Размен в кассу          5 000,00
	// --------------------------------
	// Кассир: Иванова А.
}
