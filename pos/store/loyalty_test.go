package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
)

func loyalSale(id string, l pos.SaleLoyalty) pos.Sale {
	s := testSale(id, 7)
	s.Loyalty = l
	return s
}

func refundWithPoints(id string) pos.Sale {
	s := loyalSale(id, pos.SaleLoyalty{Customer: "c1", Redeemed: 282, Earned: 3332})
	s.Kind = pos.KindRefund
	return s
}

func completeSale(t *testing.T, s *Store, sale pos.Sale) {
	t.Helper()
	if err := s.BeginSale(sale); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteSale(sale.ID, testFiscal); err != nil {
		t.Fatal(err)
	}
}

func eventList(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	for _, ev := range unsent(t, s) {
		line := ev.Type + " " + ev.ID
		if ev.Type == wire.TypeLoyaltyAccrual || ev.Type == wire.TypeLoyaltyRedemption {
			var l wire.Loyalty
			if err := json.Unmarshal(ev.Payload, &l); err != nil {
				t.Fatal(err)
			}
			line += fmt.Sprintf(" %s %d %s", l.Customer, l.Points, l.Sale)
		}
		out = append(out, line)
	}
	return out
}

func TestLoyaltyEventsWithTheSale(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sale     pos.Sale
		events   []string
		spent    pos.Money
		credited pos.Money
	}{
		{"redeemed and earned", loyalSale("s1", pos.SaleLoyalty{Customer: "c1", Redeemed: 20000, Earned: 336}),
			[]string{"sale s1", "loyalty_redemption s1.loyalty_redemption c1 20000 s1", "loyalty_accrual s1.loyalty_accrual c1 336 s1"},
			20000, 336},
		{"earned only", loyalSale("s2", pos.SaleLoyalty{Customer: "c1", Earned: 336}),
			[]string{"sale s2", "loyalty_accrual s2.loyalty_accrual c1 336 s2"}, 0, 336},
		{"a customer and nothing earned", loyalSale("s3", pos.SaleLoyalty{Customer: "c1"}), []string{"sale s3"}, 0, 0},
		{"no customer", testSale("s4", 7), []string{"sale s4"}, 0, 0},
		{"a refund gives back before it takes back", refundWithPoints("r1"),
			[]string{"refund r1", "loyalty_accrual r1.loyalty_accrual c1 3332 r1", "loyalty_redemption r1.loyalty_redemption c1 282 r1"},
			282, 3332},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			completeSale(t, s, tc.sale)
			if got := eventList(t, s); fmt.Sprint(got) != fmt.Sprint(tc.events) {
				t.Errorf("outbox:\n%q\nwant\n%q", got, tc.events)
			}
			// Recovery completes a sale again: nothing more is queued.
			if _, err := s.CompleteSale(tc.sale.ID, testFiscal); err != nil {
				t.Fatal(err)
			}
			if got := eventList(t, s); len(got) != len(tc.events) {
				t.Errorf("completed again: %q", got)
			}
			spent, credited, err := s.UnsettledLoyalty("c1")
			if err != nil || spent != tc.spent || credited != tc.credited {
				t.Errorf("unsettled = %s, %s, %v; want %s, %s", spent, credited, err, tc.spent, tc.credited)
			}
			got, err := s.Sale(tc.sale.ID)
			if err != nil || got.Loyalty != tc.sale.Loyalty {
				t.Errorf("journal keeps %+v, %v", got.Loyalty, err)
			}
		})
	}
}

// The loyalty events go in the transaction that fiscalises the sale: when one of them cannot be queued,
// the sale stays pending and its own event is not queued either.
func TestLoyaltyEventsSameTransaction(t *testing.T) {
	s := openTemp(t)
	// A sale whose id is what s1's accrual event will be: its event takes that outbox id first.
	completeSale(t, s, testSale(LoyaltyEventID("s1", wire.TypeLoyaltyAccrual), 7))
	sale := loyalSale("s1", pos.SaleLoyalty{Customer: "c1", Redeemed: 100, Earned: 50})
	if err := s.BeginSale(sale); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteSale("s1", testFiscal); !errors.Is(err, outbox.ErrDuplicateID) {
		t.Fatalf("CompleteSale = %v, want the duplicate event id refused", err)
	}
	if got, _ := s.Sale("s1"); got.Status != pos.SalePending {
		t.Errorf("sale is %s, want still pending", got.Status)
	}
	if got := eventList(t, s); len(got) != 1 {
		t.Errorf("outbox %q: the sale's or its redemption's event leaked", got)
	}
	if spent, credited, _ := s.UnsettledLoyalty("c1"); spent != 0 || credited != 0 {
		t.Errorf("unsettled %s, %s after the failed completion", spent, credited)
	}
}

// Unsettled points stay until the hub acknowledged them and a customers pull that started after the
// acknowledgement finished: only that pull's balance includes them.
func TestLoyaltySettles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kassa.db")
	s, err := Open(path, Options{Terminal: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	feed := func() Feed[wire.Customer] { return s.CustomerFeed() }
	page := func(more bool) wire.Page[wire.Customer] {
		return wire.Page[wire.Customer]{Items: []wire.Customer{{ID: "c1", Name: "Анна П.", Balance: 1000}}, More: more}
	}
	var since string
	begin := func() { since, err = feed().Cursor(ctx) }
	apply := func(more bool) {
		if err := feed().Apply(ctx, since, page(more)); err != nil {
			t.Fatal(err)
		}
	}
	round := func() { begin(); apply(true); apply(false) }
	r1, a1 := LoyaltyEventID("s1", wire.TypeLoyaltyRedemption), LoyaltyEventID("s1", wire.TypeLoyaltyAccrual)
	r2 := LoyaltyEventID("s2", wire.TypeLoyaltyRedemption)
	ack := func(ids ...string) {
		if err := s.AckEvents(ctx, ids); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name   string
		do     func()
		spent  pos.Money
		earned pos.Money
	}{
		{"sold: 300 spent, 20 earned", func() {
			completeSale(t, s, loyalSale("s1", pos.SaleLoyalty{Customer: "c1", Redeemed: 300, Earned: 20}))
		}, 300, 20},
		{"a pull before the hub has them", round, 300, 20},
		{"a pull that started before the ack", func() { begin(); apply(true); ack("s1", r1, a1); apply(false) }, 300, 20},
		{"the next pull", round, 0, 0},
		{"acknowledged again", func() { ack(r1, a1) }, 0, 0},
		{"second sale, its redemption refused by the hub", func() {
			completeSale(t, s, loyalSale("s2", pos.SaleLoyalty{Customer: "c1", Redeemed: 400}))
			if err := s.RejectEvent(ctx, r2, "unknown customer"); err != nil {
				t.Fatal(err)
			}
			round()
		}, 400, 0},
		{"retried and acknowledged, then the program restarts", func() {
			if err := s.RetryDeadLetter(r2); err != nil {
				t.Fatal(err)
			}
			ack(r2)
			s.Close()
			if s, err = Open(path, Options{Terminal: "T1"}); err != nil {
				t.Fatal(err)
			}
		}, 400, 0},
		{"the first pull after the restart", round, 0, 0},
	}
	for _, st := range steps {
		st.do()
		spent, earned, err := s.UnsettledLoyalty("c1")
		if err != nil || spent != st.spent || earned != st.earned {
			t.Fatalf("%s: unsettled %s spent, %s earned, %v; want %s, %s", st.name, spent, earned, err, st.spent, st.earned)
		}
	}
	if n := len(s.loyalty.acked); n != 0 {
		t.Errorf("%d acknowledgements still remembered", n)
	}
}

func TestHasCustomers(t *testing.T) {
	s := openTemp(t)
	if some, err := s.HasCustomers(); err != nil || some {
		t.Fatalf("empty store: %v, %v", some, err)
	}
	f := s.CustomerFeed()
	if err := f.Apply(context.Background(), "", wire.Page[wire.Customer]{Items: []wire.Customer{{ID: "c1"}}, Next: "1"}); err != nil {
		t.Fatal(err)
	}
	if some, err := s.HasCustomers(); err != nil || !some {
		t.Fatalf("after a pull: %v, %v", some, err)
	}
}
