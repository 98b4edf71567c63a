package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "kassa")
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "kassa.db"), store.Options{Terminal: "store-12/till-3"})
	if err != nil {
		log.Fatal(err) // errors.Is(err, store.ErrLocked): another Kassa runs; store.ErrCorrupt: a bad file
	}
	defer s.Close()
	v, _ := s.SchemaOf()
	fmt.Println("schema", v)
	// Output: schema 4
}

// A sale is journalled as pending before the ККТ is touched, then completed with the ККТ's answer; the
// completion queues the sale's outbox event in the same transaction.
func ExampleStore_CompleteSale() {
	dir, _ := os.MkdirTemp("", "kassa")
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "kassa.db"), store.Options{Terminal: "till-3"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	sale := pos.Sale{
		ID: "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", Shift: 12, CreatedAt: time.Now(),
		Lines: []pos.Line{{ProductID: "1001", Name: "Молоко 3,2% 930 мл", Price: 10990, Qty: pos.QtyOne,
			VAT: pos.VAT10, Sum: 10990}},
		Total: 10990, Payments: []pos.Payment{{Method: pos.PayCard, Amount: 10990}},
		Status: pos.SalePending,
	}
	if err := s.BeginSale(sale); err != nil { // fsync'd: now the ККТ may be asked
		log.Fatal(err)
	}
	fiscal := pos.FiscalResult{FDNumber: 42, FiscalSign: 1234567890, FNSerial: "9999078900012345",
		At: time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC), Shift: 12}
	done, err := s.CompleteSale(sale.ID, fiscal)
	if err != nil {
		log.Fatal(err)
	}
	evs, _ := s.PeekEvents(context.Background(), 10)
	fmt.Println(done.Status, len(evs), evs[0].Type, evs[0].ID == sale.ID)
	fmt.Println(done.Fiscal.QR(done.Total))
	// Output:
	// fiscalised 1 sale true
	// t=20260302T1405&s=109.90&fn=9999078900012345&i=42&fp=1234567890&n=1
}

// BeginSale is the commit made before the ККТ is touched; after a crash, PendingSales lists what recovery
// must resolve against the ККТ.
func ExampleStore_BeginSale() {
	dir, _ := os.MkdirTemp("", "kassa")
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "kassa.db"), store.Options{Terminal: "till-3"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	sale := pos.Sale{ID: "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", Total: 6290, Status: pos.SalePending,
		Payments: []pos.Payment{{Method: pos.PayCash, Amount: 10000}}, Change: 3710}
	if err := s.BeginSale(sale); err != nil {
		log.Fatal(err)
	}
	pending, _ := s.PendingSales()
	evs, _ := s.PeekEvents(context.Background(), 10)
	fmt.Println(len(pending), pending[0].Status, len(evs))
	// Output: 1 pending 0
}
