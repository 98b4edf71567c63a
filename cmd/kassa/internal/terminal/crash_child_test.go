package terminal

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/sync/wire"
)

// The crash test's till runs in a child process (the test binary re-executed) so that SIGKILL hits a
// real process with a real bbolt file and a real serial port, as a power cut or an OOM kill would.
const (
	envChildMode = "KASSA_CRASH_CHILD" // "sale" or "recover"; absent in a normal test run
	envChildData = "KASSA_CRASH_DATA"
	envChildPort = "KASSA_CRASH_PORT"
	envChildStep = "KASSA_CRASH_STEP" // the checkout.Step at which the sale child stops and waits to be killed
)

// The catalog the child loads and the receipt it sells: two of the first product and one of the second.
var (
	crashProducts = []pos.Product{
		{ID: "1001", Name: "Молоко 3,2% 1 л", Barcodes: []string{"4607000000014"}, Price: 8990, VAT: pos.VAT10},
		{ID: "1002", Name: "Шоколад тёмный", Barcodes: []string{"4607000000021"}, Price: 4550, VAT: pos.VAT20},
	}
	crashScans = []string{"4607000000014", "4607000000021", "4607000000014"}
)

const (
	crashTotal   pos.Money = 2*8990 + 4550
	crashCashIn  pos.Money = 25000
	crashCashier           = "Иванова"
)

// childReport is what a child prints on its RESULT line.
type childReport struct {
	Sale     *pos.Sale         `json:"sale,omitempty"`
	Recovery checkout.Recovery `json:"recovery"`
	Journal  []pos.Sale        `json:"journal"`
	Events   []wire.Event      `json:"events"`
	Open     bool              `json:"shift_open"`
}

// TestCrashChild is the till process of TestCrash; without its environment it does nothing.
func TestCrashChild(t *testing.T) {
	mode := os.Getenv(envChildMode)
	if mode == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	data := os.Getenv(envChildData)
	crashAt := checkout.Step(os.Getenv(envChildStep))
	term, err := Open(ctx, Options{
		Terminal:  "till-1",
		Data:      data,
		KKTPort:   os.Getenv(envChildPort),
		HubURL:    "http://127.0.0.1:1",
		TokenFile: filepath.Join(data, "token"),
		Layout:    barcode.DefaultWeightLayout(),
		Step: func(s checkout.Step) {
			fmt.Printf("STEP %s\n", s)
			if s == crashAt {
				// Wait for the parent's SIGKILL; a sleeping goroutine keeps the runtime's deadlock check quiet.
				for {
					time.Sleep(time.Hour)
				}
			}
		},
	})
	if err != nil {
		t.Fatalf("open terminal: %v", err)
	}
	defer term.Close()

	var rep childReport
	switch mode {
	case "sale":
		rep.Recovery, rep.Sale = childSell(ctx, t, term)
	case "recover":
		if rep.Recovery, err = term.Till.Recover(ctx); err != nil {
			t.Fatalf("recover: %v", err)
		}
	default:
		t.Fatalf("unknown child mode %q", mode)
	}
	_, rep.Open = term.Till.Shift()
	if rep.Journal, err = term.Store.RecentSales(100); err != nil {
		t.Fatal(err)
	}
	if rep.Events, err = term.Store.PeekEvents(ctx, 100); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("RESULT %s\n", b)
}

// childSell is a till's day in miniature: catalog, recovery, shift, three scans, cash.
func childSell(ctx context.Context, t *testing.T, term *Terminal) (checkout.Recovery, *pos.Sale) {
	n, err := term.Store.ProductCount()
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		if err := term.Store.PutProducts(crashProducts); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := term.Till.Recover(ctx)
	if err != nil {
		t.Fatalf("recover: %v", err)
	}
	if _, open := term.Till.Shift(); !open {
		if err := term.Till.OpenShift(ctx, crashCashier); err != nil {
			t.Fatalf("open shift: %v", err)
		}
	}
	for _, code := range crashScans {
		if _, err := term.Till.Scan(code, 0); err != nil {
			t.Fatalf("scan %s: %v", code, err)
		}
	}
	sale, err := term.Till.Pay(ctx, []pos.Payment{{Method: pos.PayCash, Amount: crashCashIn}})
	if err != nil {
		t.Fatalf("pay: %v", err)
	}
	return rec, &sale
}
