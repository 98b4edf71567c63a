package terminal

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// warnings records the business conflicts the hub reports.
type warnings struct {
	mu   sync.Mutex
	list []hub.Warning
}

func (w *warnings) ObserveRequest(string, int, time.Duration) {}
func (w *warnings) ObservePull(string, int, int)              {}
func (w *warnings) ObserveBatch(b hub.BatchReport) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, b.Warnings...)
}

// TestPickupHandedOverTwiceOffline: two desks of the demo store pull the same order, lose the network, and
// each hands it over (each one's ledger only knows its own hand-over). When they reconnect, the real hub
// handler keeps the first hand-over, stores the second and reports it as a pickup conflict.
func TestPickupHandedOverTwiceOffline(t *testing.T) {
	ctx := context.Background()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := seedDemoPickup(ctx, st, DemoStore, time.Now()); err != nil {
		t.Fatal(err)
	}
	obs := &warnings{}
	srv := httptest.NewServer(hub.NewServer(st, hub.Options{Observer: obs, Pickup: demoPickupOptions()}).Handler())
	t.Cleanup(srv.Close)

	var terms []*Terminal
	for _, name := range []string{"desk-1", "desk-2"} {
		tok, err := st.AddTerminal(DemoStore, name)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		tokenFile := filepath.Join(dir, "token")
		if err := WriteToken(tokenFile, tok); err != nil {
			t.Fatal(err)
		}
		term, err := Open(ctx, Options{Terminal: name, Data: dir, Demo: true, KKTPort: "emulator", HubURL: srv.URL,
			TokenFile: tokenFile, Layout: barcode.DefaultWeightLayout()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { term.Close() })
		if _, err := term.Till.Recover(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := term.Puller.PullOnce(ctx); err != nil {
			t.Fatal(err)
		}
		terms = append(terms, term)
	}

	// Offline now: nothing is replayed until both have handed the overdue order W-24004 over.
	code, err := DemoPickupQR("W-24004", DemoStore, DemoKeyID, DemoKeys().QR[DemoKeyID], time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var sales []string
	for i, term := range terms {
		desk := pickup.New(pickup.Config{Store: term.Store, Till: term.Till, Keys: term.Keys.QRKey,
			Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()), StoreID: term.StoreID,
			Staff: fmt.Sprintf("Оператор %d", i+1), Channel: term.Store,
			NewID: func() string { return uuid.Must(uuid.NewV7()).String() }})
		v, err := desk.Find(code)
		if err != nil {
			t.Fatalf("%s: %v", term.StoreID, err)
		}
		for _, item := range []string{"4638653519042", "4667512725553"} {
			if _, err := v.Scan(item); err != nil {
				t.Fatal(err)
			}
		}
		res, err := desk.HandOver(ctx, v, nil)
		if err != nil {
			t.Fatalf("hand-over at desk %d: %v", i+1, err)
		}
		sales = append(sales, res.Sale.ID)
		if _, err := desk.Find(code); !strings.Contains(fmt.Sprint(err), "collected") {
			t.Fatalf("desk %d: the order handed over here is not refused: %v", i+1, err)
		}
	}

	for _, term := range terms { // back online, one after the other
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- term.Replayer.Run(rctx) }()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s, err := term.Store.OutboxStats()
			if err != nil {
				t.Fatal(err)
			}
			if s.Unsent == 0 && s.DeadLetters == 0 {
				break
			}
			if time.Now().After(deadline) || s.DeadLetters > 0 {
				t.Fatalf("outbox of %s: %+v", term.StoreID, s)
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		<-done
	}

	o, err := st.PickupOrder(ctx, hub.PickupOrderID(DemoStore, "W-24004"))
	if err != nil || o.Status != wire.PickupCollected {
		t.Fatalf("hub's order %+v, %v: want collected", o, err)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if len(obs.list) != 1 || obs.list[0].Kind != hub.WarnPickupConflict ||
		!strings.Contains(obs.list[0].Detail, "desk-2") || !strings.Contains(obs.list[0].Detail, "by desk-1") {
		t.Fatalf("hub warnings %+v: want one pickup conflict, desk-2 after desk-1", obs.list)
	}
	stored, err := st.Sales(DemoStore)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range stored {
		for _, id := range sales {
			if s.Sale.ID == id {
				n++
			}
		}
	}
	if n != 2 {
		t.Errorf("the hub has %d of the two settlement receipts; both happened and must be kept", n)
	}
}
