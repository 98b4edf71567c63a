package hub_test

import (
	"path/filepath"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/storetest"
)

// TestStorageSuite runs the storage suite every hub backend passes (the PostgreSQL one runs it too).
func TestStorageSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Store, func() storetest.Store) {
		st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		// bbolt allows one process per file: a second instance is the same Storage.
		return st, func() storetest.Store { return st }
	})
}
