package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

func TestClassifyWrite(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"enospc", &fs.PathError{Op: "write", Path: "kassa.db", Err: syscall.ENOSPC}, pos.ErrDiskFull},
		{"edquot", fmt.Errorf("commit: %w", syscall.EDQUOT), pos.ErrDiskFull},
		{"efbig", &fs.PathError{Op: "write", Path: "kassa.db", Err: syscall.EFBIG}, pos.ErrDiskFull},
		{"erofs", &fs.PathError{Op: "open", Path: "kassa.db", Err: syscall.EROFS}, pos.ErrDataReadOnly},
		{"eacces", &fs.PathError{Op: "open", Path: "kassa.db", Err: syscall.EACCES}, pos.ErrDataReadOnly},
		// bbolt's db.grow formats with %s: only the text is left.
		{"bbolt grow text", errors.New("file resize error: truncate kassa.db: file too large"), pos.ErrDiskFull},
		{"bbolt sync text", errors.New("file sync error: sync kassa.db: no space left on device"), pos.ErrDiskFull},
		{"other", ErrSaleExists, nil},
		{"nil", nil, nil},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			got := classifyWrite(c.err)
			if c.want == nil {
				if got != c.err {
					t.Errorf("classifyWrite(%v) = %v, want it unchanged", c.err, got)
				}
				return
			}
			if !errors.Is(got, c.want) || !errors.Is(got, c.err) {
				t.Errorf("classifyWrite(%v) = %v, want it to wrap %v and keep the cause", c.err, got, c.want)
			}
		})
	}
}

// tmpfs mounts a small tmpfs on a new temporary folder: a real disk that fills up and can be remounted
// read-only. It needs root (the tests run as root here); elsewhere the test is skipped and the
// classification table above with the terminal's injectable probe cover the mapping.
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): a real full disk is not reproducible", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// A sale on a full disk is refused with ErrDiskFull before anything is written; once there is room again
// the same store sells on and every sale acknowledged before is still there.
func TestBeginSaleOnFullDisk(t *testing.T) {
	dir := tmpfs(t, "1m")
	s, err := Open(filepath.Join(dir, "kassa.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(make([]byte, 1<<20)) // fills the rest of the tmpfs; the short write is the point
	f.Close()
	var sold int
	var full error
	for i := range 2000 {
		if err := s.BeginSale(testSale(fmt.Sprintf("s%04d", i), 1)); err != nil {
			full = err
			break
		}
		sold++
	}
	if !errors.Is(full, pos.ErrDiskFull) {
		t.Fatalf("after %d sales: %v, want ErrDiskFull", sold, full)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginSale(testSale("after", 1)); err != nil {
		t.Fatalf("with room again: %v", err)
	}
	pending, err := s.PendingSales()
	if err != nil || len(pending) != sold+1 {
		t.Fatalf("pending %d, %v; want %d", len(pending), err, sold+1)
	}
}

// A data folder mounted read-only (or remounted so by the kernel after disk errors) is refused at Open
// with ErrDataReadOnly. Linux will not remount a tmpfs read-only while the database is open for writing, so
// a write failing with EROFS mid-run is covered by the classification table.
func TestReadOnlyDataFolder(t *testing.T) {
	dir := tmpfs(t, "4m")
	path := filepath.Join(dir, "kassa.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.BeginSale(testSale("before", 1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	defer syscall.Mount("", dir, "", syscall.MS_REMOUNT, "")
	if _, err := Open(path, Options{}); !errors.Is(err, pos.ErrDataReadOnly) {
		t.Errorf("Open on a read-only folder = %v, want ErrDataReadOnly", err)
	}
	if _, err := Open(filepath.Join(dir, "sub", "kassa.db"), Options{}); !errors.Is(err, pos.ErrDataReadOnly) {
		t.Errorf("Open of a new database on a read-only folder = %v, want ErrDataReadOnly", err)
	}
}
