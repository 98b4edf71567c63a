package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// parallel runs fn(i) for i in [0, n) at once and fails the test on the first error.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// testConcurrentSameBatch: a terminal whose answers got lost sends the same batch to two instances at
// once, again and again. Every event is stored once, and its loyalty effect applied once.
func testConcurrentSameBatch(t *testing.T, f Factory) {
	st, another := withTerminals(t, f)
	inst := []Store{st, another()}
	if _, err := st.ImportCustomers(context.Background(), []hub.CustomerImport{{ID: "c1", Balance: 0}}, false); err != nil {
		t.Fatal(err)
	}
	var evs []wire.Event
	for i := range 40 {
		seq := uint64(i + 1)
		if i%2 == 0 {
			evs = append(evs, sale(fmt.Sprint("cs", i), seq, "till-1"))
		} else {
			evs = append(evs, event(fmt.Sprint("cl", i), seq, wire.TypeLoyaltyAccrual, wire.Loyalty{Customer: "c1", Points: 10}))
		}
	}
	const senders = 8
	results := make([]hub.AppendResult, senders)
	parallel(t, senders, func(i int) error {
		var err error
		results[i], err = inst[i%2].Append(context.Background(), till1, incoming(evs...), t0)
		return err
	})
	for k := range evs {
		stored := 0
		for _, res := range results {
			switch res.Events[k].Status {
			case hub.Stored:
				stored++
			case hub.Rejected:
				t.Errorf("event %d rejected: %s", k, res.Events[k].Reason)
			}
		}
		if stored != 1 {
			t.Errorf("event %s stored %d times", evs[k].ID, stored)
		}
	}
	if n := eventCount(t, st); n != len(evs) {
		t.Errorf("EventCount = %d, want %d", n, len(evs))
	}
	if b := customerBalance(t, st, "c1"); b != 200 {
		t.Errorf("balance %d, want 200: an accrual counted twice or lost", b)
	}
	if ti := terminal(t, st, till1); ti.Events != uint64(len(evs)) || ti.LastSeq != 40 || ti.Gaps != 0 {
		t.Errorf("till-1 state %+v", ti)
	}
}

// testConcurrentFeedWriters: writers change the catalog through two instances while a reader pulls with
// its cursor through both. When the writers are done, one more pull must leave the reader with exactly
// the final catalog: a change committed behind the reader's cursor would be lost for good.
func testConcurrentFeedWriters(t *testing.T, f Factory) {
	st, another := f(t)
	inst := []Store{st, another()}
	const writers, rounds, per = 4, 15, 4
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := map[string]json.RawMessage{}
	cursor := ""
	var readErr error
	readerDone := make(chan struct{})
	read := func(k int) error {
		for {
			page, err := inst[k%2].Feed(context.Background(), wire.FeedCatalog, "s1", cursor, 7)
			if err != nil {
				return err
			}
			for _, it := range page.Items {
				var p wire.Product
				if err := json.Unmarshal(it, &p); err != nil {
					return err
				}
				seen[p.ID] = it
			}
			cursor = page.Next
			if !page.More {
				return nil
			}
		}
	}
	go func() {
		defer close(readerDone)
		for k := 0; ctx.Err() == nil; k++ {
			if err := read(k); err != nil {
				readErr = err
				return
			}
		}
	}()
	parallel(t, writers, func(w int) error {
		for r := range rounds {
			var list []wire.Product
			for i := range per {
				// Every round changes the writer's items and one item all writers share.
				list = append(list, product(fmt.Sprintf("w%d-%d", w, i), int64(r*100+w)))
			}
			list = append(list, product("shared", int64(r*100+w)))
			if _, err := inst[(w+r)%2].ImportCatalog(context.Background(), "s1", list, false); err != nil {
				return err
			}
		}
		return nil
	})
	cancel()
	<-readerDone
	if readErr != nil {
		t.Fatal(readErr)
	}
	if err := read(0); err != nil {
		t.Fatal(err)
	}
	final, _, _ := pull(t, st, wire.FeedCatalog, "s1", "", 1000)
	if len(final) != writers*per+1 || len(seen) != len(final) {
		t.Fatalf("reader has %d items, the feed %d, want %d", len(seen), len(final), writers*per+1)
	}
	for id, data := range final {
		if string(seen[id]) != string(data) {
			t.Errorf("reader has %s = %s, the feed %s", id, seen[id], data)
		}
	}
}

// testConcurrentHandover: the same order handed over at several tills through two instances at once:
// one hand-over wins, every other is stored and reported as a conflict.
func testConcurrentHandover(t *testing.T, f Factory) {
	st, another := withTerminals(t, f)
	inst := []Store{st, another()}
	if _, _, err := st.PutPickupOrder(context.Background(), pickupOrder("o1", "s1", "W-1"), ""); err != nil {
		t.Fatal(err)
	}
	const tills = 10
	results := make([]hub.AppendResult, tills)
	parallel(t, tills, func(i int) error {
		term := []hub.Terminal{till1, till2}[i%2]
		ev := event(fmt.Sprint("ho", i), uint64(i/2+1), wire.TypePickupHandover, wire.PickupHandover{Order: "o1"})
		ev.Terminal = term.Name
		var err error
		results[i], err = inst[i/2%2].Append(context.Background(), term, incoming(ev), t0)
		return err
	})
	conflicts := 0
	for i, res := range results {
		if statuses(res) != "S" {
			t.Errorf("hand-over %d: %s %+v", i, statuses(res), res.Events)
		}
		conflicts += len(res.Warnings)
	}
	if conflicts != tills-1 {
		t.Errorf("%d conflicts, want %d", conflicts, tills-1)
	}
	if o, err := st.PickupOrder(context.Background(), "o1"); err != nil || o.Status != wire.PickupCollected {
		t.Errorf("order %+v, %v", o, err)
	}
}

// testConcurrentLoyalty: accruals and redemptions of one customer from several tills through two
// instances: the balance is the sum of them all, and the ledger has every movement once.
func testConcurrentLoyalty(t *testing.T, f Factory) {
	st, another := withTerminals(t, f)
	inst := []Store{st, another()}
	if _, err := st.ImportCustomers(context.Background(), []hub.CustomerImport{{ID: "c1", Balance: 1000}}, false); err != nil {
		t.Fatal(err)
	}
	const batches = 12
	parallel(t, 3, func(k int) error {
		term := []hub.Terminal{till1, till2, till9}[k]
		for b := range batches {
			seq := uint64(2*b + 1)
			acc := event(fmt.Sprintf("la%d-%d", k, b), seq, wire.TypeLoyaltyAccrual, wire.Loyalty{Customer: "c1", Points: 30})
			red := event(fmt.Sprintf("lr%d-%d", k, b), seq+1, wire.TypeLoyaltyRedemption, wire.Loyalty{Customer: "c1", Points: 10})
			acc.Terminal, red.Terminal = term.Name, term.Name
			if _, err := inst[(k+b)%2].Append(context.Background(), term, incoming(acc, red), t0); err != nil {
				return err
			}
		}
		return nil
	})
	if b := customerBalance(t, st, "c1"); b != 1000+3*batches*20 {
		t.Errorf("balance %d, want %d", b, 1000+3*batches*20)
	}
	ledger, err := st.Ledger(context.Background(), "c1")
	if err != nil || len(ledger) != 1+3*batches*2 {
		t.Fatalf("ledger: %d entries, %v", len(ledger), err)
	}
	if last := ledger[len(ledger)-1]; last.Balance != 1000+3*batches*20 {
		t.Errorf("last ledger balance %d: entries were computed from a stale balance", last.Balance)
	}
}
