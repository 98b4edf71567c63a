package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "kassa.db"), Options{Terminal: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

const lockChildEnv = "KASSA_STORE_LOCK_CHILD"

// TestOpenLockedByOtherProcess holds the file and re-runs this test binary as a child that tries to open
// it: the child must get ErrLocked.
func TestOpenLockedByOtherProcess(t *testing.T) {
	if path := os.Getenv(lockChildEnv); path != "" {
		_, err := Open(path, Options{LockTimeout: 50 * time.Millisecond})
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("child: Open = %v, want ErrLocked", err)
		}
		return
	}
	s := openTemp(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenLockedByOtherProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+s.Path())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
}

func TestOpenLockedSameProcess(t *testing.T) {
	s := openTemp(t)
	// flock is per open file description, so a second Open in this process waits like another process.
	_, err := Open(s.Path(), Options{LockTimeout: 20 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
}

func TestOpenCorrupt(t *testing.T) {
	valid := func(t *testing.T) []byte {
		path := filepath.Join(t.TempDir(), "valid.db")
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"text", func(*testing.T) []byte { return []byte("id;barcode;name\n1;2;3\n") }},
		{"zeros 64K", func(*testing.T) []byte { return make([]byte, 64<<10) }},
		{"pattern 64K", func(*testing.T) []byte { return bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 16<<10) }},
		{"meta pages smashed", func(t *testing.T) []byte {
			d := valid(t)
			for i := 0; i < 2*4096 && i < len(d); i += 7 {
				d[i] ^= 0x5a
			}
			return d
		}},
		{"data pages smashed", func(t *testing.T) []byte {
			d := valid(t)
			for i := 2 * 4096; i < len(d); i++ {
				d[i] = 0xff
			}
			return d
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			if err := os.WriteFile(path, tt.data(t), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a corrupt file")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestOpenMissingDirIsCreated(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a", "b", "kassa.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// writeRaw builds a bbolt file the way an older or newer program would have left it.
func writeRaw(t *testing.T, fn func(tx *bbolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "raw.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func putSchema(tx *bbolt.Tx, v uint32) error {
	meta, err := tx.CreateBucketIfNotExists(bktMeta)
	if err != nil {
		return err
	}
	return meta.Put(keySchema, binary.BigEndian.AppendUint32(nil, v))
}

func TestSchemaMigrations(t *testing.T) {
	// A test-only next version shows that migrations run in order, each once, from the file's version.
	saved := migrations
	t.Cleanup(func() { migrations = saved })
	real := SchemaVersion()
	next := real + 1
	var ran []uint32
	migrations = append(append([]migration(nil), saved...), migration{next, func(tx *bbolt.Tx) error {
		ran = append(ran, next)
		if tx.Bucket(bktProducts) == nil || tx.Bucket(bktPending) != nil {
			return errors.New("test migration ran before the real ones")
		}
		_, err := tx.CreateBucketIfNotExists([]byte("next"))
		return err
	}})

	tests := []struct {
		name    string
		setup   func(tx *bbolt.Tx) error
		wantErr error
		wantRan []uint32
	}{
		{"fresh file from before versioning", func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("x")); return err }, nil, []uint32{next}},
		{"version 1", func(tx *bbolt.Tx) error { return errors.Join(migrations[0].apply(tx), putSchema(tx, 1)) }, nil, []uint32{next}},
		{"real latest", func(tx *bbolt.Tx) error {
			for _, m := range saved {
				if err := m.apply(tx); err != nil {
					return err
				}
			}
			return putSchema(tx, real)
		}, nil, []uint32{next}},
		{"current", func(tx *bbolt.Tx) error {
			for _, m := range saved {
				if err := m.apply(tx); err != nil {
					return err
				}
			}
			return putSchema(tx, next)
		}, nil, nil},
		{"too new", func(tx *bbolt.Tx) error { return putSchema(tx, next+1) }, ErrSchemaTooNew, nil},
		{"garbage version", func(tx *bbolt.Tx) error {
			meta, _ := tx.CreateBucket(bktMeta)
			return meta.Put(keySchema, []byte("v1"))
		}, ErrCorrupt, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran = nil
			path := writeRaw(t, tt.setup)
			s, err := Open(path, Options{})
			if tt.wantErr != nil {
				if err == nil {
					s.Close()
				}
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Open = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if v, err := s.SchemaOf(); err != nil || v != next {
				t.Errorf("schema after open = %d, %v; want %d", v, err, next)
			}
			if len(ran) != len(tt.wantRan) {
				t.Errorf("migrations ran %v, want %v", ran, tt.wantRan)
			}
			if _, err := s.ProductCount(); err != nil {
				t.Errorf("store unusable after migration: %v", err)
			}
		})
	}
}

func TestSchemaTooNewLeavesFileUntouched(t *testing.T) {
	path := writeRaw(t, func(tx *bbolt.Tx) error { return putSchema(tx, SchemaVersion()+1) })
	before, _ := os.ReadFile(path)
	if _, err := Open(path, Options{}); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a refused file was modified")
	}
	// The lock is released: the file can be opened by bbolt again right away.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("file still locked after refusal: %v", err)
	}
	db.Close()
}

func TestSettings(t *testing.T) {
	s := openTemp(t)
	if _, err := s.Setting("kkt.port"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing setting: %v", err)
	}
	tests := []struct{ key, value string }{
		{"kkt.port", "/dev/ttyUSB0"}, {"kkt.port", "/dev/ttyS1"}, {"empty", ""}, {"магазин", "Ромашка №1"},
	}
	for _, tt := range tests {
		if err := s.SetSetting(tt.key, tt.value); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Setting(tt.key); err != nil || got != tt.value {
			t.Errorf("Setting(%q) = %q, %v; want %q", tt.key, got, err, tt.value)
		}
	}
	if err := s.SetSetting("", "x"); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty key: %v", err)
	}
}
