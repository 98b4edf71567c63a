package kkt_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// faultRig is the driver on a pty (through serialport, as a till opens a real port) and the emulator,
// with faults, serving the pty's master as cmd/kktemu does.
type faultRig struct {
	dev  *emulator.Device
	drv  *kkt.Driver
	n    *counter
	logs syncBuffer // the emulator's log, which says when a fault fires
}

// syncBuffer is a log the emulator writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// faultDriverConfig keeps the fault tests short: answers are given up on after 300 ms, not 30 s.
func faultDriverConfig() kkt.Config {
	short := 300 * time.Millisecond
	return kkt.Config{Retries: 3, EnqTimeout: 200 * time.Millisecond, Location: time.UTC, Timeouts: map[kkt.Command]time.Duration{
		kkt.CmdOpenReceipt: short, kkt.CmdOperation: short, kkt.CmdCloseReceipt: short, kkt.CmdOpenShift: short}}
}

func newFaultRig(t *testing.T, script string, ecfg emulator.Config, dcfg kkt.Config) *faultRig {
	t.Helper()
	faults, err := emulator.ParseFaults(strings.NewReader(script))
	if err != nil {
		t.Fatal(err)
	}
	r := &faultRig{n: &counter{n: map[kkt.Command]int{}}}
	ecfg.Now, ecfg.OnCommand, ecfg.Faults = newClock().Now, r.n.onCommand, faults
	ecfg.Logger = slog.New(slog.NewTextHandler(&r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if r.dev, err = emulator.New(ecfg); err != nil {
		t.Fatal(err)
	}
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = r.dev.Serve(ctx, pt.Master) }()
	port, err := serialport.Open(serialport.Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); port.Close(); <-done; pt.Close() })
	r.drv = kkt.NewDriver(port, dcfg)
	return r
}

// ran checks how many times the device got each command: a count above what the test sent is a command
// the driver re-sent blindly.
func (r *faultRig) ran(t *testing.T, want map[kkt.Command]int) {
	t.Helper()
	for cmd, n := range want {
		if got := r.n.count(cmd); got != n {
			t.Errorf("the device got %v %d times, want %d", cmd, got, n)
		}
	}
}

// lastReceipt checks that the FN's last document is the sample receipt.
func (r *faultRig) lastReceipt(t *testing.T, ctx context.Context) kkt.Document {
	t.Helper()
	fn, err := r.drv.FNStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := r.drv.FindDocument(ctx, fn.LastFD)
	if err != nil || doc.Type != kkt.DocReceipt || doc.Sum != sampleTotal {
		t.Fatalf("last document %+v, %v; want the sample receipt", doc, err)
	}
	return doc
}

func addAll(ctx context.Context, d *kkt.Driver) error {
	for _, it := range sampleItems {
		if err := d.AddItem(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

func closeSample(ctx context.Context, d *kkt.Driver) (kkt.Closed, error) {
	return d.CloseReceipt(ctx, kkt.Close{Payments: [16]int64{sampleTotal}})
}

func mustOutcomeUnknown(t *testing.T, err error, also ...error) {
	t.Helper()
	if !errors.Is(err, kkt.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	for _, e := range also {
		if !errors.Is(err, e) {
			t.Errorf("err = %v, want it to wrap %v", err, e)
		}
	}
}

// TestLinkFaults runs a receipt against every link fault over the serial stack: what the driver returns,
// and that it never makes the device run a command twice.
func TestLinkFaults(t *testing.T) {
	items := len(sampleItems)
	tests := []struct {
		name   string
		script string
		fired  string // what the emulator logs when the fault fires
		ecfg   emulator.Config
		dcfg   func(*kkt.Config)
		run    func(t *testing.T, ctx context.Context, r *faultRig)
		want   map[kkt.Command]int
	}{
		{name: "frame NAKed once is sent again", script: "nak cmd=FF46 count=1", fired: "frame NAKed",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
			},
			want: map[kkt.Command]int{kkt.CmdOperation: items, kkt.CmdCloseReceipt: 1}},
		{name: "frame NAKed every try: refused, nothing ran", script: "nak cmd=FF46 nth=2 count=4", fired: "frame NAKed",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				if err := r.drv.AddItem(ctx, sampleItems[0]); err != nil {
					t.Fatal(err)
				}
				err := r.drv.AddItem(ctx, sampleItems[1])
				if !errors.Is(err, kkt.ErrBadFrame) || errors.Is(err, kkt.ErrOutcomeUnknown) {
					t.Fatalf("err = %v, want ErrBadFrame and a known outcome", err)
				}
				if st, err := r.drv.ShortStatus(ctx); err != nil || st.Operations != 1 {
					t.Fatalf("status after the refusals %+v, %v; want 1 position", st, err)
				}
				if err := r.drv.AddItem(ctx, sampleItems[1]); err != nil { // the line is clean again
					t.Fatal(err)
				}
			},
			want: map[kkt.Command]int{kkt.CmdOperation: 2}},
		{name: "answer with a bad LRC is asked for again", script: "bad-lrc cmd=FF45\nbad-lrc cmd=FF46 nth=2 count=2", fired: "bad LRC",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				closed := sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
				if doc := r.lastReceipt(t, ctx); doc.FDNumber != closed.FDNumber || doc.FiscalSign != closed.FiscalSign {
					t.Errorf("closed %+v, FN has %+v", closed, doc)
				}
			},
			want: map[kkt.Command]int{kkt.CmdOperation: items, kkt.CmdCloseReceipt: 1}},
		{name: "answer damaged on every resend: outcome unknown", script: "bad-lrc cmd=FF45 count=5", fired: "bad LRC", // retries+2 reads
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				if err := addAll(ctx, r.drv); err != nil {
					t.Fatal(err)
				}
				_, err := closeSample(ctx, r.drv)
				mustOutcomeUnknown(t, err, kkt.ErrTimeout)
				r.lastReceipt(t, ctx) // the device did close it: the host must ask, not repeat
			},
			want: map[kkt.Command]int{kkt.CmdCloseReceipt: 1}},
		{name: "answer held back is fetched with ENQ", script: "drop-answer cmd=FF45 nth=1", fired: "held back",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				closed := sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
				if doc := r.lastReceipt(t, ctx); doc.FDNumber != closed.FDNumber {
					t.Errorf("closed FD %d, FN's last %d", closed.FDNumber, doc.FDNumber)
				}
			},
			want: map[kkt.Command]int{kkt.CmdCloseReceipt: 1}},
		{name: "power lost after the close, back at once", script: "power-loss cmd=FF45 nth=1", fired: "power lost",
			ecfg: emulator.Config{StateFile: "kkt.json"},
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				if err := addAll(ctx, r.drv); err != nil {
					t.Fatal(err)
				}
				_, err := closeSample(ctx, r.drv)
				mustOutcomeUnknown(t, err)
				r.lastReceipt(t, ctx)
				if err := r.drv.OpenReceipt(ctx, kkt.Sale); err != nil { // the receipt is closed, the shift open
					t.Fatal(err)
				}
			},
			want: map[kkt.Command]int{kkt.CmdCloseReceipt: 1, kkt.CmdOpenReceipt: 1}},
		{name: "power lost, back after a while", script: "power-loss cmd=FF46 nth=3 down=300ms", fired: "power lost",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				mustOutcomeUnknown(t, addAll(ctx, r.drv))
				st := waitStatus(t, ctx, r.drv)
				if st.Mode() != kkt.ModeReceiptOpen || st.Operations != uint16(items) {
					t.Fatalf("status after power came back %+v: want the open receipt with %d positions", st, items)
				}
			},
			want: map[kkt.Command]int{kkt.CmdOperation: items}},
		{name: "power lost for good: no link", script: "power-loss cmd=FF45 down=1h", fired: "power lost",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				if err := addAll(ctx, r.drv); err != nil {
					t.Fatal(err)
				}
				_, err := closeSample(ctx, r.drv)
				mustOutcomeUnknown(t, err, kkt.ErrNoLink)
				if _, err := r.drv.ShortStatus(ctx); !errors.Is(err, kkt.ErrNoLink) {
					t.Errorf("status of a dead device: %v", err)
				}
				if snap := r.dev.Snapshot(); snap.LastFD != 2 || snap.ReceiptOpen() {
					t.Errorf("the FN has %d documents, receipt open %v; want the closed receipt", snap.LastFD, snap.ReceiptOpen())
				}
			},
			want: map[kkt.Command]int{kkt.CmdCloseReceipt: 1}},
		{name: "slow answer bytes", script: "byte-delay ms=5", fired: "bytes delayed",
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				sell(t, ctx, r.drv, kkt.Close{Payments: [16]int64{sampleTotal}})
			},
			want: map[kkt.Command]int{kkt.CmdOperation: items, kkt.CmdCloseReceipt: 1}},
		{name: "answer bytes slower than the byte timeout", script: "byte-delay ms=150 cmd=FF46", fired: "bytes delayed",
			dcfg: func(c *kkt.Config) { c.ByteTimeout = 100 * time.Millisecond },
			run: func(t *testing.T, ctx context.Context, r *faultRig) {
				mustOutcomeUnknown(t, r.drv.AddItem(ctx, sampleItems[0]))
				if snap := r.dev.Snapshot(); !snap.ReceiptOpen() || len(snap.Receipt.Lines) != 1 {
					t.Errorf("receipt after the slow answer: %+v", snap.Receipt)
				}
			},
			want: map[kkt.Command]int{kkt.CmdOperation: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dcfg := faultDriverConfig()
			if tt.dcfg != nil {
				tt.dcfg(&dcfg)
			}
			if tt.ecfg.StateFile != "" {
				tt.ecfg.StateFile = filepath.Join(t.TempDir(), tt.ecfg.StateFile)
			}
			r := newFaultRig(t, tt.script, tt.ecfg, dcfg)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := r.drv.OpenShift(ctx); err != nil {
				t.Fatal(err)
			}
			tt.run(t, ctx, r)
			r.ran(t, tt.want)
			if !strings.Contains(r.logs.String(), tt.fired) {
				t.Errorf("the emulator never logged %q: the fault did not fire", tt.fired)
			}
		})
	}
}

// waitStatus polls the short status until the device answers again (it was off).
func waitStatus(t *testing.T, ctx context.Context, d *kkt.Driver) kkt.ShortStatus {
	t.Helper()
	for {
		st, err := d.ShortStatus(ctx)
		if err == nil {
			return st
		}
		if !errors.Is(err, kkt.ErrNoLink) && !errors.Is(err, kkt.ErrOutcomeUnknown) {
			t.Fatalf("status while the device comes back: %v", err)
		}
		if ctx.Err() != nil {
			t.Fatal("the device never came back")
		}
	}
}
