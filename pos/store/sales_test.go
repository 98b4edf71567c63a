package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

var saleTime = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)

func testSale(id string, shift int) pos.Sale {
	return pos.Sale{
		ID: id, Terminal: "T1", Cashier: "Иванова", Shift: shift, CreatedAt: saleTime,
		Lines: []pos.Line{
			{ProductID: "1001", Name: "Молоко 3,2%", Barcode: "4607053470017", Price: 10990, Qty: pos.Pieces(2), VAT: pos.VAT10, Sum: 21980},
			{ProductID: "1003", Name: "Бананы", Price: 15990, Qty: 734, Unit: pos.UnitKg, VAT: pos.VAT10, Discount: 100, Sum: 11637},
			{ProductID: "1004", Name: "Порошок", Price: 79900, Qty: pos.QtyOne, VAT: pos.VAT22, Sum: 79900,
				Cancelled: true, CancelledAt: saleTime},
		},
		Total:    33617,
		VAT:      []pos.VATAmount{{Rate: pos.VAT10, Base: 33617, Tax: 3056}},
		Payments: []pos.Payment{{Method: pos.PayCash, Amount: 20000}, {Method: pos.PayCard, Amount: 15000}},
		Change:   1383,
		Status:   pos.SalePending,
	}
}

var testFiscal = pos.FiscalResult{FDNumber: 163, FiscalSign: 776727275, FNSerial: "9999078900012345",
	At: time.Date(2026, 3, 2, 14, 5, 30, 0, time.UTC), Shift: 7}

func unsent(t *testing.T, s *Store) []wire.Event {
	t.Helper()
	evs, err := s.PeekEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestSaleOutboxAtomicity(t *testing.T) {
	s := openTemp(t)
	sale := testSale("0195a1b2-0000-7000-8000-000000000001", 7)
	if err := s.BeginSale(sale); err != nil {
		t.Fatal(err)
	}
	if evs := unsent(t, s); len(evs) != 0 {
		t.Fatalf("after BeginSale: %d events, want 0", len(evs))
	}
	got, err := s.Sale(sale.ID)
	if err != nil || !reflect.DeepEqual(got, sale) {
		t.Fatalf("journal round trip:\n got %+v, %v\nwant %+v", got, err, sale)
	}
	done, err := s.CompleteSale(sale.ID, testFiscal)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != pos.SaleFiscalised || done.Fiscal == nil || *done.Fiscal != testFiscal {
		t.Fatalf("completed sale %+v", done)
	}
	evs := unsent(t, s)
	if len(evs) != 1 {
		t.Fatalf("after CompleteSale: %d events, want 1", len(evs))
	}
	ev := evs[0]
	if ev.ID != sale.ID || ev.Type != wire.TypeSale || ev.Seq != 1 || ev.Terminal != "T1" || !ev.At.Equal(testFiscal.At) {
		t.Errorf("event header %+v", ev)
	}
	var payload wire.Sale
	if err := json.Unmarshal(ev.Payload, &payload); err != nil {
		t.Fatal(err)
	}
	want := wire.Sale{
		ID: sale.ID, Terminal: "T1", Cashier: "Иванова", Shift: 7, CreatedAt: saleTime,
		Lines: []wire.SaleLine{
			{ProductID: "1001", Name: "Молоко 3,2%", Barcode: "4607053470017", Price: 10990, Qty: 2000, Unit: "pcs", VAT: "10", Sum: 21980},
			{ProductID: "1003", Name: "Бананы", Price: 15990, Qty: 734, Unit: "kg", VAT: "10", Discount: 100, Sum: 11637},
		},
		Total: 33617, VAT: []wire.VATAmount{{Rate: "10", Base: 33617, Tax: 3056}},
		Payments: []wire.Payment{{Method: "cash", Amount: 20000}, {Method: "card", Amount: 15000}},
		Change:   1383,
		Fiscal: wire.Fiscal{FDNumber: 163, FiscalSign: 776727275, FNSerial: "9999078900012345", At: testFiscal.At,
			QR: "t=20260302T1405&s=336.17&fn=9999078900012345&i=163&fp=776727275&n=1"},
	}
	if !reflect.DeepEqual(payload, want) {
		t.Errorf("payload\n got %+v\nwant %+v", payload, want)
	}

	again, err := s.CompleteSale(sale.ID, pos.FiscalResult{FDNumber: 999})
	if err != nil || !reflect.DeepEqual(again, done) {
		t.Errorf("second CompleteSale = %+v, %v; want the first result", again, err)
	}
	if evs := unsent(t, s); len(evs) != 1 {
		t.Errorf("after second CompleteSale: %d events, want 1", len(evs))
	}
	// Even after the event was acknowledged, completing again never queues it a second time.
	if err := s.AckEvents(context.Background(), []string{sale.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteSale(sale.ID, testFiscal); err != nil {
		t.Fatal(err)
	}
	if evs := unsent(t, s); len(evs) != 0 {
		t.Errorf("completing an acknowledged sale queued %d events", len(evs))
	}
}

func TestSaleStateErrors(t *testing.T) {
	s := openTemp(t)
	if err := s.BeginSale(testSale("fiscal", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteSale("fiscal", testFiscal); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginSale(testSale("cancelled", 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.CancelSale("cancelled", "ККТ: чек аннулирован"); err != nil {
		t.Fatal(err)
	}
	notPending := testSale("x", 1)
	notPending.Status = pos.SaleFiscalised
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"begin existing", func() error { return s.BeginSale(testSale("fiscal", 1)) }, ErrSaleExists},
		{"begin not pending", func() error { return s.BeginSale(notPending) }, ErrSaleState},
		{"begin no id", func() error { return s.BeginSale(testSale("", 1)) }, ErrInvalid},
		{"complete unknown", func() error { _, err := s.CompleteSale("nope", testFiscal); return err }, ErrNotFound},
		{"complete cancelled", func() error { _, err := s.CompleteSale("cancelled", testFiscal); return err }, ErrSaleState},
		{"cancel fiscalised", func() error { return s.CancelSale("fiscal", "x") }, ErrSaleState},
		{"cancel unknown", func() error { return s.CancelSale("nope", "x") }, ErrNotFound},
		{"cancel twice", func() error { return s.CancelSale("cancelled", "again") }, nil},
		{"sale unknown", func() error { _, err := s.Sale("nope"); return err }, ErrNotFound},
	}
	for _, tt := range tests {
		if err := tt.do(); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	c, _ := s.Sale("cancelled")
	if c.Status != pos.SaleCancelled || c.Note != "ККТ: чек аннулирован" {
		t.Errorf("cancelled sale %+v", c)
	}
	if evs := unsent(t, s); len(evs) != 1 {
		t.Errorf("%d events, want only the fiscalised sale's", len(evs))
	}
}

func TestPendingRecentAndTotals(t *testing.T) {
	s := openTemp(t)
	for i := 1; i <= 5; i++ {
		sale := testSale(fmt.Sprintf("s%d", i), 1+i/4) // s1-s3 in shift 1, s4-s5 in shift 2
		sale.CreatedAt = saleTime.Add(time.Duration(i) * time.Minute)
		if err := s.BeginSale(sale); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"s1", "s2", "s4"} {
		if _, err := s.CompleteSale(id, testFiscal); err != nil {
			t.Fatal(err)
		}
	}
	s.CompleteSale("s1", testFiscal) // idempotent: not counted twice
	if err := s.CancelSale("s3", "отмена"); err != nil {
		t.Fatal(err)
	}
	pending, err := s.PendingSales()
	if err != nil || len(pending) != 1 || pending[0].ID != "s5" {
		t.Errorf("pending = %v, %v; want [s5]", pending, err)
	}
	recent, err := s.RecentSales(3)
	var ids []string
	for _, r := range recent {
		ids = append(ids, r.ID)
	}
	if err != nil || fmt.Sprint(ids) != "[s5 s4 s3]" {
		t.Errorf("recent = %v, %v; want [s5 s4 s3]", ids, err)
	}
	cash, card := testSale("", 0).Paid(pos.PayCash)-1383, testSale("", 0).Paid(pos.PayCard)
	tests := []struct {
		shift            int
		count            int
		wantCash, wantCd pos.Money
	}{{1, 2, 2 * cash, 2 * card}, {2, 1, cash, card}, {3, 0, 0, 0}}
	for _, tt := range tests {
		n, c, k, err := s.ShiftTotals(tt.shift)
		if err != nil || n != tt.count || c != tt.wantCash || k != tt.wantCd {
			t.Errorf("ShiftTotals(%d) = %d, %v, %v, %v; want %d, %v, %v", tt.shift, n, c, k, err, tt.count, tt.wantCash, tt.wantCd)
		}
	}
}

func TestOutboxThroughStore(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		id := fmt.Sprintf("s%d", i)
		s.BeginSale(testSale(id, 1))
		if _, err := s.CompleteSale(id, testFiscal); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RejectEvent(ctx, "s2", "unknown product"); err != nil {
		t.Fatal(err)
	}
	if err := s.AckEvents(ctx, []string{"s1", "zzz"}); err != nil {
		t.Fatal(err)
	}
	st, err := s.OutboxStats()
	if err != nil || st.Unsent != 1 || st.DeadLetters != 1 || !st.Oldest.Equal(testFiscal.At) {
		t.Errorf("stats %+v, %v", st, err)
	}
	dl, err := s.DeadLetters()
	if err != nil || len(dl) != 1 || dl[0].Event.ID != "s2" || dl[0].Reason != "unknown product" {
		t.Fatalf("dead letters %+v, %v", dl, err)
	}
	if err := s.RetryDeadLetter("s2"); err != nil {
		t.Fatal(err)
	}
	evs := unsent(t, s)
	if len(evs) != 2 || evs[0].ID != "s3" || evs[1].ID != "s2" || evs[1].Seq != 4 {
		t.Errorf("after retry %+v", evs)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.PeekEvents(cancelled, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("peek with cancelled context: %v", err)
	}
}
