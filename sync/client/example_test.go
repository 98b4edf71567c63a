package client_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/hub"
)

// A terminal wires its outbox to a Replayer, runs it for the life of the app, calls Notify after each
// committed sale and shows Status in the status bar.
func ExampleNewReplayer() {
	dir, err := os.MkdirTemp("", "kassahub")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := hub.Open(filepath.Join(dir, "hub.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	token, err := st.AddTerminal("store-7", "till-1")
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(st, hub.Options{}).Handler())
	defer srv.Close()

	outbox := newMemQueue(saleEvents(3)...) // the terminal's pos/store in the real app
	r := client.NewReplayer(outbox, client.Config{BaseURL: srv.URL, Token: token})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()

	r.Notify() // after a sale and its outbox event were committed
	for outbox.depth() > 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	fmt.Println("run:", <-done)
	fmt.Println("online:", r.Status().Online)
	n, _ := st.EventCount()
	fmt.Println("hub holds", n, "events")
	// Output:
	// run: context canceled
	// online: true
	// hub holds 3 events
}
