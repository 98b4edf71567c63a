package hub_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

func handoverEvent(id string, seq uint64, order, sale string, at time.Time) wire.Event {
	payload, _ := json.Marshal(wire.PickupHandover{Order: order, Sale: sale})
	return wire.Event{ID: id, Seq: seq, Type: wire.TypePickupHandover, Terminal: "till-1", At: at, Payload: payload}
}

// TestListConflicts: an order handed over at two desks (the second arrival conflicts, whatever the tills'
// clocks said), a cancelled order handed over, an order handed over once, and a redemption below zero.
func TestListConflicts(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	for _, o := range []wire.PickupOrder{
		{Number: "W-1", Status: wire.PickupReady}, {Number: "W-2", Status: wire.PickupCancelled}, {Number: "W-3", Status: wire.PickupReady},
	} {
		o.ID, o.Store = hub.PickupOrderID("s1", o.Number), "s1"
		if _, _, err := th.st.PutPickupOrder(ctx, o, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := th.st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Name: "Анна П.", Balance: 100}}, false); err != nil {
		t.Fatal(err)
	}
	w1, w2, w3 := hub.PickupOrderID("s1", "W-1"), hub.PickupOrderID("s1", "W-2"), hub.PickupOrderID("s1", "W-3")
	batches := []struct {
		received time.Time
		events   []wire.Event
	}{
		// The desk whose clock is behind reports first: its hand-over counts.
		{t0, []wire.Event{handoverEvent("h1", 1, w1, "", t0.Add(time.Hour)), handoverEvent("h2", 2, w3, "", t0)}},
		{t0.Add(time.Minute), []wire.Event{handoverEvent("h3", 3, w1, "sale-9", t0.Add(30*time.Minute)),
			handoverEvent("h4", 4, w2, "", t0.Add(40*time.Minute)), loyaltyEvent("l1", 5, wire.TypeLoyaltyRedemption, "c1", 250)}},
	}
	for _, b := range batches {
		if _, err := th.st.Append(ctx, till1, incoming(b.events), b.received); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		store      string
		pickup     []string
		overdrafts []string
	}{
		{"", []string{"W-1 h3 second_handover first h1", "W-2 h4 cancelled"}, []string{"c1 -250 =-150 l1"}},
		{"s1", []string{"W-1 h3 second_handover first h1", "W-2 h4 cancelled"}, []string{"c1 -250 =-150 l1"}},
		{"s2", nil, nil},
	} {
		t.Run("store "+tc.store, func(t *testing.T) {
			c, err := hub.ListConflicts(ctx, th.st, th.st, tc.store)
			if err != nil {
				t.Fatal(err)
			}
			var pickup, over []string
			for _, p := range c.Pickup {
				s := fmt.Sprintf("%s %s %s", p.Number, p.Handover.Event, p.Reason)
				if p.First != nil {
					s += " first " + p.First.Event
				}
				pickup = append(pickup, s)
			}
			for _, e := range c.Overdrafts {
				over = append(over, fmt.Sprintf("%s %+d =%d %s", e.Customer, e.Points, e.Balance, e.EventID))
			}
			if fmt.Sprint(pickup) != fmt.Sprint(tc.pickup) || fmt.Sprint(over) != fmt.Sprint(tc.overdrafts) {
				t.Errorf("pickup %q overdrafts %q\nwant %q %q", pickup, over, tc.pickup, tc.overdrafts)
			}
		})
	}
	rec := th.do(http.MethodGet, "/v1/admin/pickup-conflicts?store=s1", "ADMIN", "")
	var got hub.Conflicts
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got.Pickup) != 2 ||
		got.Pickup[0].Handover.Sale != "sale-9" || len(got.Overdrafts) != 1 {
		t.Errorf("GET /v1/admin/pickup-conflicts: %d %s", rec.Code, rec.Body)
	}
}
