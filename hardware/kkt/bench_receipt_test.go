package kkt_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// countingLine is the device's end of the pty; every byte on the line, either way, passes through it.
type countingLine struct {
	*os.File // keeps SetReadDeadline, which Serve uses to stop
	n        atomic.Int64
}

func (c *countingLine) Read(p []byte) (int, error) {
	n, err := c.File.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingLine) Write(p []byte) (int, error) {
	n, err := c.File.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// BenchmarkReceiptPaced is the driver selling a 10-position receipt (0x8D, 10 × FF46, FF45) to the
// emulator paced at the port's speed over a pty. elapsed/wire is the time taken over the time the bytes
// exchanged both ways need on an 8N1 line at that speed: how much the driver and the link add.
func BenchmarkReceiptPaced(b *testing.B) {
	for _, baud := range []int{115200, 9600} {
		b.Run(fmt.Sprintf("baud=%d", baud), func(b *testing.B) { benchReceipt(b, baud) })
	}
}

func benchReceipt(b *testing.B, baud int) {
	dev, err := emulator.New(emulator.Config{Baud: baud, Now: newClock().Now})
	if err != nil {
		b.Fatal(err)
	}
	pt, err := serialport.OpenPTY()
	if err != nil {
		b.Fatal(err)
	}
	line := &countingLine{File: pt.Master}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = dev.Serve(ctx, line) }()
	port, err := serialport.Open(serialport.Config{Path: pt.Path, Baud: baud})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); port.Close(); <-done; pt.Close() })
	drv := kkt.NewDriver(port, kkt.Config{Location: time.UTC})
	if err := drv.OpenShift(ctx); err != nil {
		b.Fatal(err)
	}
	items := make([]kkt.Item, 10)
	for i := range items {
		items[i] = kkt.Item{Qty: 1000, Price: int64(1000 + 10*i), Sum: kkt.SumByDevice, Tax: kkt.TaxVAT20,
			Name: fmt.Sprintf("Товар №%d", i+1)}
	}
	before, start := line.n.Load(), time.Now()
	for b.Loop() {
		if err := drv.OpenReceipt(ctx, kkt.Sale); err != nil {
			b.Fatal(err)
		}
		for _, it := range items {
			if err := drv.AddItem(ctx, it); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := drv.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{100000}}); err != nil {
			b.Fatal(err)
		}
	}
	elapsed, n := time.Since(start), line.n.Load()-before
	wire := time.Duration(n * 10 * int64(time.Second) / int64(baud))
	b.ReportMetric(float64(elapsed)/float64(wire), "elapsed/wire")
	b.ReportMetric(float64(n)/float64(b.N), "bytes/receipt")
	b.ReportMetric(float64(wire.Microseconds())/1000/float64(b.N), "wire-ms/receipt")
}
