package escpos

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestPaperByte(t *testing.T) {
	tests := []struct {
		paper Paper
		b     byte
	}{
		{Paper{Present: true}, 0x12},
		{Paper{Present: true, NearEnd: true}, 0x1E},
		{Paper{NearEnd: true}, 0x7E}, // an empty roll is past its near end too
	}
	for _, tc := range tests {
		if got := PaperByte(tc.paper); got != tc.b {
			t.Errorf("PaperByte(%+v) = 0x%02X, want 0x%02X", tc.paper, got, tc.b)
		}
		if got, err := ParsePaper(tc.b); err != nil || got != tc.paper {
			t.Errorf("ParsePaper(0x%02X) = %+v, %v", tc.b, got, err)
		}
	}
	if PaperByte(Paper{}) != 0x7E {
		t.Errorf("PaperByte(no paper) = 0x%02X", PaperByte(Paper{}))
	}
	// Paper end without the near-end bits (models without a near-end sensor) is still out.
	if got, err := ParsePaper(0x72); err != nil || got.Present {
		t.Errorf("ParsePaper(0x72) = %+v, %v", got, err)
	}
	for _, b := range []byte{0x00, 0x13, 0x92, 0xFF} {
		if _, err := ParsePaper(b); !errors.Is(err, ErrBadStatus) {
			t.Errorf("ParsePaper(0x%02X) err = %v, want ErrBadStatus", b, err)
		}
	}
}

// pipeRig serves an emulator on one end of a net.Pipe.
func pipeRig(t *testing.T, paper Paper) (*Emulator, net.Conn) {
	t.Helper()
	emu := NewEmulator(EmulatorConfig{Paper: paper})
	host, dev := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = emu.Serve(ctx, dev) }()
	t.Cleanup(func() { cancel(); host.Close(); dev.Close(); wg.Wait() })
	return emu, host
}

func TestPaperStatus(t *testing.T) {
	tests := []struct {
		name  string
		paper Paper
		err   error
	}{
		{"present", Paper{Present: true}, nil},
		{"near end", Paper{Present: true, NearEnd: true}, nil},
		{"out", Paper{}, ErrPaperOut},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, host := pipeRig(t, tc.paper)
			got, err := NewPrinter(host, Clone58).PaperStatus(context.Background())
			if !errors.Is(err, tc.err) || (err != nil) != (tc.err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if got.Present != tc.paper.Present || (tc.paper.Present && got.NearEnd != tc.paper.NearEnd) {
				t.Errorf("paper = %+v, want %+v", got, tc.paper)
			}
		})
	}
}

// silent is a printer that takes bytes and never answers.
type silent struct {
	mu       sync.Mutex
	written  bytes.Buffer
	deadline time.Time
}

func (s *silent) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written.Write(b)
}
func (s *silent) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deadline = t
	return nil
}
func (s *silent) Read([]byte) (int, error) {
	s.mu.Lock()
	d := s.deadline
	s.mu.Unlock()
	time.Sleep(time.Until(d))
	return 0, os.ErrDeadlineExceeded
}

func TestPaperStatusNoAnswer(t *testing.T) {
	pr := NewPrinter(&silent{}, Clone58)
	pr.StatusTimeout = 120 * time.Millisecond
	if _, err := pr.PaperStatus(context.Background()); !errors.Is(err, ErrNoAnswer) {
		t.Errorf("err = %v, want ErrNoAnswer", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := pr.PaperStatus(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// writeOnly is a port that cannot be read at all (no SetReadDeadline).
type writeOnly struct{ bytes.Buffer }

func TestWriteOnlyPort(t *testing.T) {
	tests := []struct {
		name string
		open func(t *testing.T) (io.ReadWriter, func() []byte)
	}{
		{"buffer", func(t *testing.T) (io.ReadWriter, func() []byte) {
			w := &writeOnly{}
			return w, func() []byte { return w.Bytes() }
		}},
		{"device file", func(t *testing.T) (io.ReadWriter, func() []byte) {
			path := filepath.Join(t.TempDir(), "lp0")
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			dev, err := OpenDevice(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { dev.Close() })
			return dev, func() []byte { b, _ := os.ReadFile(path); return b }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port, written := tc.open(t)
			pr := NewPrinter(port, Clone58)
			if _, err := pr.PaperStatus(context.Background()); !errors.Is(err, ErrStatusUnsupported) {
				t.Errorf("PaperStatus err = %v, want ErrStatusUnsupported", err)
			}
			doc := NewDocument(Clone58).Init().Line("Проверка")
			if err := pr.Print(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(written(), doc.Bytes()) {
				t.Errorf("written % x, want % x", written(), doc.Bytes())
			}
		})
	}
}

func TestPrintRefusesBrokenDocumentAndCancelledContext(t *testing.T) {
	pr := NewPrinter(&writeOnly{}, Clone58)
	if err := pr.Print(context.Background(), NewDocument(Clone58).QR("x", 50)); !errors.Is(err, ErrQRTooLarge) {
		t.Errorf("err = %v, want ErrQRTooLarge", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := pr.Print(ctx, NewDocument(Clone58).Line("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestEmulatorStatusAndRecord(t *testing.T) {
	var out bytes.Buffer
	emu := NewEmulator(EmulatorConfig{Paper: Paper{Present: true}, Out: &out})
	host, dev := net.Pipe()
	defer host.Close()
	done := make(chan error, 1)
	go func() { done <- emu.Serve(context.Background(), dev) }()
	ask := func(n byte) byte {
		t.Helper()
		if _, err := host.Write([]byte{dle, eot, n}); err != nil {
			t.Fatal(err)
		}
		var b [1]byte
		if _, err := host.Read(b[:]); err != nil {
			t.Fatal(err)
		}
		return b[0]
	}
	// A status request split across writes, after text, is still answered.
	host.Write([]byte("AB\n"))
	host.Write([]byte{dle})
	host.Write([]byte{eot})
	host.Write([]byte{4})
	var b [1]byte
	if _, err := host.Read(b[:]); err != nil || b[0] != 0x12 {
		t.Errorf("split status = 0x%02X, %v", b[0], err)
	}
	emu.SetPaper(Paper{})
	for n, want := range map[byte]byte{1: 0x1A, 2: 0x3A, 3: 0x12, 4: 0x7E} {
		if got := ask(n); got != want {
			t.Errorf("DLE EOT %d = 0x%02X, want 0x%02X", n, got, want)
		}
	}
	host.Close()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v", err)
	}
	if !bytes.Equal(out.Bytes(), emu.Received()) || !bytes.HasPrefix(out.Bytes(), []byte("AB\n\x10\x04\x04")) {
		t.Errorf("recorded % x", out.Bytes())
	}
}
