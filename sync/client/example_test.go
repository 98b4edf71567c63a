package client_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
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

// A terminal pulls the hub's feeds into its store: each page is applied with its cursor in one
// transaction, so the next round asks only for what changed since.
func ExampleNewPuller() {
	dir, err := os.MkdirTemp("", "kassa")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	hubDB, err := hub.Open(filepath.Join(dir, "hub.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer hubDB.Close()
	token, _ := hubDB.AddTerminal("store-7", "till-1")
	_, err = hubDB.ImportCatalog(context.Background(), "store-7", []wire.Product{
		{ID: "1001", Name: "Хлеб Дарницкий", Barcodes: []string{"4601234567893"}, Price: 6290, VAT: "10", Unit: "pcs"},
	}, true)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(hubDB, hub.Options{}).Handler())
	defer srv.Close()

	st, err := store.Open(filepath.Join(dir, "kassa.db"), store.Options{Terminal: "till-1"})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	p := client.NewPuller(client.Feeds{Catalog: st.CatalogFeed(), Customers: st.CustomerFeed(),
		Offers: st.OfferFeed(), PickupOrders: st.PickupFeed()}, client.PullConfig{BaseURL: srv.URL, Token: token})
	if _, err := p.PullOnce(context.Background()); err != nil { // the app runs p.Run for the life of the till
		log.Fatal(err)
	}
	bread, err := st.ProductByBarcode("4601234567893")
	fmt.Println(bread.Name, bread.Price, err)
	// Output: Хлеб Дарницкий 62,90 <nil>
}
