package checkout

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

// pickupLines are two lines of a click&collect order: 2 × milk and 1,25 kg of apples.
func pickupLines() []pos.Line {
	return []pos.Line{
		{ProductID: milk.ID, Name: milk.Name, Price: milk.Price, Qty: pos.Pieces(2), VAT: milk.VAT, Sum: 17980},
		{ProductID: apples.ID, Name: apples.Name, Price: apples.Price, Qty: 1250, Unit: pos.UnitKg, VAT: apples.VAT, Sum: 18625},
	}
}

func TestSettlePickup(t *testing.T) {
	const total = 17980 + 18625
	tests := []struct {
		name       string
		lines      func() []pos.Line
		pay        []pos.Payment
		wantErr    error
		wantChange pos.Money
	}{
		{name: "prepaid in full", pay: []pos.Payment{{Method: pos.PayPrepaid, Amount: total}}},
		{name: "part prepaid, rest in cash with change", pay: []pos.Payment{{Method: pos.PayPrepaid, Amount: 20000},
			{Method: pos.PayCash, Amount: 20000}}, wantChange: 40000 - total},
		{name: "part prepaid, rest by card", pay: []pos.Payment{{Method: pos.PayPrepaid, Amount: 20000},
			{Method: pos.PayCard, Amount: total - 20000}}},
		{name: "paid at pickup", pay: []pos.Payment{{Method: pos.PayCash, Amount: total}}},
		{name: "offset beyond the goods", pay: []pos.Payment{{Method: pos.PayPrepaid, Amount: total + 1}}, wantErr: pos.ErrBadTender},
		{name: "card beyond what the offset leaves", pay: []pos.Payment{{Method: pos.PayPrepaid, Amount: 20000},
			{Method: pos.PayCard, Amount: total}}, wantErr: pos.ErrCardOverpay},
		{name: "underpaid", pay: []pos.Payment{{Method: pos.PayPrepaid, Amount: 20000}}, wantErr: pos.ErrUnderpaid},
		{name: "online tender on a sale", pay: []pos.Payment{{Method: pos.PayOnline, Amount: total}}, wantErr: pos.ErrBadTender},
		{name: "sum that is not price × qty", lines: func() []pos.Line { l := pickupLines(); l[0].Sum--; return l },
			pay: []pos.Payment{{Method: pos.PayCash, Amount: total}}, wantErr: pos.ErrBadDiscount},
		{name: "marked line of two pieces", lines: func() []pos.Line { l := pickupLines(); l[0].Marking = "km"; return l },
			pay: []pos.Payment{{Method: pos.PayCash, Amount: total}}, wantErr: pos.ErrMarkedQuantity},
		{name: "no lines", lines: func() []pos.Line { return nil }, pay: []pos.Payment{{Method: pos.PayCash, Amount: 1}}, wantErr: pos.ErrEmptyCart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			lines := pickupLines()
			if tt.lines != nil {
				lines = tt.lines()
			}
			s, err := r.till.SettlePickup(context.Background(), "pickup-1", lines, tt.pay)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("SettlePickup = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if len(r.store.sales) != 0 || r.reg.fiscalised != 0 {
					t.Errorf("a refused settlement reached the journal or the register")
				}
				return
			}
			if s.ID != "pickup-1" || s.Status != pos.SaleFiscalised || s.Total != total || s.Change != tt.wantChange ||
				s.Kind != pos.KindSale || len(s.VAT) != 1 || s.VAT[0].Base != total {
				t.Errorf("settlement %+v", s)
			}
			if !slices.Equal(r.steps, []Step{StepPending, StepFiscalised}) || !slices.Equal(r.store.events, []string{"shift_open:1", "sale:pickup-1"}) {
				t.Errorf("steps %v, outbox %v: want the durability order of a sale", r.steps, r.store.events)
			}
		})
	}
}

func TestRefundPrepayment(t *testing.T) {
	r := newRig(t)
	lines := pickupLines()
	lines[1].VAT, lines[1].Sum, lines[1].Discount = pos.VAT10_110, 10000, 8625 // part of a partial prepayment
	s, err := r.till.RefundPrepayment(context.Background(), "return-1", lines)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != pos.KindRefund || s.Total != 27980 || s.Paid(pos.PayOnline) != 27980 || len(s.Payments) != 1 || s.RefundOf != "" {
		t.Errorf("prepayment return %+v", s)
	}
	if !slices.Equal(r.store.events, []string{"shift_open:1", "sale:return-1"}) { // the fake logs every receipt as "sale"
		t.Errorf("outbox %v", r.store.events)
	}
	marked := pickupLines()[:1]
	marked[0].Qty, marked[0].Sum, marked[0].Marking = pos.QtyOne, milk.Price, "km"
	if _, err := r.till.RefundPrepayment(context.Background(), "return-2", marked); !errors.Is(err, pos.ErrBadTender) {
		t.Errorf("a marking code on a prepayment's return: %v", err)
	}
	r.reg.failNext = "refuse"
	if _, err := r.till.RefundPrepayment(context.Background(), "return-3", pickupLines()); !errors.Is(err, pos.ErrNotFiscalised) {
		t.Fatalf("refused by the register: %v", err)
	}
	if s := r.store.sales["return-3"]; s.Status != pos.SaleCancelled {
		t.Errorf("the refused return is %s in the journal, want cancelled", s.Status)
	}
}
