// Package store is the terminal's local database: every bbolt access of the terminal lives here. It holds
// the catalog with its barcode and PLU indexes, the sales journal, shifts, deferred receipts, settings and
// the sync outbox (whose bucket layout is sync/outbox), so that a sale and its outbox event are committed
// in one fsync'd transaction.
//
// All access goes through managed transactions (View/Update); values are copied out before a transaction
// ends. A panic inside bbolt (it may panic on a damaged file) is turned into an error wrapping ErrCorrupt.
package store

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

var (
	// ErrLocked means another process holds the database file (another copy of Kassa is running).
	ErrLocked = errors.New("database is locked by another process")
	// ErrCorrupt means the file is not a Kassa database or is damaged.
	ErrCorrupt = errors.New("database file is corrupt")
	// ErrSchemaTooNew means the file was written by a newer Kassa; it is not touched.
	ErrSchemaTooNew = errors.New("database schema is newer than this program")
	// ErrNotFound means no record has the key (sale, setting).
	ErrNotFound = errors.New("not found")
	// ErrSaleState means the operation does not fit the sale's status (e.g. cancelling a fiscalised sale).
	ErrSaleState = errors.New("sale is not in a state that allows this")
	// ErrSaleExists means BeginSale was given an id that is already in the journal.
	ErrSaleExists = errors.New("sale already in the journal")
	// ErrInvalid means an argument is missing or malformed (empty id, bad shift number).
	ErrInvalid = errors.New("invalid argument")
)

// DefaultLockTimeout is how long Open waits for another process to release the file.
const DefaultLockTimeout = time.Second

// Options configure Open.
type Options struct {
	Terminal    string        // the terminal name put on outbox events
	LockTimeout time.Duration // how long to wait for the file lock; 0 means DefaultLockTimeout
	// BuyerKey (BuyerKeySize bytes) seals the buyer's contact in the journal (buyer.go); nil keeps it in
	// clear, as before.
	BuyerKey []byte
	// ArchiveDir holds the archived journal (archive.go); empty means "archive" beside the database.
	ArchiveDir string
}

// Store is an open terminal database. Its methods are safe for concurrent use (bbolt serialises writers).
type Store struct {
	db       *bbolt.DB
	terminal string
	now      func() time.Time
	loyalty  loyaltyClock // orders loyalty acks and customers pulls (loyalty.go)
	buyer    cipher.AEAD  // seals the buyer's contact; nil without Options.BuyerKey (buyer.go)
	archive  string       // the archive folder (archive.go)
	archMu   sync.Mutex   // one archive file open at a time in this process (bbolt locks the file)
}

// Open opens or creates the database at path and migrates it to the current schema. fsync stays on: a
// sale acknowledged by the store survives a power cut.
func Open(path string, opt Options) (s *Store, err error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = DefaultLockTimeout
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, classifyWrite(err))
		}
	}
	aead, err := newBuyerCipher(opt.BuyerKey)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if opt.ArchiveDir == "" {
		opt.ArchiveDir = filepath.Join(filepath.Dir(path), "archive")
	}
	db, err := openBolt(path, opt.LockTimeout)
	if err != nil {
		return nil, err
	}
	s = &Store{db: db, terminal: opt.Terminal, now: time.Now, buyer: aead, archive: opt.ArchiveDir}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

func openBolt(path string, timeout time.Duration) (db *bbolt.DB, err error) {
	defer func() {
		// bbolt may panic on a file that is not a database at all.
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("store: open %s: %w: %v", path, ErrCorrupt, r)
		}
	}()
	// The map freelist only changes the in-memory index of free pages (the file format is the same): after
	// a catalog import leaves many free pages, allocating in each sale commit stays O(1) instead of a scan.
	// The 1 GB initial mapping is address space, not memory: a growing file (a first catalog pull) is not
	// remapped, and a remap would first copy every dirty key and value of the transaction to the heap.
	db, err = bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout, NoSync: false,
		FreelistType: bbolt.FreelistMapType, InitialMmapSize: 1 << 30})
	if err == nil {
		return db, nil
	}
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, bberrors.ErrTimeout):
		return nil, fmt.Errorf("store: open %s: %w (waited %v)", path, ErrLocked, timeout)
	case errors.As(err, &pathErr):
		return nil, fmt.Errorf("store: open %s: %w", path, classifyWrite(err))
	default: // ErrInvalid, ErrChecksum, ErrVersionMismatch, "file size too small", mapping errors
		return nil, fmt.Errorf("store: open %s: %w: %w", path, ErrCorrupt, err)
	}
}

// Close releases the file. The Store must not be used afterwards.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.db.Path() }

// view runs fn in a read transaction, turning a bbolt panic on a damaged page into ErrCorrupt.
func (s *Store) view(fn func(tx *bbolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return s.db.View(fn)
}

// update runs fn in a write transaction committed with fsync. bbolt rolls the transaction back on a panic.
func (s *Store) update(fn func(tx *bbolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return classifyWrite(s.db.Update(fn)) // a full or read-only disk is typed (diskerr.go)
}

func recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("store: %w: %v", ErrCorrupt, r)
	}
}

// bucket returns a bucket that the schema guarantees; a missing one means the file was tampered with.
func bucket(tx *bbolt.Tx, name []byte) (*bbolt.Bucket, error) {
	b := tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("%w: bucket %s missing", ErrCorrupt, name)
	}
	return b, nil
}
