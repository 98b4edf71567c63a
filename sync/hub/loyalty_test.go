package hub_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func loyaltyEvent(id string, seq uint64, typ, customer string, points int64) wire.Event {
	payload, _ := json.Marshal(wire.Loyalty{Customer: customer, Points: points, Sale: "sale-" + id})
	return wire.Event{ID: id, Seq: seq, Type: typ, Terminal: "till-1", At: t0, Payload: payload}
}

// TestLoyaltyLedger: balance = import balance + accruals - redemptions, a replayed event counts once, an
// overdraft is stored and reported, and every change reaches the customers feed.
func TestLoyaltyLedger(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	milk := wire.PersonalOffer{ID: "milk", Text: "−10 % на молоко", Kind: wire.OfferPercent, Value: 1000, Product: "100002"}
	if _, err := th.st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Name: "Анна П.", Balance: 1000,
		Offers: []wire.PersonalOffer{milk}}, {ID: "c2", Name: "Олег С."}}, false); err != nil {
		t.Fatal(err)
	}
	accrual, redemption := wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption
	steps := []struct {
		ev       wire.Event
		status   hub.Status
		balance  int64 // c1's balance after the step
		warnings int
	}{
		{loyaltyEvent("l1", 1, accrual, "c1", 150), hub.Stored, 1150, 0},
		{loyaltyEvent("l1", 1, accrual, "c1", 150), hub.Duplicate, 1150, 0},
		{loyaltyEvent("l2", 2, redemption, "c1", 1000), hub.Stored, 150, 0},
		{loyaltyEvent("l3", 3, redemption, "c1", 400), hub.Stored, -250, 1},
		{loyaltyEvent("l4", 4, accrual, "ghost", 10), hub.Rejected, -250, 0},
		{loyaltyEvent("l5", 5, accrual, "c2", 30), hub.Stored, -250, 0},
	}
	for i, s := range steps {
		res, err := th.st.Append(ctx, till1, incoming([]wire.Event{s.ev}), t0)
		if err != nil {
			t.Fatal(err)
		}
		if res.Events[0].Status != s.status || len(res.Warnings) != s.warnings {
			t.Errorf("step %d: %+v, want status %d and %d warnings", i, res, s.status, s.warnings)
		}
		state := map[string]json.RawMessage{}
		pullAll(t, th, wire.FeedCustomers, "", 100, state)
		var c wire.Customer
		if err := json.Unmarshal(state["c1"], &c); err != nil || c.Balance != s.balance {
			t.Errorf("step %d: customer %+v, want balance %d", i, c, s.balance)
		}
		if len(c.PersonalOffers) != 1 || c.PersonalOffers[0] != milk {
			t.Errorf("step %d: personal offers %+v, want the imported one kept", i, c.PersonalOffers)
		}
	}
	entries, err := th.st.Ledger(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%s %+d =%d %v", e.Kind, e.Points, e.Balance, e.Overdraft))
	}
	want := []string{"import +1000 =1000 false", "loyalty_accrual +150 =1150 false", "loyalty_redemption -1000 =150 false",
		"loyalty_redemption -400 =-250 true"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ledger of c1:\n%q\nwant\n%q", got, want)
	}
	all, _ := th.st.Ledger(ctx, "")
	if len(all) != 6 || all[4].Customer != "c2" {
		t.Errorf("whole ledger: %+v", all)
	}

	// A new import resets the balance to the CRM's figure; loyalty events count from there.
	if _, err := th.st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Name: "Анна П.", Balance: 500}}, true); err != nil {
		t.Fatal(err)
	}
	th.st.Append(ctx, till1, incoming([]wire.Event{loyaltyEvent("l6", 6, accrual, "c1", 5)}), t0)
	state := map[string]json.RawMessage{}
	pullAll(t, th, wire.FeedCustomers, "", 100, state)
	var c wire.Customer
	if err := json.Unmarshal(state["c1"], &c); err != nil || c.Balance != 505 || state["c2"] != nil {
		t.Errorf("after a full re-import: %s and c2 %s, want balance 505 and c2 deleted", state["c1"], state["c2"])
	}
}
