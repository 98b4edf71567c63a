package serialport

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func openPair(t *testing.T) (*PTY, *Port) {
	t.Helper()
	pt, err := OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pt.Close() })
	p, err := Open(Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return pt, p
}

func TestRoundTrip(t *testing.T) {
	pt, p := openPair(t)
	tests := [][]byte{{0x05}, {0x02, 0x05, 0x10, 0x1E, 0x00, 0x00, 0x00, 0x0B}, bytes.Repeat([]byte{0x0D, 0x0A, 0x03, 0x11}, 40)}
	for _, msg := range tests {
		if _, err := pt.Master.Write(msg); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(msg))
		p.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(p, got); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("port read % X, %v; want % X", got, err, msg)
		}
		if _, err := p.Write(msg); err != nil {
			t.Fatal(err)
		}
		pt.Master.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(pt.Master, got); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("master read % X, %v; want % X (raw mode must keep bytes intact)", got, err, msg)
		}
	}
}

func TestReadDeadline(t *testing.T) {
	_, p := openPair(t)
	if err := p.SetReadDeadline(time.Now().Add(150 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	n, err := p.Read(make([]byte, 4))
	if n != 0 || !errors.Is(err, ErrTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read = %d, %v; want ErrTimeout matching os.ErrDeadlineExceeded", n, err)
	}
}

func TestBusy(t *testing.T) {
	pt, _ := openPair(t)
	if _, err := Open(Config{Path: pt.Path}); !errors.Is(err, ErrBusy) {
		t.Fatalf("second Open err = %v, want ErrBusy", err)
	}
}

func TestReopenAfterClose(t *testing.T) {
	pt, p := openPair(t)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Read(make([]byte, 1)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close = %v, want os.ErrClosed", err)
	}
	q, err := Open(Config{Path: pt.Path})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	q.Close()
}

func TestMissingPath(t *testing.T) {
	if _, err := Open(Config{Path: "/dev/pts/does-not-exist"}); !errors.Is(err, ErrDisconnected) {
		t.Fatalf("err = %v, want ErrDisconnected", err)
	}
}

func TestPeerGone(t *testing.T) {
	pt, err := OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Open(Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	pt.Close()
	p.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := p.Read(make([]byte, 1)); !errors.Is(err, ErrDisconnected) {
		t.Errorf("Read = %v, want ErrDisconnected", err)
	}
	if _, err := p.Write([]byte{0x05}); !errors.Is(err, ErrDisconnected) {
		t.Errorf("Write = %v, want ErrDisconnected", err)
	}
}

// TestOpenDiscardsStaleInput: what the device sent to a host that is gone (killed before it read the
// answer) must not reach the next host that opens the port; what it sends afterwards must.
func TestOpenDiscardsStaleInput(t *testing.T) {
	pt, err := OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer pt.Close()
	if _, err := pt.Master.Write([]byte{0x06, 0x02, 0x03, 0x10, 0x00, 0x1E, 0x0D}); err != nil {
		t.Fatal(err)
	}
	p, err := Open(Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := pt.Master.Write([]byte{0x15}); err != nil {
		t.Fatal(err)
	}
	p.SetReadDeadline(time.Now().Add(5 * time.Second))
	got := make([]byte, 8)
	n, err := p.Read(got)
	if err != nil || n != 1 || got[0] != 0x15 {
		t.Fatalf("first read after Open = % X, %v; want only 15, sent after the open", got[:n], err)
	}
	if err := p.DiscardInput(); err != nil {
		t.Fatal(err)
	}
}

// TestHostKilledLeavesPTYOpenable: a host killed without Close never clears the exclusive mode of a tty
// that outlives it, as a pseudo-terminal held open by its emulator does; that mode would refuse the next
// host (unless root) until the emulator restarts. Ports on a pseudo-terminal must not set it.
func TestHostKilledLeavesPTYOpenable(t *testing.T) {
	pt, p := openPair(t)
	// What SIGKILL does: the kernel closes the descriptors, Close never runs.
	p.sp.Close()
	p.lock.Close()
	probe, err := os.OpenFile(pt.Path, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	excl, err := unix.IoctlGetInt(int(probe.Fd()), unix.TIOCGEXCL)
	if err != nil {
		t.Fatal(err)
	}
	if excl != 0 {
		t.Fatal("the dead host left the pseudo-terminal in exclusive mode")
	}
	q, err := Open(Config{Path: pt.Path})
	if err != nil {
		t.Fatalf("next host: %v", err)
	}
	q.Close()
}
