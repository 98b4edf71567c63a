package kkt_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// counter counts the commands the emulator receives, and can run a hook after one executed.
type counter struct {
	mu    sync.Mutex
	n     map[kkt.Command]int
	after func(kkt.Command)
}

func (c *counter) onCommand(cmd kkt.Command, st emulator.Stage) {
	c.mu.Lock()
	if st == emulator.StageReceived {
		c.n[cmd]++
	}
	after := c.after
	c.mu.Unlock()
	if st == emulator.StageExecuted && after != nil {
		after(cmd)
	}
}

func (c *counter) setAfter(f func(kkt.Command)) {
	c.mu.Lock()
	c.after = f
	c.mu.Unlock()
}

func (c *counter) count(cmd kkt.Command) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[cmd]
}

// ptyDevice serves an emulator straight on a pseudo-terminal, as cmd/kktemu does.
func ptyDevice(t *testing.T) (*serialport.PTY, *counter) {
	t.Helper()
	c := &counter{n: map[kkt.Command]int{}}
	dev, err := emulator.New(emulator.Config{Now: newClock().Now, OnCommand: c.onCommand})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = dev.Serve(ctx, pt.Master) }()
	t.Cleanup(func() { cancel(); <-done; pt.Close() })
	return pt, c
}

func openHost(t *testing.T, path string) (*serialport.Port, *kkt.Driver) {
	t.Helper()
	port, err := serialport.Open(serialport.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { port.Close() })
	return port, kkt.NewDriver(port, kkt.Config{Location: time.UTC})
}

// TestStaleBytesNeverRepeatACommand: bytes the host did not ask for (an old answer, a stray NAK) wait
// in the port when a command starts. Taken for the reply to the ENQ or the frame, a NAK made the link
// send the frame again, and the device ran the command twice.
func TestStaleBytesNeverRepeatACommand(t *testing.T) {
	stale, err := kkt.EncodeFrame(kkt.CmdShortStatus, []byte{0, 30})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		bytes []byte
	}{
		{"stray NAK", []byte{kkt.NAK}},
		{"old answer then NAK", append(append([]byte{}, stale...), kkt.NAK)},
		{"ACK and NAK", []byte{kkt.ACK, kkt.NAK, kkt.NAK}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			pt, c := ptyDevice(t)
			_, drv := openHost(t, pt.Path)
			for i, cmd := range []kkt.Command{kkt.CmdOpenShift, kkt.CmdOpenReceipt, kkt.CmdCancelReceipt} {
				if _, err := pt.Master.Write(tc.bytes); err != nil { // as if from the device, unasked
					t.Fatal(err)
				}
				switch cmd {
				case kkt.CmdOpenShift:
					err = drv.OpenShift(ctx)
				case kkt.CmdOpenReceipt:
					err = drv.OpenReceipt(ctx, kkt.Sale)
				default:
					err = drv.CancelReceipt(ctx)
				}
				if err != nil {
					t.Fatalf("command %d %v: %v", i, cmd, err)
				}
				if n := c.count(cmd); n != 1 {
					t.Fatalf("the device ran %v %d times", cmd, n)
				}
			}
		})
	}
}

// TestNextHostAfterDeadHost: a host dies after the device ran its command and before it read the
// answer, which the device then writes into the line. The next host must neither read it as its own
// answer nor make the device run anything twice.
func TestNextHostAfterDeadHost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pt, c := ptyDevice(t)
	first, drv := openHost(t, pt.Path)
	dead := make(chan struct{})
	c.setAfter(func(cmd kkt.Command) {
		if cmd == kkt.CmdOpenShift {
			first.Close() // its port and lock are released before the answer is written
			close(dead)
		}
	})
	if err := drv.OpenShift(ctx); err == nil {
		t.Fatal("the dead host got its answer")
	}
	<-dead
	c.setAfter(nil)

	_, next := openHost(t, pt.Path)
	for i := range 3 {
		st, err := next.ShortStatus(ctx)
		if err != nil {
			t.Fatalf("status %d: %v", i, err)
		}
		if st.Mode() != kkt.ModeShiftOpen {
			t.Fatalf("mode %d, want the shift the dead host opened", st.Mode())
		}
	}
	if err := next.OpenReceipt(ctx, kkt.Sale); err != nil {
		t.Fatal(err)
	}
	if got := []int{c.count(kkt.CmdOpenShift), c.count(kkt.CmdShortStatus), c.count(kkt.CmdOpenReceipt)}; got[0] != 1 || got[1] != 3 || got[2] != 1 {
		t.Errorf("the device ran open shift, status, open receipt %v times; want [1 3 1]", got)
	}
}
