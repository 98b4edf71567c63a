package kkt

import (
	"bufio"
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// answerDevice is a device that accepts every command frame and answers it with error byte 0 and
// whatever data it is given: the driver's answer decoders get arbitrary bytes through the real link.
type answerDevice struct {
	mu   sync.Mutex
	data []byte
}

func (d *answerDevice) set(b []byte) {
	d.mu.Lock()
	d.data = append(d.data[:0], b...)
	d.mu.Unlock()
}

func (d *answerDevice) serve(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		b, err := r.ReadByte()
		if err != nil {
			return
		}
		switch b {
		case ENQ:
			_, _ = c.Write([]byte{NAK})
		case STX:
			n, err := r.ReadByte()
			if err != nil {
				return
			}
			payload := make([]byte, int(n)+1) // LEN bytes and the LRC
			if _, err := io.ReadFull(r, payload); err != nil {
				return
			}
			f, err := DecodePayload(payload[:n])
			if err != nil {
				_, _ = c.Write([]byte{NAK})
				continue
			}
			d.mu.Lock()
			data := append([]byte{0}, d.data...)
			d.mu.Unlock()
			if max := MaxPayload - f.Command.Size(); len(data) > max {
				data = data[:max]
			}
			ans, err := EncodeFrame(f.Command, data)
			if err != nil {
				return
			}
			_, _ = c.Write(append([]byte{ACK}, ans...))
		}
	}
}

// answerSeeds are answers of the right shape for the commands the driver decodes (from the table tests
// and the emulator's answers), and the edges around them.
var answerSeeds = [][]byte{
	{},
	{0x1E},
	{0x1E, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
	{0x00, 0x00, 0x00, 0x00, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x39, 0x30, 0x00, 0x00, 0x1A, 0x03, 0x02, 0x09, 0x00},
	{0x03, 0x00, 0x05, 0x0C, 0x00, 0x0F, 0x39, 0x08, 0x01, 0x00, 0x00, 0x3D, 0x08, 0x01, 0x00, 0x01},
	{0x05, 0x00, 0x01, 0x03, 0x00, 0x05, 0x02, 0x00, 0x0F},
	{0xFD, 0x03, 0x0B, 0x00, 0x88, 0xA2, 0xA0, 0xAD, 0xAE, 0xA2, 0x20, 0x88, 0x2E, 0x88, 0x2E},
	{0x01, 0x03, 0x1A, 0x03, 0x02, 0x09, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x01, 0x39, 0x39, 0x39, 0x39, 0x30, 0x37,
		0x38, 0x39, 0x30, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x2A, 0x00, 0x00, 0x00},
	{0x03, 0x00, 0x1A, 0x03, 0x02, 0x09, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x39, 0x30, 0x00, 0x00, 0x01, 0xA0, 0x86,
		0x01, 0x00, 0x00},
}

// FuzzAnswers runs every driver command that decodes an answer against a device answering with fuzz
// data: whatever a broken or hostile device sends, the driver returns an error or a value, never panics.
func FuzzAnswers(f *testing.F) {
	for _, s := range answerSeeds {
		f.Add(s)
	}
	dev := &answerDevice{}
	// A buffered loopback pair, as a serial line is: over net.Pipe a device writing an answer the host
	// gave up on would block both sides for good.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			dev.serve(c)
			c.Close()
		}
	}()
	host, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { host.Close(); ln.Close() })
	// Short waits: the device answers at once or not at all, and a lost answer must not stall the fuzzer.
	timeouts := map[Command]time.Duration{}
	for _, c := range []Command{CmdShortStatus, CmdFNStatus, CmdFullStatus, CmdDeviceType, CmdFindDocument,
		CmdCloseReceipt, CmdCashIn, CmdCheckMark, CmdAcceptMark, CmdBindMark} {
		timeouts[c] = 200 * time.Millisecond
	}
	d := NewDriver(host, Config{EnqTimeout: 100 * time.Millisecond, ByteTimeout: 100 * time.Millisecond,
		Location: time.UTC, Timeouts: timeouts})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, b []byte) {
		dev.set(b)
		_, _ = d.ShortStatus(ctx)
		_, _ = d.FNStatus(ctx)
		_, _ = d.FullStatus(ctx)
		_, _ = d.DeviceType(ctx)
		_, _ = d.FindDocument(ctx, 1)
		_, _ = d.CloseReceipt(ctx, Close{Payments: [16]int64{100}})
		_, _ = d.CashIn(ctx, 100)
		_, _ = d.CheckMark(ctx, MarkCheck{Code: "0104601234567890215abc\x1d93dGVz"})
		_, _ = d.AcceptMark(ctx, true)
		_, _ = d.BindMark(ctx, "0104601234567890215abc\x1d93dGVz")
		if _, err := d.Do(ctx, CmdShortStatus, d.pwd()); err != nil {
			t.Fatalf("the link broke on answer % X: %v", b, err)
		}
	})
}
