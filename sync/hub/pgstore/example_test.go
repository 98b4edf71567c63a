package pgstore_test

import (
	"context"
	"log"
	"net/http"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/pgstore"
)

// A hub instance on PostgreSQL: Open migrates the schema (safely, with other instances starting at the
// same time) and the Store serves the sync API like the bbolt Storage. Run as many as the chain needs.
func ExampleOpen() {
	ctx := context.Background()
	st, err := pgstore.Open(ctx, "postgres://kassahub@db.example.ru:5432/kassahub?sslmode=verify-full&pool_max_conns=16")
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	log.Fatal(http.ListenAndServe("127.0.0.1:8787", hub.NewServer(st, hub.Options{}).Handler()))
}
