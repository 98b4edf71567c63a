package pgstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kassa-pos/kassa/sync/hub/pgstore"
	"github.com/kassa-pos/kassa/sync/hub/pgstore/pgtest"
)

func TestMigrationFiles(t *testing.T) {
	list, err := pgstore.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range list {
		if m.Version != i+1 || m.Name == "" || !strings.Contains(m.SQL, "CREATE") {
			t.Errorf("migration %d: version %d %q", i, m.Version, m.Name)
		}
	}
}

// TestOpenConcurrently: instances starting at the same moment on an empty database migrate it once,
// under the advisory lock, and agree on its epoch.
func TestOpenConcurrently(t *testing.T) {
	dsn := pgtest.DSN(t)
	const n = 4
	stores := make([]*pgstore.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = pgstore.Open(context.Background(), dsn)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		defer stores[i].Close()
	}
	list, _ := pgstore.Migrations()
	for i, st := range stores {
		v, err := st.SchemaVersion(context.Background())
		if err != nil || v != len(list) {
			t.Errorf("instance %d: schema version %d, %v; want %d", i, v, err, len(list))
		}
		if st.Epoch() != stores[0].Epoch() || len(st.Epoch()) != 12 {
			t.Errorf("instance %d: epoch %q, instance 0 %q", i, st.Epoch(), stores[0].Epoch())
		}
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var rows int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM schema_migrations").Scan(&rows); err != nil || rows != len(list) {
		t.Errorf("schema_migrations has %d rows, %v; want %d", rows, err, len(list))
	}
}

// TestNewerSchemaRefused: a kassahub older than the database's schema refuses to run on it.
func TestNewerSchemaRefused(t *testing.T) {
	dsn := pgtest.DSN(t)
	open(t, dsn)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "INSERT INTO schema_migrations (version, name) VALUES (999, 'future')"); err != nil {
		t.Fatal(err)
	}
	st, err := pgstore.Open(context.Background(), dsn)
	if err == nil {
		st.Close()
		t.Fatal("opened a database of a newer schema")
	}
	if !strings.Contains(err.Error(), "newer than this kassahub") {
		t.Errorf("error %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []string{
		"not a dsn ://",
		"postgres://kassa@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", // nothing listens on port 1
	}
	for _, dsn := range tests {
		if st, err := pgstore.Open(context.Background(), dsn); err == nil {
			st.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}
