package store

import "go.etcd.io/bbolt"

// RawBarcodeGet is the lookup benchmark's baseline (bench_catalog_test.go, an external test package): one
// read transaction with one bare Get in the barcode index, no decoding.
func RawBarcodeGet(s *Store, code []byte) bool {
	found := false
	_ = s.db.View(func(tx *bbolt.Tx) error {
		found = tx.Bucket(bktBarcodes).Get(code) != nil
		return nil
	})
	return found
}
