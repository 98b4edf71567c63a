package scale_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/kassa-pos/kassa/hardware/scale"
)

// Weigh an item for a sale: wait until the weight settles, and tell the cashier what to do otherwise.
func ExampleScale_StableWeight() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	emu := scale.NewEmulator()
	host, line := net.Pipe() // in production: serialport.Open(serialport.Config{Path: "/dev/ttyUSB0", Baud: 57600})
	defer host.Close()
	go emu.Serve(ctx, line)

	s := scale.New(host, scale.Config{PollInterval: 10 * time.Millisecond})
	emu.SetWeight(1234, true)
	grams, err := s.StableWeight(ctx, 2*time.Second)
	fmt.Println(grams, err)

	emu.SetWeight(1250, false)
	_, err = s.StableWeight(ctx, 50*time.Millisecond)
	fmt.Println(errors.Is(err, scale.ErrUnstable))

	emu.SetOverload(true)
	_, err = s.StableWeight(ctx, 2*time.Second)
	fmt.Println(err)
	// Output:
	// 1234 <nil>
	// true
	// scale: Нагрузка на весах превышает НПВ: scale: overload
}

// One reading, with the flags the scale reports.
func ExampleScale_Weight() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	emu := scale.NewEmulator()
	host, line := net.Pipe()
	defer host.Close()
	go emu.Serve(ctx, line)

	emu.SetWeight(-15, true)
	r, err := scale.New(host, scale.Config{}).Weight(ctx)
	fmt.Printf("%+v %v\n", r, errors.Is(err, scale.ErrUnderload))
	// Output:
	// {Grams:-15 Stable:true Net:false} true
}

// The request for the weight as it goes on the wire.
func ExampleEncodeFrame() {
	req, _ := scale.EncodeFrame(scale.CmdGetMassa, nil)
	fmt.Printf("% X\n", req)
	// Output:
	// F8 55 CE 01 00 23 23 00
}
