package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestCashOpsJournal(t *testing.T) {
	s := openTemp(t)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for n := 1; n <= 2; n++ {
		if err := s.OpenShift(pos.Shift{Number: n, Cashier: "Иванова", OpenedAt: at}); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			if err := s.CloseShift(1, at.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
	type step struct {
		shift  int
		kind   string
		amount pos.Money
		end    string // "done", "cancel" or "" (left pending)
		doc    uint32
	}
	steps := []step{
		{1, CashIn, 100000, "done", 5},
		{2, CashIn, 500000, "done", 11},
		{2, CashOut, 120000, "done", 14},
		{2, CashOut, 999999, "cancel", 0},
		{2, CashIn, 1000, "", 0},
		{2, CashOut, 30000, "done", 0},
	}
	for i, st := range steps {
		op := CashOp{ID: fmt.Sprintf("0195a1b2-0000-7000-8000-%012d", i+1), Store: "s1", Shift: st.shift,
			Kind: st.kind, Amount: st.amount, Cashier: "Иванова", At: at.Add(time.Duration(i) * time.Minute),
			Status: pos.SalePending}
		if err := s.BeginCashOp(op); err != nil {
			t.Fatal(err)
		}
		switch st.end {
		case "done":
			got, err := s.CompleteCashOp(op.Shift, op.ID, st.doc)
			if err != nil || got.Status != pos.SaleFiscalised || got.KKTDoc != st.doc {
				t.Fatalf("complete %d: %+v %v", i, got, err)
			}
		case "cancel":
			if err := s.CancelCashOp(op.Shift, op.ID, "refused"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Completing again queues nothing more; a cancelled one cannot be completed.
	if _, err := s.CompleteCashOp(2, "0195a1b2-0000-7000-8000-000000000002", 11); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteCashOp(2, "0195a1b2-0000-7000-8000-000000000004", 1); !errors.Is(err, ErrSaleState) {
		t.Fatalf("complete cancelled: %v, want ErrSaleState", err)
	}

	r, err := s.ShiftReport(2)
	if err != nil {
		t.Fatal(err)
	}
	want := CashTotals{InCount: 1, OutCount: 2, In: 500000, Out: 150000, Pending: 1}
	if r.Cash != want || r.ExpectedCash() != 350000 {
		t.Errorf("shift 2 cash %+v expected %v, want %+v and 3 500,00", r.Cash, r.ExpectedCash(), want)
	}
	pending, err := s.PendingCashOps()
	if err != nil || len(pending) != 1 || pending[0].Amount != 1000 {
		t.Errorf("pending: %+v %v", pending, err)
	}

	evs, err := s.PeekEvents(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	var cash []wire.Cash
	for _, ev := range evs {
		if ev.Type != wire.TypeCash {
			continue
		}
		var c wire.Cash
		if err := json.Unmarshal(ev.Payload, &c); err != nil {
			t.Fatal(err)
		}
		if c.ID != ev.ID {
			t.Errorf("event id %s carries operation %s", ev.ID, c.ID)
		}
		cash = append(cash, c)
	}
	if len(cash) != 4 {
		t.Fatalf("%d cash events, want 4 (one per completed operation)", len(cash))
	}
	if c := cash[2]; c.Kind != wire.CashOut || c.Amount != 120000 || c.Shift != 2 || c.KKTDoc != 14 ||
		c.Store != "s1" || c.Cashier != "Иванова" {
		t.Errorf("third event %+v", c)
	}
}

func TestBeginCashOpRefuses(t *testing.T) {
	s := openTemp(t)
	ok := CashOp{ID: "a", Shift: 1, Kind: CashIn, Amount: 1, Status: pos.SalePending}
	tests := []struct {
		name string
		edit func(*CashOp)
		want error
	}{
		{"no id", func(o *CashOp) { o.ID = "" }, ErrInvalid},
		{"no shift", func(o *CashOp) { o.Shift = 0 }, ErrInvalid},
		{"bad kind", func(o *CashOp) { o.Kind = "sideways" }, ErrInvalid},
		{"zero amount", func(o *CashOp) { o.Amount = 0 }, pos.ErrBadAmount},
		{"not pending", func(o *CashOp) { o.Status = pos.SaleFiscalised }, ErrSaleState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := ok
			tt.edit(&op)
			if err := s.BeginCashOp(op); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	if err := s.BeginCashOp(ok); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginCashOp(ok); !errors.Is(err, ErrSaleExists) {
		t.Errorf("twice: %v", err)
	}
	if _, err := s.CompleteCashOp(1, "missing", 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("complete missing: %v", err)
	}
}
