package terminal

import (
	"context"
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

// TestCashBookJournalsAndSyncs: внесение and изъятие on the demo register are journalled with the
// register's document numbers, a refused изъятие is cancelled, the shift report counts the cash in the
// drawer, and the events reach the hub.
func TestCashBookJournalsAndSyncs(t *testing.T) {
	term, _ := openDemo(t, t.TempDir())
	ctx := context.Background()
	book := term.CashBook()
	if err := book.RecordCash(ctx, false, 10000, "Иванова"); !errors.Is(err, pos.ErrShiftClosed) {
		t.Fatalf("before the shift: %v, want ErrShiftClosed", err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	sale := sellBread(t, term)
	cashFromSale := sale.Paid(pos.PayCash) - sale.Change
	steps := []struct {
		out     bool
		amount  pos.Money
		wantErr bool
	}{
		{false, 500000, false},
		{true, 120000, false},
		{true, 100_000_000, true}, // more than the drawer holds: the register refuses
	}
	for _, st := range steps {
		err := book.RecordCash(ctx, st.out, st.amount, "Иванова")
		if (err != nil) != st.wantErr {
			t.Fatalf("cash out=%v %v: %v", st.out, st.amount, err)
		}
	}
	rep, err := term.Store.ShiftReport(sale.Shift)
	if err != nil {
		t.Fatal(err)
	}
	want := store.CashTotals{InCount: 1, In: 500000, OutCount: 1, Out: 120000}
	if rep.Cash != want || rep.ExpectedCash() != cashFromSale+380000 {
		t.Errorf("cash %+v expected %v", rep.Cash, rep.ExpectedCash())
	}
	ops, err := term.Store.CashOps(sale.Shift)
	if err != nil || len(ops) != 3 {
		t.Fatalf("ops %+v %v", ops, err)
	}
	if ops[0].KKTDoc == 0 || ops[1].KKTDoc <= ops[0].KKTDoc || ops[2].Status != pos.SaleCancelled {
		t.Errorf("document numbers or statuses: %+v", ops)
	}
	waitFor(t, "the hub acknowledges the cash events", func() (bool, error) { return unsent(t, term.Store) == 0, nil })
	st, err := term.Store.OutboxStats()
	if err != nil || st.DeadLetters != 0 {
		t.Errorf("dead letters %d (%v): the hub refused a cash event", st.DeadLetters, err)
	}
}
