package emulator

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// recorder keeps every byte the driver writes, so the frames of a real session become fuzz seeds.
type recorder struct {
	net.Conn
	mu  sync.Mutex
	out []byte
}

func (r *recorder) Write(b []byte) (int, error) {
	r.mu.Lock()
	r.out = append(r.out, b...)
	r.mu.Unlock()
	return r.Conn.Write(b)
}

// sessionPayloads runs a day through the real driver (shift, a sale, a status, a document search, the Z
// report) and returns the payload (command and parameters) of every frame it sent.
func sessionPayloads(f *testing.F) [][]byte {
	f.Helper()
	dev, err := New(Config{Now: func() time.Time { return time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC) }})
	if err != nil {
		f.Fatal(err)
	}
	host, side := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = dev.Serve(ctx, side) }()
	defer func() { cancel(); host.Close(); side.Close(); <-done }()
	rec := &recorder{Conn: host}
	d := kkt.NewDriver(rec, kkt.Config{Password: 30})
	steps := []func() error{
		func() error { return d.OpenShift(ctx) },
		func() error { return d.OpenReceipt(ctx, kkt.Sale) },
		func() error {
			return d.AddItem(ctx, kkt.Item{Qty: 2000, Price: 8990, Sum: kkt.SumByDevice, Tax: kkt.TaxVAT10, Name: "Молоко 3,2% 1 л"})
		},
		func() error { _, err := d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{17980}}); return err },
		func() error { _, err := d.ShortStatus(ctx); return err },
		func() error { _, err := d.FNStatus(ctx); return err },
		func() error { _, err := d.FindDocument(ctx, 2); return err },
		func() error { _, err := d.CashIn(ctx, 10000); return err },
		func() error { return d.ZReport(ctx) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			f.Fatal(err)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out [][]byte
	for b := rec.out; len(b) > 0; {
		if b[0] != kkt.STX || len(b) < 2 || len(b) < int(b[1])+3 {
			b = b[1:]
			continue
		}
		n := int(b[1])
		out = append(out, append([]byte(nil), b[2:2+n]...))
		b = b[n+3:]
	}
	return out
}

// FuzzExecute runs scripts of arbitrary commands (length-prefixed frame payloads) on a fresh device: no
// command or parameter panics it, every answer is a frame of the command asked with an error byte, and
// the FN's documents stay numbered in order, the last one being LastFD.
func FuzzExecute(f *testing.F) {
	payloads := sessionPayloads(f)
	var day []byte
	for _, p := range payloads {
		f.Add(append([]byte{byte(len(p))}, p...))
		day = append(append(day, byte(len(p))), p...)
	}
	f.Add(day)
	f.Fuzz(func(t *testing.T, script []byte) {
		dev, err := New(Config{Now: func() time.Time { return time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		for len(script) > 0 {
			n := min(int(script[0]), len(script)-1)
			p := script[1 : 1+n]
			script = script[1+n:]
			fr, err := kkt.DecodePayload(p)
			if err != nil {
				continue
			}
			ans, err := kkt.DecodeFrame(dev.execute(fr))
			if err != nil || ans.Command != fr.Command || len(ans.Data) == 0 {
				t.Fatalf("answer to % X: %+v, %v", p, ans, err)
			}
		}
		st := dev.Snapshot()
		for i, d := range st.Documents {
			if i > 0 && d.Number <= st.Documents[i-1].Number {
				t.Fatalf("document %d numbered %d after %d", i, d.Number, st.Documents[i-1].Number)
			}
		}
		if n := len(st.Documents); n > 0 && st.Documents[n-1].Number != st.LastFD {
			t.Fatalf("last document %d, LastFD %d", st.Documents[n-1].Number, st.LastFD)
		}
	})
}
