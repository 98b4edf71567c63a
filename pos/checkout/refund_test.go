package checkout

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos"
)

var (
	loaf   = pos.Product{ID: "1002", Name: "Хлеб Бородинский", Barcodes: []string{"4601234500012"}, Price: 5500, VAT: pos.VAT10}
	bottle = pos.Product{ID: "4001", Name: "Вода 0,5 л", Barcodes: []string{"4640043463309"}, Price: 6000, VAT: pos.VAT22,
		Marked: true}
	// bottleKM is a DataMatrix of a bottle bottle, as a serial scanner sends it.
	bottleKM = "0104640043463309215UWtYHQ3hiHnm\x1d93dGVz"
)

// sold is a rig that has sold, for cash, 3 × milk with a 0,01 discount on the line, 1,234 kg of apples
// and a loaf of bread that was cancelled (сторно) before payment.
func sold(t *testing.T) (*rig, pos.Sale) {
	t.Helper()
	r := newRig(t)
	r.store.products = append(r.store.products, loaf, bottle)
	for _, text := range []string{"3*4607001771401", "2112345012346", "4601234500012"} {
		qty, code, ok := strings.Cut(text, "*")
		var q pos.Qty
		if ok {
			q, _ = pos.ParseQty(qty)
		} else {
			code = qty
		}
		if _, err := r.till.Scan(code, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.till.Cart().SetLineDiscount(0, 1); err != nil {
		t.Fatal(err)
	}
	if err := r.till.CancelLine(2); err != nil {
		t.Fatal(err)
	}
	sale, err := r.till.Pay(context.Background(), cash(100000))
	if err != nil {
		t.Fatal(err)
	}
	return r, sale
}

func qrOf(s pos.Sale) string { return s.Fiscal.QR(s.Total) }

func TestStartRefund(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, r *rig, s pos.Sale) string // returns the text scanned
		want  error
	}{
		{"the receipt's QR", func(_ *testing.T, _ *rig, s pos.Sale) string { return qrOf(s) }, nil},
		{"fields in another order", func(_ *testing.T, _ *rig, s pos.Sale) string {
			f := s.Fiscal
			return "n=1&fp=" + itoa(f.FiscalSign) + "&i=" + itoa(f.FDNumber) + "&fn=" + f.FNSerial + "&s=" +
				s.Total.Plain() + "&t=" + f.At.Format("20060102T150405")
		}, nil},
		{"another till's receipt", func(_ *testing.T, _ *rig, s pos.Sale) string {
			return strings.Replace(qrOf(s), "&i=", "&i=9", 1)
		}, pos.ErrReceiptNotFound},
		{"forged fiscal sign", func(_ *testing.T, _ *rig, s pos.Sale) string {
			return strings.Replace(qrOf(s), "&fp=", "&fp=7", 1)
		}, pos.ErrReceiptMismatch},
		{"another total", func(_ *testing.T, _ *rig, s pos.Sale) string {
			return strings.Replace(qrOf(s), "&s="+s.Total.Plain(), "&s=1.00", 1)
		}, pos.ErrReceiptMismatch},
		{"a refund's QR", func(_ *testing.T, _ *rig, s pos.Sale) string { return s.Fiscal.QRFor(pos.KindRefund, s.Total) },
			pos.ErrNotASaleReceipt},
		{"QR of a refund receipt", func(t *testing.T, r *rig, s pos.Sale) string {
			ref := refundOne(t, r, s, 0, pos.QtyOne, cash)
			return strings.Replace(ref.Fiscal.QRFor(pos.KindRefund, ref.Total), "&n=2", "&n=1", 1)
		}, pos.ErrNotASaleReceipt},
		{"a product barcode", func(*testing.T, *rig, pos.Sale) string { return "4607001771401" }, pos.ErrNotReceiptQR},
		{"a damaged QR", func(_ *testing.T, _ *rig, s pos.Sale) string { return strings.Replace(qrOf(s), "&n=1", "&n=7", 1) },
			pos.ErrInvalidBarcode},
		{"a cancelled sale", func(t *testing.T, r *rig, s pos.Sale) string {
			c := r.store.sales[s.ID]
			c.Status = pos.SaleCancelled
			r.store.sales[s.ID] = c
			return qrOf(s)
		}, pos.ErrOriginalNotFiscalised},
		{"returned in full", func(t *testing.T, r *rig, s pos.Sale) string {
			refundOne(t, r, s, 0, pos.Pieces(3), cash)
			refundOne(t, r, s, 1, 1234, cash)
			return qrOf(s)
		}, pos.ErrAlreadyRefunded},
		{"a receipt in progress", func(t *testing.T, r *rig, s pos.Sale) string {
			if _, err := r.till.Scan("4607001771401", 0); err != nil {
				t.Fatal(err)
			}
			return qrOf(s)
		}, pos.ErrCartNotEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, s := sold(t)
			ref, err := r.till.StartRefund(tt.setup(t, r, s))
			if !errors.Is(err, tt.want) || tt.want == nil && err != nil {
				t.Fatalf("StartRefund = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if ref.Original == nil || ref.Original.ID != s.ID || len(ref.Lines) != 3 {
				t.Fatalf("refund = %+v", ref)
			}
			for i, want := range []pos.Qty{pos.Pieces(3), 1234, 0} {
				if l := ref.Lines[i]; l.Left() != want || l.Qty != 0 || l.Refunded != 0 {
					t.Errorf("line %d: left %s, qty %s, refunded %s; want left %s", i, l.Left(), l.Qty, l.Refunded, want)
				}
			}
			if cashBack := ref.PaidBack[pos.PayCash]; cashBack != s.Total || ref.PaidBack[pos.PayCard] != 0 {
				t.Errorf("paid back limits %v, want cash %s", ref.PaidBack, s.Total)
			}
		})
	}
}

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

// refundOne returns qty of line i of s and pays back with pay.
func refundOne(t *testing.T, r *rig, s pos.Sale, i int, qty pos.Qty, pay func(pos.Money) []pos.Payment) pos.Sale {
	t.Helper()
	ref, err := r.till.StartRefund(qrOf(s))
	if err != nil {
		t.Fatal(err)
	}
	if err := ref.SetQty(i, qty); err != nil {
		t.Fatal(err)
	}
	done, err := r.till.Refund(context.Background(), ref, pay(ref.Total()))
	if err != nil {
		t.Fatal(err)
	}
	return done
}

func TestRefund(t *testing.T) {
	card := func(m pos.Money) []pos.Payment {
		return []pos.Payment{{Method: pos.PayCard, Amount: m, Approval: "A1B2C3"}}
	}
	tests := []struct {
		name    string
		qty     []pos.Qty // per line of the sale
		pay     func(pos.Money) []pos.Payment
		before  func(r *rig)
		want    error
		wantSum pos.Money
	}{
		{name: "one piece of a discounted line", qty: []pos.Qty{pos.QtyOne}, pay: cash, wantSum: 8989},
		{name: "everything", qty: []pos.Qty{pos.Pieces(3), 1234}, pay: cash, wantSum: 26969 + 18387},
		{name: "a cancelled line", qty: []pos.Qty{0, 0, pos.QtyOne}, pay: cash, want: pos.ErrRefundExceeds},
		{name: "more than sold", qty: []pos.Qty{pos.Pieces(4)}, pay: cash, want: pos.ErrRefundExceeds},
		{name: "half a piece", qty: []pos.Qty{500}, pay: cash, want: pos.ErrBadQuantity},
		{name: "nothing chosen", qty: nil, pay: cash, want: pos.ErrNothingToRefund},
		{name: "to a card the sale was not paid by", qty: []pos.Qty{pos.QtyOne}, pay: card, want: pos.ErrRefundTender},
		{name: "short", qty: []pos.Qty{pos.QtyOne}, pay: func(m pos.Money) []pos.Payment { return cash(m - 1) },
			want: pos.ErrUnderpaid},
		{name: "too much", qty: []pos.Qty{pos.QtyOne}, pay: func(m pos.Money) []pos.Payment { return cash(m + 1) },
			want: pos.ErrRefundTender},
		{name: "to the prepayment", qty: []pos.Qty{pos.QtyOne}, want: pos.ErrRefundTender,
			pay: func(m pos.Money) []pos.Payment { return []pos.Payment{{Method: pos.PayPrepaid, Amount: m}} }},
		{name: "shift closed", qty: []pos.Qty{pos.QtyOne}, pay: cash, want: pos.ErrShiftClosed,
			before: func(r *rig) { _ = r.till.CloseShift(context.Background()) }},
		{name: "register refuses", qty: []pos.Qty{pos.QtyOne}, pay: cash, want: pos.ErrNotFiscalised,
			before: func(r *rig) { r.reg.failNext = "refuse" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, s := sold(t)
			ref, err := r.till.StartRefund(qrOf(s))
			if err != nil {
				t.Fatal(err)
			}
			for i, q := range tt.qty {
				if err = ref.SetQty(i, q); err != nil {
					break
				}
			}
			var done pos.Sale
			if err == nil {
				if tt.before != nil {
					tt.before(r)
				}
				done, err = r.till.Refund(context.Background(), ref, tt.pay(ref.Total()))
			}
			if !errors.Is(err, tt.want) || tt.want == nil && err != nil {
				t.Fatalf("Refund = %v, want %v", err, tt.want)
			}
			if err != nil {
				if pending, _ := r.store.PendingSales(); len(pending) != 0 {
					t.Errorf("a failed refund left %d pending sales", len(pending))
				}
				return
			}
			if done.Kind != pos.KindRefund || done.RefundOf != s.ID || done.Status != pos.SaleFiscalised ||
				done.Total != tt.wantSum || len(done.Lines) != len(s.Lines) || done.Fiscal == nil {
				t.Fatalf("refund = %+v, want %s back for sale %s", done, tt.wantSum, s.ID)
			}
			if last := r.store.events[len(r.store.events)-1]; last != "sale:"+done.ID {
				t.Errorf("outbox ends with %q", last) // memStore names every completion "sale:"; the store tests check the type
			}
			if doc := r.reg.docs[done.Fiscal.FDNumber-1]; !doc.RefundReceipt || doc.Sum != tt.wantSum {
				t.Errorf("register document %+v, want a refund receipt of %s", doc, tt.wantSum)
			}
			if !strings.HasSuffix(done.Fiscal.QRFor(done.Kind, done.Total), "&n=2") {
				t.Errorf("QR %q is not a refund's", done.Fiscal.QRFor(done.Kind, done.Total))
			}
		})
	}
}

// TestRefundInParts returns a discounted line one piece at a time: the parts pay back exactly its sum.
func TestRefundInParts(t *testing.T) {
	r, s := sold(t)
	var back pos.Money
	for n := range 3 {
		done := refundOne(t, r, s, 0, pos.QtyOne, cash)
		back += done.Total
		ref, err := r.till.StartRefund(qrOf(s))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ref.Lines[0].Left(), pos.Pieces(int64(2-n)); got != want {
			t.Errorf("after %d returns: %s left, want %s", n+1, got, want)
		}
		if err := ref.SetQty(0, pos.Pieces(int64(3-n))); !errors.Is(err, pos.ErrRefundExceeds) {
			t.Errorf("after %d returns, returning %d pieces: %v, want ErrRefundExceeds", n+1, 3-n, err)
		}
	}
	if back != s.Lines[0].Sum {
		t.Errorf("the parts paid back %s, the line cost %s", back, s.Lines[0].Sum)
	}
}

// TestRefundTenders: money goes back the way it came, less what earlier refunds paid back that way.
func TestRefundTenders(t *testing.T) {
	r := newRig(t)
	if _, err := r.till.Scan("4607001771401", pos.Pieces(4)); err != nil {
		t.Fatal(err)
	}
	s, err := r.till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: 20000},
		{Method: pos.PayCard, Amount: 4*8990 - 15000, Approval: "123456"}})
	if err != nil {
		t.Fatal(err)
	}
	// Paid: cash 200,00 − change 50,00 = 150,00 kept; card 209,60.
	tests := []struct {
		name string
		pay  []pos.Payment // for two pieces, 179,80
		want error
	}{
		{"card", []pos.Payment{{Method: pos.PayCard, Amount: 17980}}, nil},
		{"cash over what was kept", []pos.Payment{{Method: pos.PayCash, Amount: 17980}}, pos.ErrRefundTender},
		{"second card over what is left", []pos.Payment{{Method: pos.PayCard, Amount: 17980}}, pos.ErrRefundTender},
		{"split", []pos.Payment{{Method: pos.PayCash, Amount: 15000}, {Method: pos.PayCard, Amount: 2980}}, nil},
	}
	for _, tt := range tests {
		ref, err := r.till.StartRefund(qrOf(s))
		if err == nil {
			err = ref.SetQty(0, pos.Pieces(2))
		}
		if err == nil {
			_, err = r.till.Refund(context.Background(), ref, tt.pay)
		}
		if !errors.Is(err, tt.want) || tt.want == nil && err != nil {
			t.Errorf("%s: Refund = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestRefundWithoutReceipt(t *testing.T) {
	r := newRig(t)
	r.store.products = append(r.store.products, loaf, bottle)
	ref, err := r.till.StartRefundWithoutReceipt()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text     string
		qty      pos.Qty
		want     error
		wantLine pos.Line
	}{
		{"4601234500012", pos.Pieces(2), nil, pos.Line{ProductID: "1002", Qty: pos.Pieces(2), Sum: 11000}},
		{"2112345012346", 0, nil, pos.Line{ProductID: "3003", Qty: 1234, Sum: 18387}},
		{"4640043463309", 0, pos.ErrNeedsMarking, pos.Line{}},
		{bottleKM, 0, nil, pos.Line{ProductID: "4001", Qty: pos.QtyOne, Sum: 6000, Marking: bottleKM}},
		{bottleKM, 0, pos.ErrMarkingDuplicate, pos.Line{}},
		{"12345", 0, pos.ErrNeedsWeight, pos.Line{}},
		{"4600000000008", 0, pos.ErrUnknownBarcode, pos.Line{}},
		{"4601234500012", 500, pos.ErrBadQuantity, pos.Line{}},
	}
	for _, tt := range tests {
		n := len(ref.Lines)
		i, err := r.till.AddToRefund(ref, tt.text, tt.qty)
		if !errors.Is(err, tt.want) || tt.want == nil && err != nil {
			t.Errorf("AddToRefund(%q) = %v, want %v", tt.text, err, tt.want)
			continue
		}
		if err != nil {
			if len(ref.Lines) != n {
				t.Errorf("AddToRefund(%q) failed but added a line", tt.text)
			}
			continue
		}
		l := ref.Lines[i].Line
		if l.ProductID != tt.wantLine.ProductID || l.Qty != tt.wantLine.Qty || l.Sum != tt.wantLine.Sum || l.Marking != tt.wantLine.Marking {
			t.Errorf("AddToRefund(%q) line %+v, want %+v", tt.text, l, tt.wantLine)
		}
	}
	// The paper receipt says the bread was 50,00.
	if err := ref.SetPrice(0, 5000); err != nil {
		t.Fatal(err)
	}
	if err := ref.Remove(1); err != nil {
		t.Fatal(err)
	}
	if got := ref.Total(); got != 10000+6000 {
		t.Fatalf("total = %s, want 160,00", got)
	}
	prepaid := []pos.Payment{{Method: pos.PayPrepaid, Amount: ref.Total()}}
	if _, err := r.till.Refund(context.Background(), ref, prepaid); !errors.Is(err, pos.ErrRefundTender) {
		t.Errorf("a return without the receipt to a prepayment: %v, want ErrRefundTender", err)
	}
	done, err := r.till.Refund(context.Background(), ref, []pos.Payment{{Method: pos.PayCard, Amount: 16000, Approval: "777777"}})
	if err != nil {
		t.Fatal(err)
	}
	if done.RefundOf != "" || done.Kind != pos.KindRefund || len(done.Lines) != 2 || done.Lines[1].Marking != bottleKM ||
		done.Total != 16000 || len(done.VAT) != 2 {
		t.Errorf("refund = %+v", done)
	}
}
