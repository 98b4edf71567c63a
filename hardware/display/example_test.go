package display_test

import (
	"context"
	"fmt"

	"github.com/kassa-pos/kassa/hardware/display"
)

// Show the item just scanned and the running total, as the customer sees it.
func ExampleDisplay_Show() {
	emu := display.NewEmulator() // in production: serialport.Open(serialport.Config{Path: "/dev/ttyUSB1", Baud: 9600})
	d := display.New(emu, display.Config{})
	ctx := context.Background()
	_ = d.Show(ctx, display.Line("Сыр Российский", "767,49"), display.Line("Итого:", "1 296,29"))
	for _, l := range emu.Lines() {
		fmt.Printf("|%s|\n", l)
	}
	_ = d.Clear(ctx)
	fmt.Printf("|%s|\n", emu.Lines()[0])
	// Output:
	// |Сыр Российски 767,49|
	// |Итого:      1 296,29|
	// |                    |
}

// Line keeps the amount whole and cuts the name.
func ExampleLine() {
	fmt.Printf("|%s|\n", display.Line("Молоко 3,2% 1 л", "89,90"))
	fmt.Printf("|%s|\n", display.Line("Кофе молотый 250 г", "349,00"))
	// Output:
	// |Молоко 3,2% 1  89,90|
	// |Кофе молотый  349,00|
}
