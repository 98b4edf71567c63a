package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/kassa-pos/kassa/pos"
)

// fakeJournal is a CashDrawer with a cash book: it hears who made each operation.
type fakeJournal struct {
	mu  sync.Mutex
	ops []string
}

func (f *fakeJournal) CashIn(context.Context, pos.Money) error { panic("the till must use RecordCash") }
func (f *fakeJournal) CashOut(context.Context, pos.Money) error {
	panic("the till must use RecordCash")
}

func (f *fakeJournal) RecordCash(_ context.Context, out bool, amount pos.Money, cashier string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	kind := "in"
	if out {
		kind = "out"
	}
	f.ops = append(f.ops, kind+" "+amount.String()+" "+cashier)
	return nil
}

// TestCashGoesToTheJournal: with a cash book the till records внесение and изъятие there, naming the
// logged-in cashier, not the senior who authorised the withdrawal.
func TestCashGoesToTheJournal(t *testing.T) {
	r := newStaffRig(t)
	j := &fakeJournal{}
	r.screen.d.Cash = j
	r.login(t, "1111")
	r.cash(t, fyne.Key5, "1000")
	r.waitIdle(t)
	r.cash(t, fyne.Key6, "250,50")
	r.typePIN(t, "2222")
	r.waitIdle(t)
	if got := strings.Join(j.ops, "; "); got != "in 1 000,00 Иванова; out 250,50 Иванова" {
		t.Errorf("journal heard %q", got)
	}
	if !strings.Contains(r.screen.Message(), "Изъято: 250,50 ₽") {
		t.Errorf("message %q", r.screen.Message())
	}
}
