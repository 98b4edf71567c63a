package kkt

import (
	"bytes"
	"testing"
)

// benchItem is an FF46 request of a typical position (LEN 0x3B).
var benchItem = Item{Qty: 2000, Price: 8990, Sum: SumByDevice, Tax: TaxVAT10, Name: "Молоко 3,2% 1 л"}

func TestAppendFrame(t *testing.T) {
	prefix := []byte{0xAA, 0xBB}
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			raw, data := unhex(t, v.frame), unhex(t, v.data)
			got, err := AppendFrame(append([]byte(nil), prefix...), v.cmd, data)
			if err != nil || !bytes.Equal(got, append(append([]byte(nil), prefix...), raw...)) {
				t.Fatalf("AppendFrame = % X, %v; want % X after the prefix", got, err, raw)
			}
			buf := make([]byte, 0, 300)
			if n := testing.AllocsPerRun(10, func() { buf, _ = AppendFrame(buf[:0], v.cmd, data) }); n != 0 {
				t.Errorf("AppendFrame into a roomy buffer allocates %v times", n)
			}
		})
	}
	for _, bad := range []struct {
		cmd  Command
		data []byte
	}{{0xFF, nil}, {0x10, make([]byte, MaxPayload)}} {
		if got, err := AppendFrame(prefix, bad.cmd, bad.data); err == nil || !bytes.Equal(got, prefix) {
			t.Errorf("AppendFrame(%v, %d bytes) = % X, %v; want an error and dst unchanged", bad.cmd, len(bad.data), got, err)
		}
	}
}

func benchItemParams(b *testing.B) []byte {
	p, err := NewDriver(nil, Config{}).itemParams(benchItem)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkEncodeFrame: a new slice per frame.
func BenchmarkEncodeFrame(b *testing.B) {
	p := benchItemParams(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(p) + 5))
	for b.Loop() {
		if _, err := EncodeFrame(CmdOperation, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendFrame: the driver's way, one buffer re-used for every command.
func BenchmarkAppendFrame(b *testing.B) {
	p := benchItemParams(b)
	buf := make([]byte, 0, MaxPayload+3)
	b.ReportAllocs()
	b.SetBytes(int64(len(p) + 5))
	for b.Loop() {
		var err error
		if buf, err = AppendFrame(buf[:0], CmdOperation, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeFrame decodes an FF46 request; Data is a copy, so one allocation per frame.
func BenchmarkDecodeFrame(b *testing.B) {
	req, err := EncodeFrame(CmdOperation, benchItemParams(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(req)))
	for b.Loop() {
		if _, err := DecodeFrame(req); err != nil {
			b.Fatal(err)
		}
	}
}
