package store

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.etcd.io/bbolt"
)

// backupFixture is a data folder with a journal of three sales, one of them archived.
func backupFixture(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	s, err := Open(filepath.Join(dir, DBName), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	old := testSale("old", 7)
	fiscalAt(t, s, old, 500)
	ack(t, s, old.ID)
	if _, err := s.ArchiveJournal(context.Background(), archiveDay); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"new-1", "new-2"} {
		sale := testSale(id, 8)
		sale.CreatedAt = archiveDay
		if err := s.BeginSale(sale); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBackupRestore(t *testing.T) {
	src := backupFixture(t)
	file := filepath.Join(t.TempDir(), "kassa.backup")
	m, err := Backup(context.Background(), src, file)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{DBName, "archive/2026-03.db"}; !slices.Equal(m.Files, want) || m.Schema != SchemaVersion() {
		t.Fatalf("manifest %+v, want files %v", m, want)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file %v, %v; want mode 0600", info, err)
	}

	// Restore over a data folder that has a journal of its own: it is kept as .bak.
	dst := t.TempDir()
	other, err := Open(filepath.Join(dst, DBName), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.BeginSale(testSale("other", 1)); err != nil {
		t.Fatal(err)
	}
	other.Close()
	res, err := Restore(context.Background(), file, dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replaced) != 1 || filepath.Base(res.Replaced[0]) != DBName+".bak" {
		t.Errorf("replaced %v", res.Replaced)
	}
	s, err := Open(filepath.Join(dst, DBName), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range []string{"old", "new-1", "new-2"} {
		if _, err := s.Sale(id); err != nil {
			t.Errorf("restored journal: %v", err)
		}
	}
	if _, err := s.Sale("other"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the replaced journal's sale is still there: %v", err)
	}
	bak, err := Open(filepath.Join(dst, DBName+".bak"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer bak.Close()
	if _, err := bak.Sale("other"); err != nil {
		t.Errorf("the .bak lost the replaced journal: %v", err)
	}
}

// A running terminal holds the database: backup and restore refuse with ErrLocked and touch nothing.
func TestBackupRestoreWhileRunning(t *testing.T) {
	src := backupFixture(t)
	file := filepath.Join(t.TempDir(), "kassa.backup")
	if _, err := Backup(context.Background(), src, file); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(src, DBName), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Backup(context.Background(), src, filepath.Join(t.TempDir(), "b")); !errors.Is(err, ErrLocked) {
		t.Errorf("backup while running = %v, want ErrLocked", err)
	}
	if _, err := Restore(context.Background(), file, src); !errors.Is(err, ErrLocked) {
		t.Errorf("restore while running = %v, want ErrLocked", err)
	}
	if exists(filepath.Join(src, DBName+".bak")) {
		t.Error("a refused restore made a .bak")
	}
}

// Restore checks the backup before it replaces anything.
func TestRestoreRefusesBadBackups(t *testing.T) {
	src := backupFixture(t)
	good := filepath.Join(t.TempDir(), "good.backup")
	if _, err := Backup(context.Background(), src, good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	entries := readTar(t, data)
	tooNew := bytes.Clone(entries[DBName])
	// bump the schema inside the snapshot: write it back through bbolt
	tooNewFile := filepath.Join(t.TempDir(), "new.db")
	os.WriteFile(tooNewFile, tooNew, 0o600)
	bumpSchema(t, tooNewFile)
	tooNew, _ = os.ReadFile(tooNewFile)

	tests := []struct {
		name  string
		files map[string][]byte
		want  error
	}{
		{"not a tar", nil, ErrBadBackup},
		{"no journal", map[string][]byte{manifestName: entries[manifestName]}, ErrBadBackup},
		{"garbage journal", map[string][]byte{manifestName: entries[manifestName], DBName: bytes.Repeat([]byte("x"), 8192),
			"archive/2026-03.db": entries["archive/2026-03.db"]}, ErrCorrupt},
		{"schema too new", map[string][]byte{manifestName: entries[manifestName], DBName: tooNew,
			"archive/2026-03.db": entries["archive/2026-03.db"]}, ErrSchemaTooNew},
		{"path outside", map[string][]byte{manifestName: entries[manifestName], "../evil.db": entries[DBName]}, ErrBadBackup},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "bad.backup")
			if c.files == nil {
				os.WriteFile(file, []byte("not a backup at all, just text"), 0o600)
			} else {
				os.WriteFile(file, makeTar(t, c.files), 0o600)
			}
			dst := backupFixture(t)
			before, _ := os.ReadFile(filepath.Join(dst, DBName))
			if _, err := Restore(context.Background(), file, dst); !errors.Is(err, c.want) {
				t.Fatalf("Restore = %v, want %v", err, c.want)
			}
			after, _ := os.ReadFile(filepath.Join(dst, DBName))
			if !bytes.Equal(before, after) || exists(filepath.Join(dst, DBName+".bak")) {
				t.Error("a refused restore changed the data folder")
			}
		})
	}
}

func readTar(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		var b bytes.Buffer
		b.ReadFrom(tr)
		out[h.Name] = b.Bytes()
	}
	return out
}

func makeTar(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names) // manifest.json sorts after archive/… and kassa.db: order does not matter to Restore
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: n, Size: int64(len(files[n])), Mode: 0o600})
		tw.Write(files[n])
	}
	tw.Close()
	return b.Bytes()
}

func bumpSchema(t *testing.T, path string) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bktMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, SchemaVersion()+1))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzRestore feeds Restore arbitrary files: it must refuse them or restore a database that opens, never
// panic, and never write outside the data folder.
func FuzzRestore(f *testing.F) {
	src := f.TempDir()
	s, err := Open(filepath.Join(src, DBName), Options{})
	if err != nil {
		f.Fatal(err)
	}
	s.Close()
	good := filepath.Join(f.TempDir(), "good.backup")
	if _, err := Backup(context.Background(), src, good); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		f.Fatal(err)
	}
	entries := readTar(f, data)
	f.Add(data)
	f.Add([]byte("not a backup"))
	f.Add(makeTar(f, map[string][]byte{manifestName: entries[manifestName], "../x.db": entries[DBName]}))
	f.Add(makeTar(f, map[string][]byte{manifestName: entries[manifestName], DBName: []byte("short")}))
	f.Fuzz(func(t *testing.T, b []byte) {
		root := t.TempDir()
		file := filepath.Join(root, "in.backup")
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, "data")
		if _, err := Restore(context.Background(), file, dir); err != nil {
			return
		}
		s, err := Open(filepath.Join(dir, DBName), Options{})
		if err != nil {
			t.Fatalf("restored a database that does not open: %v", err)
		}
		s.Close()
		if leftovers, _ := filepath.Glob(filepath.Join(root, "*")); len(leftovers) != 2 {
			t.Errorf("restore wrote outside the data folder: %v", leftovers)
		}
	})
}
