package store

import (
	"encoding/binary"
	"fmt"

	"github.com/kassa-pos/kassa/sync/outbox"
	"go.etcd.io/bbolt"
)

// Bucket names. Keys are documented where each bucket is written.
var (
	bktMeta        = []byte("meta")          // "schema" -> uint32 big-endian
	bktProducts    = []byte("products")      // article id -> encodeProduct
	bktBarcodes    = []byte("barcodes")      // barcode -> article id
	bktPLU         = []byte("plu")           // PLU -> article id
	bktSales       = []byte("sales")         // see journal.go (schema 1: sale id -> JSON pos.Sale)
	bktSalesOrder  = []byte("sales_order")   // big-endian journal seq -> sale id
	bktPending     = []byte("sales_pending") // schema 1 only: sale id -> (empty), now in bktSales
	bktShiftTotals = []byte("shift_totals")  // schema 1 only: big-endian shift -> shiftTotals, now in bktSales
	bktShifts      = []byte("shifts")        // big-endian shift number -> JSON pos.Shift
	bktDeferred    = []byte("deferred")      // receipt id -> JSON pos.DeferredReceipt
	bktSettings    = []byte("settings")      // key -> value

	keySchema = []byte("schema")
)

// migration brings a database from version-1 to version. Migrations run in order, each in its own
// transaction together with the new version number, so a crash leaves the file at a consistent version.
type migration struct {
	version uint32
	apply   func(tx *bbolt.Tx) error
}

// migrations is the ordered schema history. Append, never edit: files in the field have run the old ones.
var migrations = []migration{
	{1, func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bktProducts, bktBarcodes, bktPLU, bktSales, bktSalesOrder, bktPending,
			bktShiftTotals, bktShifts, bktDeferred, bktSettings} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return outbox.Init(tx)
	}},
	{2, migrateJournalV2},
	{3, createPullBuckets}, // pull.go
	{4, buildNameIndex},    // searchindex.go
}

// SchemaVersion is the schema this program writes.
func SchemaVersion() uint32 { return migrations[len(migrations)-1].version }

func readSchema(tx *bbolt.Tx) (uint32, error) {
	meta := tx.Bucket(bktMeta)
	if meta == nil {
		return 0, nil // a new file, or one from before versioning
	}
	v := meta.Get(keySchema)
	if v == nil {
		return 0, nil
	}
	if len(v) != 4 {
		return 0, fmt.Errorf("%w: schema version is %d bytes", ErrCorrupt, len(v))
	}
	return binary.BigEndian.Uint32(v), nil
}

// SchemaOf reports the schema version of the open database.
func (s *Store) SchemaOf() (uint32, error) {
	var v uint32
	err := s.view(func(tx *bbolt.Tx) (err error) { v, err = readSchema(tx); return err })
	return v, err
}

func (s *Store) migrate() error {
	var current uint32
	if err := s.view(func(tx *bbolt.Tx) (err error) { current, err = readSchema(tx); return err }); err != nil {
		return err
	}
	if latest := SchemaVersion(); current > latest {
		return fmt.Errorf("%w: file has version %d, this program knows up to %d", ErrSchemaTooNew, current, latest)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		err := s.update(func(tx *bbolt.Tx) error {
			if err := m.apply(tx); err != nil {
				return err
			}
			meta, err := tx.CreateBucketIfNotExists(bktMeta)
			if err != nil {
				return err
			}
			return meta.Put(keySchema, binary.BigEndian.AppendUint32(nil, m.version))
		})
		if err != nil {
			return fmt.Errorf("migrate to schema %d: %w", m.version, err)
		}
		current = m.version
	}
	return s.buildRefundIndexes()
}
