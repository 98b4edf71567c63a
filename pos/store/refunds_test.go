package store

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// refundOf builds a refund of orig that follows its lines: qty[i] of line i, at the line's own price.
func refundOf(orig pos.Sale, id string, qty ...pos.Qty) pos.Sale {
	r := pos.Sale{ID: id, Terminal: orig.Terminal, Cashier: orig.Cashier, Shift: orig.Shift,
		CreatedAt: orig.CreatedAt.Add(time.Hour), Status: pos.SalePending, Kind: pos.KindRefund, RefundOf: orig.ID}
	for i, l := range orig.Lines {
		l.Cancelled, l.Qty, l.Discount, l.Sum = false, 0, 0, 0
		if i < len(qty) {
			l.Qty, l.Sum = qty[i], l.Price.Times(qty[i])
		}
		r.Lines = append(r.Lines, l)
		r.Total += l.Sum
	}
	r.Payments = []pos.Payment{{Method: pos.PayCash, Amount: r.Total}}
	return r
}

// journalled opens a store holding one fiscalised sale "orig" (testSale: 2 × milk, 0,734 kg bananas, a
// cancelled line) and returns it.
func journalled(t *testing.T) (*Store, pos.Sale) {
	t.Helper()
	s := openTemp(t)
	if err := s.BeginSale(testSale("orig", 7)); err != nil {
		t.Fatal(err)
	}
	orig, err := s.CompleteSale("orig", testFiscal)
	if err != nil {
		t.Fatal(err)
	}
	return s, orig
}

func TestSaleByReceipt(t *testing.T) {
	s, orig := journalled(t)
	if err := s.BeginSale(testSale("pending", 7)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		fn     string
		fd     uint32
		wantID string // "" = not found
	}{
		{"the receipt", testFiscal.FNSerial, testFiscal.FDNumber, orig.ID},
		{"another document", testFiscal.FNSerial, testFiscal.FDNumber + 1, ""},
		{"another FN", "9999078900099999", testFiscal.FDNumber, ""},
		{"empty FN", "", testFiscal.FDNumber, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := s.SaleByReceipt(tt.fn, tt.fd)
			if err != nil || ok != (tt.wantID != "") || got.ID != tt.wantID {
				t.Errorf("SaleByReceipt = %s, %v, %v; want %q", got.ID, ok, err, tt.wantID)
			}
		})
	}
}

func TestRefundJournal(t *testing.T) {
	s, orig := journalled(t)
	r := refundOf(orig, "r1", pos.QtyOne)
	if err := s.BeginSale(r); err != nil {
		t.Fatal(err)
	}
	if got, err := s.RefundsOf(orig.ID); err != nil || len(got) != 1 || got[0].ID != "r1" || got[0].Status != pos.SalePending {
		t.Fatalf("RefundsOf after BeginSale = %+v, %v", got, err)
	}
	f := pos.FiscalResult{FDNumber: 170, FiscalSign: 12345, FNSerial: testFiscal.FNSerial, At: testFiscal.At.Add(time.Hour), Shift: 7}
	done, err := s.CompleteSale("r1", f)
	if err != nil || done.Status != pos.SaleFiscalised {
		t.Fatalf("CompleteSale = %+v, %v", done, err)
	}
	if got, ok, err := s.SaleByReceipt(f.FNSerial, f.FDNumber); err != nil || !ok || got.ID != "r1" || got.Kind != pos.KindRefund {
		t.Errorf("SaleByReceipt of the refund = %+v, %v, %v", got, ok, err)
	}
	evs := unsent(t, s)
	if len(evs) != 2 || evs[1].ID != "r1" || evs[1].Type != wire.TypeRefund {
		t.Fatalf("outbox = %+v, want the sale and a refund event", evs)
	}
	var payload wire.Sale
	if err := json.Unmarshal(evs[1].Payload, &payload); err != nil {
		t.Fatal(err)
	}
	wantQR := "t=20260302T1505&s=109.90&fn=9999078900012345&i=170&fp=12345&n=2"
	if payload.RefundOf != orig.ID || len(payload.Lines) != 1 || payload.Lines[0].Qty != 1000 ||
		payload.Total != 10990 || payload.Fiscal.QR != wantQR {
		t.Errorf("refund payload = %+v, want one line, refund_of %s, QR %s", payload, orig.ID, wantQR)
	}
	// The refund pays cash back: the shift keeps one sale and less cash.
	n, cash, card, err := s.ShiftTotals(7)
	wantCash := orig.Paid(pos.PayCash) - orig.Change - 10990
	if err != nil || n != 1 || cash != wantCash || card != orig.Paid(pos.PayCard) {
		t.Errorf("ShiftTotals = %d, %s, %s, %v; want 1, %s, %s", n, cash, card, err, wantCash, orig.Paid(pos.PayCard))
	}
}

func TestRefundLimits(t *testing.T) {
	misaligned := func(o pos.Sale) pos.Sale { r := refundOf(o, "bad", pos.QtyOne); r.Lines = r.Lines[:1]; return r }
	swapped := func(o pos.Sale) pos.Sale {
		r := refundOf(o, "bad", pos.QtyOne)
		r.Lines[0].ProductID = "9999"
		return r
	}
	tests := []struct {
		name    string
		earlier [][]pos.Qty // refunds begun before, each fiscalised unless cancelled is set
		cancel  bool        // the earlier refunds are cancelled, so they count for nothing
		refund  func(orig pos.Sale) pos.Sale
		want    error
	}{
		{name: "one piece", refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", pos.QtyOne) }},
		{name: "everything sold", refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", pos.Pieces(2), 734) }},
		{name: "more than sold", refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", pos.Pieces(3)) }, want: pos.ErrRefundExceeds},
		{name: "weight over the weighed", refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", 0, 735) }, want: pos.ErrRefundExceeds},
		{name: "a cancelled line", refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", 0, 0, pos.QtyOne) }, want: pos.ErrRefundExceeds},
		{name: "second refund within", earlier: [][]pos.Qty{{pos.QtyOne}},
			refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", pos.QtyOne, 734) }},
		{name: "second refund beyond", earlier: [][]pos.Qty{{pos.QtyOne}, {0, 500}},
			refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", 0, 235) }, want: pos.ErrRefundExceeds},
		{name: "cancelled refunds free the quantity", earlier: [][]pos.Qty{{pos.Pieces(2)}}, cancel: true,
			refund: func(o pos.Sale) pos.Sale { return refundOf(o, "r", pos.Pieces(2)) }},
		{name: "lines missing", refund: misaligned, want: ErrInvalid},
		{name: "another product", refund: swapped, want: ErrInvalid},
		{name: "unknown original", refund: func(o pos.Sale) pos.Sale { o.ID = "nope"; return refundOf(o, "r", pos.QtyOne) }, want: ErrNotFound},
		{name: "pending original", refund: func(pos.Sale) pos.Sale { return refundOf(testSale("pending", 7), "r", pos.QtyOne) }, want: ErrSaleState},
		{name: "refund of a refund", earlier: [][]pos.Qty{{pos.QtyOne}},
			refund: func(o pos.Sale) pos.Sale { return refundOf(refundOf(o, "e0", pos.QtyOne), "r", pos.QtyOne) }, want: ErrSaleState},
		{name: "without the original", refund: func(o pos.Sale) pos.Sale {
			r := refundOf(o, "r", pos.Pieces(5))
			r.RefundOf = ""
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, orig := journalled(t)
			if err := s.BeginSale(testSale("pending", 7)); err != nil {
				t.Fatal(err)
			}
			for i, q := range tt.earlier {
				e := refundOf(orig, "e"+string(rune('0'+i)), q...)
				if err := s.BeginSale(e); err != nil {
					t.Fatal(err)
				}
				if tt.cancel {
					if err := s.CancelSale(e.ID, "register refused"); err != nil {
						t.Fatal(err)
					}
				} else if _, err := s.CompleteSale(e.ID, pos.FiscalResult{FDNumber: uint32(200 + i), FNSerial: testFiscal.FNSerial}); err != nil {
					t.Fatal(err)
				}
			}
			err := s.BeginSale(tt.refund(orig))
			if !errors.Is(err, tt.want) || tt.want == nil && err != nil {
				t.Fatalf("BeginSale = %v, want %v", err, tt.want)
			}
			_, jerr := s.Sale("r")
			if (tt.want == nil) != (jerr == nil) {
				t.Errorf("journal has the refund: %v, want %v", jerr == nil, tt.want == nil)
			}
		})
	}
}

// TestRefundIndexesBuiltForOldJournal opens a journal written before the indexes existed: they are built
// from it, so its receipts are found by QR and its refunds are counted.
func TestRefundIndexesBuiltForOldJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kassa.db")
	s, err := Open(path, Options{Terminal: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.BeginSale(testSale("orig", 7)); err != nil {
		t.Fatal(err)
	}
	orig, err := s.CompleteSale("orig", testFiscal)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.BeginSale(refundOf(orig, "r1", pos.Pieces(2))); err != nil {
		t.Fatal(err)
	}
	err = s.update(func(tx *bbolt.Tx) error {
		sales := tx.Bucket(bktSales)
		return errors.Join(sales.Delete(receiptKey(testFiscal.FNSerial, testFiscal.FDNumber)), tx.DeleteBucket(bktRefunds))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path, Options{Terminal: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, ok, err := s.SaleByReceipt(testFiscal.FNSerial, testFiscal.FDNumber); err != nil || !ok || got.ID != "orig" {
		t.Errorf("SaleByReceipt after rebuild = %s, %v, %v", got.ID, ok, err)
	}
	if got, err := s.RefundsOf("orig"); err != nil || len(got) != 1 || got[0].ID != "r1" {
		t.Errorf("RefundsOf after rebuild = %+v, %v", got, err)
	}
	if err := s.BeginSale(refundOf(orig, "r2", pos.QtyOne)); !errors.Is(err, pos.ErrRefundExceeds) {
		t.Errorf("a third piece of two after rebuild: %v, want ErrRefundExceeds", err)
	}
}
