package store

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// A backup of a data folder is one tar file:
//
//	manifest.json        BackupManifest
//	kassa.db             a consistent snapshot of the database (one bbolt read transaction, tx.WriteTo)
//	archive/YYYY-MM.db   a snapshot of each archive file (archive.go)
//
// It is taken and restored while the terminal is closed: both hold the database's file lock for the
// whole operation, so a running till makes them fail with ErrLocked instead of racing it. The token, the
// buyer key and the config are not in it: they are secrets or the administrator's own file (see the
// README), and a backup on a USB stick should not carry them.

// DBName is the database file's name in a data folder.
const DBName = "kassa.db"

const (
	manifestName  = "manifest.json"
	backupFormat  = 1
	backupArchive = "archive"
)

// ErrBadBackup means the file is not a Kassa backup or is damaged: nothing was restored.
var ErrBadBackup = errors.New("not a usable Kassa backup")

// BackupManifest describes a backup.
type BackupManifest struct {
	Format  int       `json:"format"`
	Created time.Time `json:"created"`
	Schema  uint32    `json:"schema"` // of kassa.db
	Files   []string  `json:"files"`  // the tar's database entries
}

// Backup writes a backup of the data folder dir to file (mode 0600): to a temporary file beside it,
// fsync'd, then renamed over file and the folder synced, so a power cut leaves the old backup or the new
// one, never half of one.
func Backup(ctx context.Context, dir, file string) (BackupManifest, error) {
	lock, err := lockDB(filepath.Join(dir, DBName), false)
	if err != nil {
		return BackupManifest{}, fmt.Errorf("store: backup: %w", err)
	}
	defer lock.Close()
	f, err := os.CreateTemp(filepath.Dir(file), ".kassa-backup-*")
	if err != nil {
		return BackupManifest{}, fmt.Errorf("store: backup: %w", classifyWrite(err))
	}
	defer os.Remove(f.Name()) // after the rename there is nothing left to remove
	m, err := writeBackup(ctx, lock, dir, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err == nil {
		err = syncDir(filepath.Dir(file))
	}
	if err != nil {
		return BackupManifest{}, fmt.Errorf("store: backup to %s: %w", file, classifyWrite(err))
	}
	return m, nil
}

func writeBackup(ctx context.Context, db *bbolt.DB, dir string, w io.Writer) (BackupManifest, error) {
	m := BackupManifest{Format: backupFormat, Created: time.Now().UTC(), Files: []string{DBName}}
	archives, err := ListArchive(filepath.Join(dir, backupArchive))
	if err != nil {
		return m, err
	}
	for _, a := range archives {
		m.Files = append(m.Files, path.Join(backupArchive, filepath.Base(a)))
	}
	tw := tar.NewWriter(w)
	err = db.View(func(tx *bbolt.Tx) error {
		if m.Schema, err = readSchema(tx); err != nil {
			return err
		}
		manifest, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(fileHeader(manifestName, int64(len(manifest)), m.Created)); err != nil {
			return err
		}
		if _, err := tw.Write(manifest); err != nil {
			return err
		}
		return writeTx(tw, DBName, tx, m.Created)
	})
	if err != nil {
		return m, err
	}
	for i, a := range archives {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		adb, err := bbolt.Open(a, 0o600, &bbolt.Options{Timeout: DefaultLockTimeout, ReadOnly: true})
		if err != nil {
			return m, fmt.Errorf("archive %s: %w", a, err)
		}
		err = adb.View(func(tx *bbolt.Tx) error { return writeTx(tw, m.Files[i+1], tx, m.Created) })
		if cerr := adb.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return m, fmt.Errorf("archive %s: %w", a, err)
		}
	}
	return m, tw.Close()
}

func fileHeader(name string, size int64, at time.Time) *tar.Header {
	return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: at, Format: tar.FormatPAX}
}

// writeTx puts a consistent copy of the transaction's database into the tar.
func writeTx(tw *tar.Writer, name string, tx *bbolt.Tx, at time.Time) error {
	if err := tw.WriteHeader(fileHeader(name, tx.Size(), at)); err != nil {
		return err
	}
	_, err := tx.WriteTo(tw)
	return err
}

// lockDB opens the database file only to hold its lock (shared for a backup, exclusive for a restore):
// a running terminal holds it exclusively, and then this fails with ErrLocked.
func lockDB(path string, exclusive bool) (*bbolt.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: DefaultLockTimeout, ReadOnly: !exclusive})
	if errors.Is(err, bberrors.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w: close the terminal first", path, ErrLocked)
	}
	if err != nil {
		return nil, classifyWrite(err)
	}
	return db, nil
}

// RestoreResult says what Restore put back and where the replaced files went.
type RestoreResult struct {
	Manifest BackupManifest
	Replaced []string // the previous database and archive folder, kept as .bak
}

// Restore replaces the database (and the archive folder, if the backup has one) of the data folder dir
// with those of the backup file. The backup is unpacked beside them and checked first: each file must
// open as a bbolt database, kassa.db must have a schema this program knows (an older one is migrated at
// the next start) and the buckets of the journal, each archive file its sales. Only then are the current
// kassa.db and archive renamed to kassa.db.bak and archive.bak (replacing older ones) and the restored ones
// renamed into place. A running terminal makes it fail with ErrLocked before anything is touched.
func Restore(ctx context.Context, file, dir string) (RestoreResult, error) {
	var res RestoreResult
	live := filepath.Join(dir, DBName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, fmt.Errorf("store: restore: %w", classifyWrite(err))
	}
	lock, err := lockDB(live, true)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return res, fmt.Errorf("store: restore: %w", err)
	default:
		defer lock.Close() // held until the new file is in place
	}
	staging, err := os.MkdirTemp(dir, ".restore-*")
	if err != nil {
		return res, fmt.Errorf("store: restore: %w", classifyWrite(err))
	}
	defer os.RemoveAll(staging)
	if res.Manifest, err = unpack(ctx, file, staging); err != nil {
		return res, fmt.Errorf("store: restore %s: %w", file, err)
	}
	for _, name := range res.Manifest.Files {
		if err := verifyFile(filepath.Join(staging, name), name == DBName); err != nil {
			return res, fmt.Errorf("store: restore %s: %s: %w", file, name, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("store: restore: %w", err)
	}
	moves := []struct{ from, to string }{{live, live + ".bak"}, {filepath.Join(staging, DBName), live}}
	if arc := filepath.Join(staging, backupArchive); exists(arc) || exists(filepath.Join(dir, backupArchive)) {
		cur := filepath.Join(dir, backupArchive)
		if err := os.RemoveAll(cur + ".bak"); err != nil {
			return res, fmt.Errorf("store: restore: %w", err)
		}
		if err := os.MkdirAll(arc, 0o700); err != nil { // a backup without archive files empties the folder
			return res, fmt.Errorf("store: restore: %w", err)
		}
		moves = append(moves, struct{ from, to string }{cur, cur + ".bak"}, struct{ from, to string }{arc, cur})
	}
	for _, mv := range moves {
		if !exists(mv.from) {
			continue
		}
		if err := os.Rename(mv.from, mv.to); err != nil {
			return res, fmt.Errorf("store: restore: %w", classifyWrite(err))
		}
		if strings.HasSuffix(mv.to, ".bak") {
			res.Replaced = append(res.Replaced, mv.to)
		}
	}
	if err := syncDir(dir); err != nil {
		return res, fmt.Errorf("store: restore: %w", classifyWrite(err))
	}
	return res, nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// unpack extracts the backup into dir, each file fsync'd, and returns its manifest. Only the names a
// backup has are accepted: no paths outside dir, no links.
func unpack(ctx context.Context, file, dir string) (BackupManifest, error) {
	var m BackupManifest
	f, err := os.Open(file)
	if err != nil {
		return m, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	seen := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("%w: %w", ErrBadBackup, err)
		}
		if h.Name == manifestName {
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
				return m, fmt.Errorf("%w: manifest: %w", ErrBadBackup, err)
			}
			continue
		}
		if h.Typeflag != tar.TypeReg || !backupName(h.Name) {
			return m, fmt.Errorf("%w: unexpected entry %q", ErrBadBackup, h.Name)
		}
		if err := extract(tr, filepath.Join(dir, filepath.FromSlash(h.Name))); err != nil {
			return m, err
		}
		seen[h.Name] = true
	}
	if m.Format != backupFormat {
		return m, fmt.Errorf("%w: format %d, want %d", ErrBadBackup, m.Format, backupFormat)
	}
	for _, name := range m.Files {
		if !seen[name] {
			return m, fmt.Errorf("%w: %s is missing", ErrBadBackup, name)
		}
	}
	if !seen[DBName] {
		return m, fmt.Errorf("%w: no %s", ErrBadBackup, DBName)
	}
	return m, nil
}

func backupName(name string) bool {
	if name == DBName {
		return true
	}
	dir, base := path.Split(name)
	return dir == backupArchive+"/" && strings.HasSuffix(base, ".db") && isMonth(strings.TrimSuffix(base, ".db"))
}

func extract(r io.Reader, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return classifyWrite(err)
	}
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return classifyWrite(err)
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(dst), classifyWrite(err))
	}
	return nil
}

// verifyFile opens a restored file read-only and checks it: the journal's schema and buckets, or an
// archive file's sales.
func verifyFile(p string, journal bool) (err error) {
	defer recoverCorrupt(&err)
	db, err := bbolt.Open(p, 0o600, &bbolt.Options{Timeout: DefaultLockTimeout, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	defer db.Close()
	return db.View(func(tx *bbolt.Tx) error {
		if !journal {
			if tx.Bucket(arcSales) == nil {
				return fmt.Errorf("%w: no sales in the archive file", ErrCorrupt)
			}
			return checkTx(tx)
		}
		v, err := readSchema(tx)
		if err != nil {
			return err
		}
		if v == 0 {
			return fmt.Errorf("%w: no schema version", ErrCorrupt)
		}
		if v > SchemaVersion() {
			return fmt.Errorf("%w: file has version %d, this program knows up to %d", ErrSchemaTooNew, v, SchemaVersion())
		}
		for _, name := range [][]byte{bktMeta, bktProducts, bktBarcodes, bktSales, bktSalesOrder, bktShifts, bktSettings,
			[]byte("outbox"), []byte("outbox_ids"), []byte("outbox_dead")} {
			if tx.Bucket(name) == nil {
				return fmt.Errorf("%w: bucket %s missing", ErrCorrupt, name)
			}
		}
		return checkTx(tx)
	})
}

// checkTx runs bbolt's consistency check (every page reachable once, no page both used and free).
// The channel is drained to the end: the check runs in a goroutine that reads the transaction's pages.
func checkTx(tx *bbolt.Tx) error {
	var first error
	for err := range tx.Check() {
		if first == nil {
			first = fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	}
	return first
}
