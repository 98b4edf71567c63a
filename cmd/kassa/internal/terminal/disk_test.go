package terminal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/ui"
)

// The probe's decisions, with the file-system calls injected (what a test machine cannot make happen).
func TestDiskProbe(t *testing.T) {
	okWrite := func(string) error { return nil }
	tests := []struct {
		name     string
		free     uint64
		writable func(string) error
		want     error
	}{
		{"room", 1 << 30, okWrite, nil},
		{"low", 10 << 20, okWrite, pos.ErrDiskFull},
		{"read-only mount", 1 << 30, func(string) error { return classifyOS(&os.PathError{Op: "open", Err: syscall.EROFS}) }, pos.ErrDataReadOnly},
		{"no permission", 1 << 30, func(string) error { return classifyOS(&os.PathError{Op: "open", Err: syscall.EACCES}) }, pos.ErrDataReadOnly},
		{"full at write", 1 << 30, func(string) error { return classifyOS(&os.PathError{Op: "write", Err: syscall.ENOSPC}) }, pos.ErrDiskFull},
		{"odd failure", 1 << 30, func(string) error { return errors.New("input/output error") }, pos.ErrDataReadOnly},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			p := &DiskProbe{Dir: t.TempDir(), Writable: c.writable,
				Free: func(string) (uint64, error) { return c.free, nil }}
			err := p.Check()
			if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
				t.Errorf("Check = %v, want %v", err, c.want)
			}
			if !errors.Is(p.Last(), c.want) && c.want != nil {
				t.Errorf("Last = %v", p.Last())
			}
		})
	}
}

// The real calls on this machine's temporary folder: writable, with room.
func TestDiskProbeReal(t *testing.T) {
	p := &DiskProbe{Dir: t.TempDir(), MinFree: 1}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(p.Dir)
	if len(entries) != 0 {
		t.Errorf("the probe left %v behind", entries)
	}
}

// payLoaf scans one loaf and pays in cash, returning Pay's answer.
func payLoaf(t *testing.T, term *Terminal) (pos.Sale, error) {
	t.Helper()
	if _, err := term.Till.Scan(demoBarcode, 0); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return term.Till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: term.Till.Cart().Totals().Total}})
}

// refusedBeforeTheRegister checks a refused sale: the cashier reads why, the register printed nothing,
// the journal holds no pending sale, and the cart is kept for when the disk is fixed.
func refusedBeforeTheRegister(t *testing.T, term *Terminal, err error, want error, text string, lastFD uint32) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("Pay = %v, want %v", err, want)
	}
	if m := ui.Explain(ui.Russian, err); !strings.HasPrefix(m.Text, text) {
		t.Errorf("the cashier reads %q, want it to start with %q", m.Text, text)
	}
	if fd := term.Register.Emulator.Snapshot().LastFD; fd != lastFD {
		t.Errorf("the register went from document %d to %d: it was touched", lastFD, fd)
	}
	if p, err := term.Store.PendingSales(); err != nil || len(p) != 0 {
		t.Errorf("pending sales %v, %v; want none", p, err)
	}
	if len(term.Till.Cart().Lines()) == 0 {
		t.Error("the cart was lost")
	}
}

func openShiftDemo(t *testing.T, o Options) *Terminal {
	t.Helper()
	term, err := Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	ctx := context.Background()
	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	return term
}

// The probe blocks selling: free space below the threshold (a real statfs against a threshold set above
// it) and a folder that cannot be written (injected: root writes anywhere). The sale stops before the
// register; once the probe is fine again, the kept cart is sold.
func TestTillRefusesSaleWhenProbeFails(t *testing.T) {
	o := demoOptions(t.TempDir())
	o.Journal.MinFree = 1 << 62
	term := openShiftDemo(t, o)
	last := term.Register.Emulator.Snapshot().LastFD
	_, err := payLoaf(t, term)
	refusedBeforeTheRegister(t, term, err, pos.ErrDiskFull, "Нет места на диске: продажа невозможна", last)

	term.Disk.MinFree = 1
	term.Disk.Writable = func(string) error { return classifyOS(&os.PathError{Op: "open", Err: syscall.EROFS}) }
	term.Disk.Check()
	_, err = term.Till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: term.Till.Cart().Totals().Total}})
	refusedBeforeTheRegister(t, term, err, pos.ErrDataReadOnly, "Папка данных только для чтения", last)

	term.Disk.Writable = nil
	sale, err := term.Till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: term.Till.Cart().Totals().Total}})
	if err != nil || sale.Status != pos.SaleFiscalised {
		t.Fatalf("with the disk fine again: %v, %v", sale.Status, err)
	}
}

// mountTmpfs mounts a small tmpfs as a data folder: a real disk that fills up. It needs root (the tests
// run as root here); elsewhere the test is skipped and TestTillRefusesSaleWhenProbeFails covers the rest.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	os.Mkdir(dir, 0o700)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); TestTillRefusesSaleWhenProbeFails covers the mapping", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fill writes a file of up to n bytes (a short write on a full disk is the point) and returns its path.
func fill(t *testing.T, dir string, n int) string {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	f.Write(make([]byte, n))
	f.Close()
	return f.Name()
}

// A real disk filling up (a tmpfs): below the free-space threshold the sale is refused before anything
// is written, by a real statfs at the start of the sale.
func TestTillRefusesSaleOnFullTmpfs(t *testing.T) {
	dir := mountTmpfs(t, "48m")
	o := demoOptions(dir)
	o.Journal.MinFree = 24 << 20
	term := openShiftDemo(t, o)
	if _, err := payLoaf(t, term); err != nil {
		t.Fatal(err)
	}
	filler := fill(t, dir, 40<<20)
	last := term.Register.Emulator.Snapshot().LastFD
	_, err := payLoaf(t, term)
	refusedBeforeTheRegister(t, term, err, pos.ErrDiskFull, "Нет места на диске", last)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	sale, err := term.Till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: term.Till.Cart().Totals().Total}})
	if err != nil || sale.Status != pos.SaleFiscalised {
		t.Fatalf("with room again: %v, %v", sale.Status, err)
	}
}

// With the threshold off and the disk completely full, the first write to fail may be the pending
// record (the sale stops before the register) or, when bbolt still had room in its file for that, the
// register's answer after the receipt printed. Either way nothing is lost or printed twice: the sale
// stays pending and is completed from the register once there is room again. This is why the threshold
// exists: a sale should only start with room for its completion.
func TestFullTmpfsWithoutThreshold(t *testing.T) {
	dir := mountTmpfs(t, "16m")
	o := demoOptions(dir)
	o.Journal.MinFree = 1
	term := openShiftDemo(t, o)
	if _, err := payLoaf(t, term); err != nil {
		t.Fatal(err)
	}
	filler := fill(t, dir, 16<<20)
	ctx := context.Background()
	var err error
	var last uint32
	for range 50 { // bbolt's file may have room for a few sales yet
		last = term.Register.Emulator.Snapshot().LastFD
		if _, err = payLoaf(t, term); err != nil {
			break
		}
	}
	if !errors.Is(err, pos.ErrDiskFull) {
		t.Fatalf("Pay on a full disk = %v, want ErrDiskFull", err)
	}
	pending, perr := term.Store.PendingSales()
	if perr != nil {
		t.Fatal(perr)
	}
	printed := term.Register.Emulator.Snapshot().LastFD != last
	if printed != (len(pending) == 1) {
		t.Fatalf("register printed: %v, pending sales %d: the journal and the register disagree", printed, len(pending))
	}
	t.Logf("full disk: the register printed before the journal failed: %v", printed)
	os.Remove(filler)
	if printed {
		done, err := term.Till.ResolvePending(ctx)
		if err != nil || done.Status != pos.SaleFiscalised || done.Fiscal.FDNumber != last+1 {
			t.Fatalf("resolved %+v, %v; want document %d", done.Fiscal, err, last+1)
		}
	} else {
		if _, err := term.Till.Pay(ctx, []pos.Payment{{Method: pos.PayCash, Amount: term.Till.Cart().Totals().Total}}); err != nil {
			t.Fatal(err)
		}
	}
	if fd := term.Register.Emulator.Snapshot().LastFD; fd != last+1 {
		t.Errorf("the register is at document %d, want %d: printed twice or not at all", fd, last+1)
	}
}

// Watch reports the first result and then each change, from its own goroutine.
func TestDiskProbeWatch(t *testing.T) {
	var readOnly atomic.Bool
	readOnly.Store(true)
	p := &DiskProbe{Dir: t.TempDir(), MinFree: 1, Writable: func(string) error {
		if readOnly.Load() {
			return classifyOS(&os.PathError{Op: "open", Err: syscall.EROFS})
		}
		return nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan error, 10)
	go p.Watch(ctx, time.Millisecond, func(err error) { changes <- err })
	if err := <-changes; !errors.Is(err, pos.ErrDataReadOnly) {
		t.Fatalf("first report %v", err)
	}
	readOnly.Store(false)
	if err := <-changes; err != nil {
		t.Fatalf("second report %v, want the folder fine", err)
	}
}
