package terminal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

// DefaultMinFree is the free space below which the till stops selling: room for many sales and their
// completions, so that a sale whose pending record fitted never fails to record the register's answer.
const DefaultMinFree = 64 << 20

// DefaultDiskProbeEvery is how often the running terminal looks at its data folder.
const DefaultDiskProbeEvery = 30 * time.Second

// DiskProbe watches the data folder: free space below MinFree, or a folder that cannot be written,
// blocks selling (Check, and the store given to the till refuses BeginSale) and the window shows it.
type DiskProbe struct {
	Dir     string
	MinFree uint64
	// Free and Writable are the file-system calls, replaceable by tests for what a machine cannot
	// reproduce; nil means the real ones (statfs, and writing, syncing and removing a small file).
	Free     func(dir string) (uint64, error)
	Writable func(dir string) error
	// Every is how often the window's watch probes; 0 means DefaultDiskProbeEvery.
	Every time.Duration

	mu   sync.Mutex
	last error
}

// Check probes the folder now and remembers the result: nil, or an error wrapping pos.ErrDiskFull or
// pos.ErrDataReadOnly.
func (p *DiskProbe) Check() error {
	err := p.probe()
	p.mu.Lock()
	p.last = err
	p.mu.Unlock()
	return err
}

// Last is the result of the latest Check (or of a write that failed since), without probing.
func (p *DiskProbe) Last() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// Quick is the check made before each sale: the full probe while a problem is known (the cashier may
// have made room meanwhile), else only the free space (one statfs, microseconds), so that a sale never
// starts without room for its completion too: the register's answer must be journalled after it printed.
func (p *DiskProbe) Quick() error {
	if p.Last() != nil {
		return p.Check()
	}
	free := p.Free
	if free == nil {
		free = statfsFree
	}
	n, err := free(p.Dir)
	if err != nil {
		return nil // statfs failing says nothing about the disk; the write itself will tell
	}
	if n < p.minFree() {
		err := fmt.Errorf("data folder %s: %w: %d MB free, %d MB needed", p.Dir, pos.ErrDiskFull, n>>20, p.minFree()>>20)
		p.mu.Lock()
		p.last = err
		p.mu.Unlock()
		return err
	}
	return nil
}

func (p *DiskProbe) minFree() uint64 {
	if p.MinFree == 0 {
		return DefaultMinFree
	}
	return p.MinFree
}

// Saw records a write error of the store: a full or read-only disk blocks selling until a probe finds
// the folder fine again.
func (p *DiskProbe) Saw(err error) {
	if store.IsDiskError(err) {
		p.mu.Lock()
		p.last = err
		p.mu.Unlock()
	}
}

func (p *DiskProbe) probe() error {
	writable, free := p.Writable, p.Free
	if writable == nil {
		writable = probeWrite
	}
	if free == nil {
		free = statfsFree
	}
	if err := writable(p.Dir); err != nil {
		if !store.IsDiskError(err) {
			err = fmt.Errorf("%w: %w", pos.ErrDataReadOnly, err)
		}
		return fmt.Errorf("data folder %s: %w", p.Dir, err)
	}
	n, err := free(p.Dir)
	if err != nil {
		return fmt.Errorf("data folder %s: free space: %w", p.Dir, err)
	}
	if min := p.minFree(); n < min {
		return fmt.Errorf("data folder %s: %w: %d MB free, %d MB needed", p.Dir, pos.ErrDiskFull, n>>20, min>>20)
	}
	return nil
}

// Watch checks every interval until ctx ends and calls changed with each new result (first with the
// first one), from its own goroutine: never the UI's.
func (p *DiskProbe) Watch(ctx context.Context, every time.Duration, changed func(error)) {
	if every <= 0 {
		every = DefaultDiskProbeEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var prev error
	first := true
	for {
		err := p.Check()
		if first || (err == nil) != (prev == nil) || (err != nil && prev != nil && err.Error() != prev.Error()) {
			changed(err)
		}
		first, prev = false, err
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func statfsFree(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// probeWrite writes, syncs and removes a small file: a read-only mount, a file system the kernel
// remounted read-only after errors, wrong permissions or a full disk all show here.
func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return classifyOS(err)
	}
	name := f.Name()
	_, err = f.Write(make([]byte, 4096))
	if err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close(), os.Remove(name))
	return classifyOS(err)
}

// classifyOS types an operating-system error the way pos/store types its writes.
func classifyOS(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT), errors.Is(err, syscall.EFBIG):
		return fmt.Errorf("%w: %w", pos.ErrDiskFull, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return fmt.Errorf("%w: %w", pos.ErrDataReadOnly, err)
	}
	return err
}

// guardedStore is the store as the till sees it: a sale is refused before anything is written, and so
// before the register is touched, while the disk probe reports a problem; a disk error of the journal is
// remembered so the next sale is refused at once; opening and closing a shift wakes the archiver.
type guardedStore struct {
	*store.Store
	disk    *DiskProbe
	archive func()
}

func (g guardedStore) BeginSale(s pos.Sale) error {
	if err := g.disk.Quick(); err != nil {
		return fmt.Errorf("store: begin sale %s: %w", s.ID, err)
	}
	err := g.Store.BeginSale(s)
	g.disk.Saw(err)
	return err
}

func (g guardedStore) CompleteSale(id string, f pos.FiscalResult) (pos.Sale, error) {
	out, err := g.Store.CompleteSale(id, f)
	g.disk.Saw(err)
	return out, err
}

func (g guardedStore) OpenShift(sh pos.Shift) error {
	err := g.Store.OpenShift(sh)
	if err == nil {
		g.archive()
	}
	g.disk.Saw(err)
	return err
}

func (g guardedStore) CloseShift(number int, at time.Time) error {
	err := g.Store.CloseShift(number, at)
	if err == nil {
		g.archive()
	}
	g.disk.Saw(err)
	return err
}

// dataDirOf is the folder the probe watches: the database's.
func dataDirOf(st *store.Store) string { return filepath.Dir(st.Path()) }
