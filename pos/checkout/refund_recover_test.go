package checkout

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// TestRefundOutcomeUnknown: when the register's answer to a refund is lost, the till asks it at once, as
// for a sale.
func TestRefundOutcomeUnknown(t *testing.T) {
	tests := []struct {
		fail       string
		wantStatus pos.SaleStatus
		wantErr    error
	}{
		{"lose", pos.SaleFiscalised, nil},
		{"drop", pos.SaleFiscalised, nil},
		{"open", pos.SaleCancelled, pos.ErrNotFiscalised},
	}
	for _, tt := range tests {
		t.Run(tt.fail, func(t *testing.T) {
			r, s := sold(t)
			ref, err := r.till.StartRefund(qrOf(s))
			if err != nil {
				t.Fatal(err)
			}
			if err := ref.SetQty(0, pos.QtyOne); err != nil {
				t.Fatal(err)
			}
			r.reg.failNext = tt.fail
			_, err = r.till.Refund(context.Background(), ref, cash(ref.Total()))
			if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Fatalf("Refund = %v, want %v", err, tt.wantErr)
			}
			got := r.store.sales["sale-2"]
			if got.Kind != pos.KindRefund || got.Status != tt.wantStatus || r.reg.fiscalised != 2 && tt.fail != "open" {
				t.Errorf("refund %+v after %q, register fiscalised %d", got, tt.fail, r.reg.fiscalised)
			}
			if _, pending := r.till.Pending(); pending {
				t.Error("the refund stayed pending")
			}
		})
	}
}

// TestRecoverPendingRefund: a refund a crash left pending is settled from the ФН archive before the till
// opens, like a sale, and only by a refund receipt: a sale receipt of the same total is not taken for it.
func TestRecoverPendingRefund(t *testing.T) {
	tests := []struct {
		name string
		docs func(refund pos.Sale) []pos.FiscalDocument // what the register fiscalised after FDBefore
		open bool                                       // a receipt is still open in the register
		want string                                     // "completed", "refiscalised", "cancelled"
	}{
		{name: "the register has its receipt", want: "completed", docs: func(s pos.Sale) []pos.FiscalDocument {
			return []pos.FiscalDocument{{RefundReceipt: true, Sum: s.Total}}
		}},
		{name: "the register never got it", want: "refiscalised"},
		{name: "only a sale receipt of the same total", want: "refiscalised", docs: func(s pos.Sale) []pos.FiscalDocument {
			return []pos.FiscalDocument{{SaleReceipt: true, Sum: s.Total}}
		}},
		{name: "a refund receipt of another total", want: "refiscalised", docs: func(s pos.Sale) []pos.FiscalDocument {
			return []pos.FiscalDocument{{RefundReceipt: true, Sum: s.Total + 1}}
		}},
		{name: "left open", open: true, want: "cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, s := sold(t)
			ref, err := r.till.StartRefund(qrOf(s))
			if err != nil {
				t.Fatal(err)
			}
			if err := ref.SetQty(1, 1000); err != nil {
				t.Fatal(err)
			}
			// The crash came after the refund was journalled as pending.
			pending, err := r.till.refundSale(ref, cash(ref.Total()))
			if err != nil {
				t.Fatal(err)
			}
			pending.FDBefore = uint32(len(r.reg.docs))
			if err := r.store.BeginSale(pending); err != nil {
				t.Fatal(err)
			}
			if tt.docs != nil {
				for _, d := range tt.docs(pending) {
					d.FDNumber, d.FiscalSign, d.At = uint32(len(r.reg.docs)+1), 4242, time.Now()
					r.reg.docs = append(r.reg.docs, d)
				}
			}
			r.reg.receiptOpen = tt.open
			rep, err := New(r.till.cfg).Recover(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{"completed": len(rep.Completed), "refiscalised": len(rep.Refiscalised),
				"cancelled": len(rep.Cancelled)}
			if got[tt.want] != 1 || rep.Total() != 1 {
				t.Fatalf("recovery %v, want one %s", got, tt.want)
			}
			after := r.store.sales[pending.ID]
			if tt.want == "cancelled" {
				if after.Status != pos.SaleCancelled {
					t.Errorf("refund %+v, want cancelled", after)
				}
				return
			}
			if after.Status != pos.SaleFiscalised || after.Kind != pos.KindRefund {
				t.Fatalf("refund %+v, want fiscalised", after)
			}
			if doc := r.reg.docs[after.Fiscal.FDNumber-1]; !doc.RefundReceipt || doc.Sum != after.Total {
				t.Errorf("refund completed by document %+v", doc)
			}
		})
	}
}

// TestRefundKeepsMarking: a marked line goes back with its marking code, for the register to send with
// the "returned" status.
func TestRefundKeepsMarking(t *testing.T) {
	r := newRig(t)
	r.store.products = append(r.store.products, loaf, bottle)
	for _, code := range []string{"4601234500012", bottleKM} {
		if _, err := r.till.Scan(code, 0); err != nil {
			t.Fatal(err)
		}
	}
	s, err := r.till.Pay(context.Background(), cash(20000))
	if err != nil {
		t.Fatal(err)
	}
	if s.Lines[1].Marking != bottleKM {
		t.Fatalf("sold line %+v carries no marking code", s.Lines[1])
	}
	ref, err := r.till.StartRefund(qrOf(s))
	if err != nil {
		t.Fatal(err)
	}
	if err := ref.SetQty(1, pos.Pieces(2)); !errors.Is(err, pos.ErrMarkedQuantity) {
		t.Errorf("two pieces of one code: %v, want ErrMarkedQuantity", err)
	}
	if err := ref.SetQty(1, pos.QtyOne); err != nil {
		t.Fatal(err)
	}
	done, err := r.till.Refund(context.Background(), ref, cash(ref.Total()))
	if err != nil {
		t.Fatal(err)
	}
	if l := done.Lines[1]; l.Marking != bottleKM || l.Qty != pos.QtyOne || len(done.ActiveLines()) != 1 {
		t.Errorf("refund lines %+v, want the bottle with its code", done.Lines)
	}
}
