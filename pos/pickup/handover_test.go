package pickup_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

// handOver opens an order by number, scans texts, refuses lines and hands it over.
func (r *rig) handOver(t *testing.T, number string, scans []string, refuse map[int]pos.Qty, pay []pos.Payment) (pickup.Result, *pickup.Verification) {
	t.Helper()
	v, err := r.desk.FindByNumber(number, "6789")
	if err != nil {
		t.Fatal(err)
	}
	scanAll(t, v, scans...)
	for i, q := range refuse {
		if err := v.Refuse(i, q, "не нужно"); err != nil {
			t.Fatal(err)
		}
	}
	res, err := r.desk.HandOver(context.Background(), v, pay)
	if err != nil {
		t.Fatalf("HandOver %s: %v", number, err)
	}
	return res, v
}

func TestHandOverPrepaid(t *testing.T) {
	r := newRig(t)
	res, _ := r.handOver(t, "W-1", []string{"4601234567893", "4601234567893", "4601111111119", water1, water2}, nil, nil)
	s := res.Sale
	if s.Status != pos.SaleFiscalised || s.Kind != pos.KindSale || s.Total != 37550 || s.Paid(pos.PayPrepaid) != 37550 ||
		len(s.Payments) != 1 || s.Cashier != "Петров В." || res.Refund != nil || res.Change != 0 {
		t.Fatalf("settlement = %+v", s)
	}
	var codes []string
	for _, l := range s.Lines {
		if l.Marking != "" {
			codes = append(codes, l.Marking)
		}
	}
	if len(s.Lines) != 4 || strings.Join(codes, " ") != water1+" "+water2 {
		t.Errorf("settlement lines = %+v; want bread, milk and one line per pack of water", s.Lines)
	}
	tot := r.dev.Snapshot().Totals
	if tot.ShiftPrepaid != 37550 || tot.ShiftIncome != 37550 || tot.ShiftCash != 0 || tot.ShiftCard != 0 {
		t.Errorf("register totals %+v: want the whole order settled by the prepayment", tot)
	}
	ev := r.events(t)
	if len(ev[wire.TypeSale]) != 1 || len(ev[wire.TypePickupHandover]) != 1 || len(ev[wire.TypeAnalytics]) != 1 || len(ev[wire.TypeRefund]) != 0 {
		t.Fatalf("outbox = %v", ev)
	}
	h := ev[wire.TypePickupHandover][0]
	if got := handoverOf(t, h); got != (wire.PickupHandover{Order: "o1", Sale: s.ID}) || h.ID != store.PickupHandoverEventID("o1", s.ID) {
		t.Errorf("hand-over event %s %+v", h.ID, got)
	}
	if !strings.Contains(string(ev[wire.TypeAnalytics][0].Payload), `"pickup_handed_out"`) {
		t.Errorf("analytics event %s", ev[wire.TypeAnalytics][0].Payload)
	}
	if !res.Handover.Done || res.Handover.Amount() != 37550 || res.Handover.Via != pickup.ViaNumber {
		t.Errorf("ledger record %+v", res.Handover)
	}
	slip := res.Slip(pickup.Order{Customer: "Анна П."})
	if slip.Number != "W-1" || slip.Offset != 37550 || slip.Paid != 0 || slip.SaleFD == 0 || slip.Staff != "Петров В." {
		t.Errorf("slip %+v", slip)
	}
}

func TestHandOverRefusedPrepaidGoods(t *testing.T) {
	r := newRig(t)
	// The customer takes one loaf of two and one pack of water of two: both were prepaid.
	res, _ := r.handOver(t, "W-1", []string{"4601234567893", "4601111111119", water1},
		map[int]pos.Qty{0: pos.Pieces(1), 2: pos.Pieces(1)}, nil)
	s, rf := res.Sale, res.Refund
	if s.Total != 24270 || s.Paid(pos.PayPrepaid) != 24270 || len(s.Lines) != 3 {
		t.Fatalf("settlement = %+v", s)
	}
	if rf == nil || rf.Kind != pos.KindRefund || rf.Status != pos.SaleFiscalised || rf.Total != 13280 ||
		rf.Paid(pos.PayOnline) != 13280 || rf.RefundOf != "" || len(rf.Lines) != 2 {
		t.Fatalf("prepayment return = %+v", rf)
	}
	if l := rf.Lines[0]; l.VAT != pos.VAT10_110 || l.Sum != 6290 || l.Discount != 0 || l.Marking != "" {
		t.Errorf("returned bread %+v: want the calculated rate 10/110 at the full price", l)
	}
	if l := rf.Lines[1]; l.VAT != pos.VAT22_122 || l.Sum != 6990 || l.Marking != "" {
		t.Errorf("returned water %+v: want 22/122 and no marking code", l)
	}
	tot := r.dev.Snapshot().Totals
	if tot.ShiftIncome != 24270 || tot.ShiftPrepaid != 24270 || tot.ShiftReturns != 13280 || tot.ShiftCard != -13280 {
		t.Errorf("register totals %+v", tot)
	}
	if tape := r.dev.Tape(); !strings.Contains(tape, "ПРЕДОПЛАТА 100%") {
		t.Errorf("the return of the prepayment is not a prepayment's on the tape:\n%s", tape)
	}
	ev := r.events(t)
	if len(ev[wire.TypeRefund]) != 1 || handoverOf(t, ev[wire.TypePickupHandover][0]) != (wire.PickupHandover{Order: "o1", Sale: s.ID, Refund: rf.ID}) {
		t.Errorf("outbox %v", ev)
	}
	if slip := res.Slip(pickup.Order{}); slip.Refund != 13280 || len(slip.Refused) != 2 || slip.RefundFD == 0 {
		t.Errorf("slip %+v", slip)
	}
}

func TestHandOverPartlyPrepaid(t *testing.T) {
	tests := []struct {
		name       string
		refuse     map[int]pos.Qty
		pay        []pos.Payment
		wantSale   pos.Money
		wantOffset pos.Money
		wantChange pos.Money
		wantRefund pos.Money
	}{
		{"everything, the rest in cash", nil, []pos.Payment{{Method: pos.PayCash, Amount: 50000}}, 78860, 30000, 1140, 0},
		{"everything, the rest by card", nil, []pos.Payment{{Method: pos.PayCard, Amount: 48860}}, 78860, 30000, 0, 0},
		{"the coffee refused: part of the prepayment back", map[int]pos.Qty{0: pos.Pieces(1)}, nil, 18870, 18870, 0, 11130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			res, _ := r.handOver(t, "W-3", []string{"4652761138759", "4601234567893", "4601234567893", "4601234567893"}[len(tt.refuse):], tt.refuse, tt.pay)
			if res.Sale.Total != tt.wantSale || res.Sale.Paid(pos.PayPrepaid) != tt.wantOffset || res.Change != tt.wantChange {
				t.Errorf("settlement %+v", res.Sale)
			}
			if tt.wantRefund == 0 {
				if res.Refund != nil {
					t.Errorf("a prepayment went back: %+v", res.Refund)
				}
				return
			}
			l := res.Refund.Lines[0]
			if res.Refund.Total != tt.wantRefund || l.Sum != tt.wantRefund || l.Discount != 59990-tt.wantRefund {
				t.Errorf("prepayment return %+v", res.Refund)
			}
			if tape := r.dev.Tape(); !strings.Contains(tape, "ПРЕДОПЛАТА") || strings.Contains(tape, "ПРЕДОПЛАТА 100%") {
				t.Errorf("a part of a partial prepayment goes back as предоплата (1214 = 2):\n%s", tape)
			}
		})
	}
}

func TestHandOverRefusals(t *testing.T) {
	tests := []struct {
		name    string
		number  string
		scans   []string
		refuse  map[int]pos.Qty
		pay     []pos.Payment
		wantErr error
	}{
		{"not verified", "W-2", []string{"4652761138759"}, nil, []pos.Payment{{Method: pos.PayCash, Amount: 80000}}, pickup.ErrNotVerified},
		{"everything refused", "W-2", nil, map[int]pos.Qty{0: pos.Pieces(1), 1: 1250}, nil, pickup.ErrNothingToHandOver},
		{"underpaid", "W-2", []string{"4652761138759", "2100001012502"}, nil, []pos.Payment{{Method: pos.PayCash, Amount: 50000}}, pos.ErrUnderpaid},
		{"card over the amount due", "W-2", []string{"4652761138759", "2100001012502"}, nil, []pos.Payment{{Method: pos.PayCard, Amount: 80000}}, pos.ErrCardOverpay},
		{"money for a prepaid order", "W-7", []string{"4601111111119"}, nil, []pos.Payment{{Method: pos.PayCash, Amount: 100}}, pos.ErrBadTender},
		{"prepaid tender from outside", "W-2", []string{"4652761138759", "2100001012502"}, nil, []pos.Payment{{Method: pos.PayPrepaid, Amount: 78728}}, pos.ErrBadTender},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			v, err := r.desk.FindByNumber(tt.number, "6789")
			if err != nil {
				t.Fatal(err)
			}
			scanAll(t, v, tt.scans...)
			for i, q := range tt.refuse {
				if err := v.Refuse(i, q, ""); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := r.desk.HandOver(context.Background(), v, tt.pay); !errors.Is(err, tt.wantErr) {
				t.Fatalf("HandOver = %v, want %v", err, tt.wantErr)
			}
			if hs, _ := r.st.PickupHandovers(); len(hs) != 0 || r.dev.Snapshot().Totals.ShiftReceipts != 0 {
				t.Errorf("a refused hand-over left %+v in the ledger or a receipt in the register", hs)
			}
		})
	}
}

func TestHandOverRegisterRefusesMark(t *testing.T) {
	r := newRig(t)
	v, err := r.desk.FindByNumber("W-1", "6789")
	if err != nil {
		t.Fatal(err)
	}
	scanAll(t, v, "4601234567893", "4601234567893", "4601111111119", water1, water2)
	if err := r.dev.Inject(emulator.Fault{Kind: emulator.FaultRejectMark, GTIN: "04690421631110", Code: 0xA3}); err != nil {
		t.Fatal(err)
	}
	_, err = r.desk.HandOver(context.Background(), v, nil)
	var re *pos.RegisterError
	if !errors.Is(err, pos.ErrNotFiscalised) || !errors.As(err, &re) || re.Code != 0xA3 {
		t.Fatalf("HandOver = %v, want the register's refusal of the marking code", err)
	}
	if _, ok, _ := r.st.PickupHandover("o1"); ok {
		t.Error("the refused hand-over is still in the ledger")
	}
	if _, err := r.desk.FindByNumber("W-1", "6789"); err != nil {
		t.Errorf("the order is not ready again: %v", err)
	}
	if ev := r.events(t); len(ev[wire.TypePickupHandover]) != 0 {
		t.Errorf("hand-over queued: %v", ev)
	}
}

// flakyTill loses the register's link when the prepayment's return is due: the settlement is fiscalised
// and the hand-over is left unfinished, as a crash would leave it.
type flakyTill struct{ *checkout.Till }

func (flakyTill) RefundPrepayment(context.Context, string, []pos.Line) (pos.Sale, error) {
	return pos.Sale{}, pos.ErrRegisterOffline
}

func TestRecoverFinishesAfterSettlement(t *testing.T) {
	r := newRig(t)
	cfg := r.cfg
	cfg.Till = flakyTill{r.till}
	v, err := pickup.New(cfg).FindByNumber("W-1", "6789")
	if err != nil {
		t.Fatal(err)
	}
	scanAll(t, v, "4601234567893", "4601111111119", water1)
	if err := v.Refuse(0, pos.Pieces(1), ""); err != nil {
		t.Fatal(err)
	}
	if err := v.Refuse(2, pos.Pieces(1), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := pickup.New(cfg).HandOver(context.Background(), v, nil); !errors.Is(err, pos.ErrRegisterOffline) {
		t.Fatalf("HandOver = %v, want the lost register", err)
	}
	if _, err := r.desk.Find("W-1 6789"); err != nil {
		t.Fatalf("the unfinished order: %v", err)
	}
	again, _ := r.desk.Find("W-1 6789")
	if again.Resume == nil || !again.Complete() || again.Lines[0].Refused != pos.Pieces(1) {
		t.Fatalf("the unfinished hand-over is not resumed: %+v", again)
	}
	rep, err := r.desk.Recover(context.Background())
	if err != nil || len(rep.Finished) != 1 || len(rep.Dropped) != 0 {
		t.Fatalf("Recover = %+v, %v", rep, err)
	}
	res := rep.Finished[0]
	if res.Refund == nil || res.Refund.Total != 13280 || !res.Handover.Done {
		t.Fatalf("recovered %+v", res)
	}
	if n := r.dev.Snapshot().Totals.ShiftReceipts; n != 2 {
		t.Errorf("the register made %d receipts, want the settlement once and the return once", n)
	}
	if _, err := r.desk.Find("W-1 6789"); !errors.Is(err, pickup.ErrAlreadyCollected) {
		t.Errorf("after recovery: %v", err)
	}
}

func TestRecoverDropsUnsettled(t *testing.T) {
	r := newRig(t)
	plan := pos.PickupHandover{Order: "o2", Number: "W-2", Sale: "0190a3b4-0000-7000-8000-0000000000ff", At: t0.Add(-time.Minute),
		SaleLines: []pos.Line{{ProductID: coffee.ID, Name: coffee.Name, Price: coffee.Price, Qty: pos.QtyOne, Sum: coffee.Price, VAT: coffee.VAT}}}
	if _, created, err := r.st.BeginPickupHandover(plan); err != nil || !created {
		t.Fatal(created, err)
	}
	if _, err := r.desk.Find("W-2 6789"); err != nil {
		t.Fatal(err)
	}
	rep, err := r.desk.Recover(context.Background())
	if err != nil || len(rep.Dropped) != 1 || len(rep.Finished) != 0 {
		t.Fatalf("Recover = %+v, %v", rep, err)
	}
	if n := r.dev.Snapshot().Totals.ShiftReceipts; n != 0 {
		t.Errorf("recovery fiscalised %d receipts for a customer no longer at the desk", n)
	}
	v, err := r.desk.Find("W-2 6789")
	if err != nil || v.Resume != nil {
		t.Errorf("the order is not ready again: %+v, %v", v, err)
	}
}

func TestHandOverAgainAfterPaperOut(t *testing.T) {
	r := newRig(t)
	v, err := r.desk.FindByNumber("W-7", "6789")
	if err != nil {
		t.Fatal(err)
	}
	scanAll(t, v, "4601111111119")
	r.dev.SetPaper(false)
	if _, err := r.desk.HandOver(context.Background(), v, nil); !errors.Is(err, pos.ErrPaperOut) {
		t.Fatalf("HandOver without paper = %v, want ErrPaperOut", err)
	}
	if v.Resume != nil {
		t.Fatalf("the dropped plan is still resumed: %+v", v.Resume)
	}
	r.dev.SetPaper(true)
	res, err := r.desk.HandOver(context.Background(), v, nil)
	if err != nil || res.Sale.Status != pos.SaleFiscalised {
		t.Fatalf("HandOver with paper = %+v, %v", res.Sale, err)
	}
	if n := r.dev.Snapshot().Totals.ShiftReceipts; n != 1 {
		t.Errorf("the register made %d receipts, want 1", n)
	}
}
