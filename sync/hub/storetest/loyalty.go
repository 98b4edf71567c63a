package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func customerBalance(t *testing.T, st Store, id string) int64 {
	t.Helper()
	items, _, _ := pull(t, st, wire.FeedCustomers, "any-store", "", 1000)
	var c wire.Customer
	if err := json.Unmarshal(items[id], &c); err != nil {
		t.Fatalf("customer %s in the feed: %v", id, err)
	}
	return c.Balance
}

func testLoyalty(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	ctx := context.Background()
	stats, err := st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Cards: []string{"2000001"}, Name: "Анна К.", Balance: 500},
		{ID: "c2", Balance: 0}}, false)
	if err != nil || stats.Added != 2 {
		t.Fatalf("import = %+v, %v", stats, err)
	}
	acc := func(id string, seq uint64, customer string, points int64) wire.Event {
		return event(id, seq, wire.TypeLoyaltyAccrual, wire.Loyalty{Customer: customer, Points: points, Sale: "S" + id})
	}
	red := func(id string, seq uint64, customer string, points int64) wire.Event {
		return event(id, seq, wire.TypeLoyaltyRedemption, wire.Loyalty{Customer: customer, Points: points, Sale: "S" + id})
	}
	steps := []struct {
		in        []wire.Event
		want      string
		balance   int64 // of c1 after the step
		overdraft int
	}{
		{[]wire.Event{acc("l1", 1, "c1", 100)}, "S", 600, 0},
		{[]wire.Event{acc("l1", 1, "c1", 100), red("l2", 2, "c1", 50)}, "DS", 550, 0}, // the replayed accrual counts once
		{[]wire.Event{red("l3", 3, "c1", 700)}, "S", -150, 1},                         // offline overdraft: stored, reported
		{[]wire.Event{acc("l4", 4, "nobody", 10)}, "R", -150, 0},
		{[]wire.Event{event("l5", 5, wire.TypeLoyaltyAccrual, "not an object")}, "R", -150, 0},
	}
	for i, s := range steps {
		res := mustAppend(t, st, till1, incoming(s.in...))
		if got := statuses(res); got != s.want {
			t.Errorf("step %d: %s, want %s (%+v)", i, got, s.want, res.Events)
		}
		if len(res.Warnings) != s.overdraft {
			t.Errorf("step %d: warnings %+v", i, res.Warnings)
		}
		for _, w := range res.Warnings {
			if w.Kind != hub.WarnLoyaltyOverdraft || w.EventID != "l3" || w.Detail == "" {
				t.Errorf("step %d: warning %+v", i, w)
			}
		}
		if b := customerBalance(t, st, "c1"); b != s.balance {
			t.Errorf("step %d: balance %d, want %d", i, b, s.balance)
		}
	}
	ledger, err := st.Ledger(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind      string
		points    int64
		balance   int64
		overdraft bool
	}{{hub.KindImport, 500, 500, false}, {wire.TypeLoyaltyAccrual, 100, 600, false},
		{wire.TypeLoyaltyRedemption, -50, 550, false}, {wire.TypeLoyaltyRedemption, -700, -150, true}}
	if len(ledger) != len(want) {
		t.Fatalf("ledger %+v", ledger)
	}
	for i, w := range want {
		e := ledger[i]
		if e.Kind != w.kind || e.Points != w.points || e.Balance != w.balance || e.Overdraft != w.overdraft || e.Customer != "c1" {
			t.Errorf("ledger[%d] = %+v, want %+v", i, e, w)
		}
	}
	if e := ledger[1]; e.EventID != "l1" || e.Sale != "Sl1" || e.Store != "s1" || e.Terminal != "till-1" || !e.At.Equal(t0) {
		t.Errorf("accrual entry %+v", e)
	}
	// A new import sets the balance again; loyalty counts from there. A full import deletes the missing.
	if _, err := st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Name: "Анна К.", Balance: 1000}}, true); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, st, till1, incoming(acc("l6", 6, "c1", 1)))
	if b := customerBalance(t, st, "c1"); b != 1001 {
		t.Errorf("balance after re-import %d, want 1001", b)
	}
	if res := mustAppend(t, st, till1, incoming(acc("l7", 7, "c2", 1))); statuses(res) != "R" {
		t.Errorf("accrual to a deleted customer: %s", statuses(res))
	}
	all, err := st.Ledger(ctx, "")
	if err != nil || len(all) != 7 || all[len(all)-1].Customer != "c2" {
		t.Errorf("whole ledger: %d entries, %v", len(all), err)
	}
}

func pickupOrder(id, store, number string) wire.PickupOrder {
	return wire.PickupOrder{ID: id, Number: number, Store: store, Customer: "Анна К.", PhoneLast4: "4567",
		Lines: []wire.PickupLine{{ProductID: "p1", Name: "Хлеб", Price: 100, Qty: 2000, VAT: "10"}}, Total: 200,
		Status: wire.PickupReady, ReadyAt: t0}
}

func testPickup(t *testing.T, f Factory) {
	st, _ := withTerminals(t, f)
	ctx := context.Background()
	o := pickupOrder("o1", "s1", "W-1")
	if _, created, err := st.PutPickupOrder(ctx, o, "hash"); err != nil || !created {
		t.Fatalf("create: %v, %v", created, err)
	}
	again := o
	again.ReadyAt = t0.Add(time.Minute) // a repeated request made a little later
	if got, created, err := st.PutPickupOrder(ctx, again, "hash"); err != nil || created || !got.ReadyAt.Equal(t0) {
		t.Errorf("repeat: %+v, %v, %v", got, created, err)
	}
	other := o
	other.Total = 999
	if _, _, err := st.PutPickupOrder(ctx, other, "hash"); !errors.Is(err, hub.ErrConflict) {
		t.Errorf("other contents: %v", err)
	}
	if _, _, err := st.PutPickupOrder(ctx, wire.PickupOrder{Store: "s1"}, ""); !errors.Is(err, hub.ErrBadName) {
		t.Errorf("no id: %v", err)
	}
	if _, _, err := st.PutPickupOrder(ctx, pickupOrder("o9", "s2", "W-9"), ""); err != nil {
		t.Fatal(err)
	}
	hand := func(id string, seq uint64, order string) wire.Event {
		return event(id, seq, wire.TypePickupHandover, wire.PickupHandover{Order: order})
	}
	steps := []struct {
		term     hub.Terminal
		ev       wire.Event
		want     string
		conflict bool
	}{
		{till1, hand("h1", 1, "o1"), "S", false},
		{till1, hand("h1", 1, "o1"), "D", false},
		{till2, hand("h2", 1, "o1"), "S", true},  // the same order at another till: stored, reported
		{till1, hand("h3", 2, "o9"), "R", false}, // another store's order
		{till1, hand("h4", 3, "nope"), "R", false},
	}
	for i, s := range steps {
		s.ev.Terminal = s.term.Name
		res := mustAppend(t, st, s.term, incoming(s.ev))
		if got := statuses(res); got != s.want {
			t.Errorf("step %d: %s, want %s (%+v)", i, got, s.want, res.Events)
		}
		if got := len(res.Warnings) == 1 && res.Warnings[0].Kind == hub.WarnPickupConflict; got != s.conflict {
			t.Errorf("step %d: warnings %+v", i, res.Warnings)
		}
	}
	got, err := st.PickupOrder(ctx, "o1")
	if err != nil || got.Status != wire.PickupCollected || got.Number != "W-1" {
		t.Errorf("order after hand-over: %+v, %v", got, err)
	}
	items, _, _ := pull(t, st, wire.FeedPickupOrders, "s1", "", 10)
	var fed wire.PickupOrder
	if err := json.Unmarshal(items["o1"], &fed); err != nil || fed.Status != wire.PickupCollected {
		t.Errorf("feed has %+v, %v", fed, err)
	}
	if _, err := st.PickupOrder(ctx, "nope"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}
