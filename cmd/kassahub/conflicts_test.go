package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// TestPickupConflicts: an order handed over at two tills and a redemption below zero, as the tables in
// Russian and English, CSV and JSON.
func TestPickupConflicts(t *testing.T) {
	data := t.TempDir()
	st, err := openData(Config{Data: data}, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	order := wire.PickupOrder{ID: hub.PickupOrderID("s1", "W-7"), Number: "W-7", Store: "s1", Status: wire.PickupReady}
	if _, _, err := st.PutPickupOrder(ctx, order, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c-1001", Name: "Анна П.", Balance: 10000}}, false); err != nil {
		t.Fatal(err)
	}
	event := func(id, term string, seq uint64, typ string, payload any, at time.Time) hub.Incoming {
		raw, _ := json.Marshal(payload)
		return hub.Incoming{Event: wire.Event{ID: id, Seq: seq, Type: typ, Terminal: term, At: at, Payload: raw}}
	}
	if _, err := st.Append(ctx, hub.Terminal{Store: "s1", Name: "desk-1"}, []hub.Incoming{
		event("h1", "desk-1", 1, wire.TypePickupHandover, wire.PickupHandover{Order: order.ID}, t0)}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Append(ctx, hub.Terminal{Store: "s1", Name: "desk-2"}, []hub.Incoming{
		event("h2", "desk-2", 1, wire.TypePickupHandover, wire.PickupHandover{Order: order.ID, Sale: "s-9"}, t0.Add(time.Minute)),
		event("r1", "desk-2", 2, wire.TypeLoyaltyRedemption, wire.Loyalty{Customer: "c-1001", Points: 15050, Sale: "s-9"}, t0.Add(time.Minute)),
	}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--tz", "UTC"}, []string{"Конфликты выдачи заказов:", "s1 ", "W-7 (" + order.ID + ")", "повторная выдача",
			"14.03.2026 10:31:00", "desk-2", "h2", "14.03.2026 10:30:00 desk-1 h1", "Списания баллов в минус:", "c-1001", "150.50", "-50.50", "s1/desk-2"}},
		{[]string{"--lang", "en"}, []string{"Pickup hand-over conflicts:", "second hand-over", "Loyalty overdrafts:", "14.03.2026 13:31:00"}},
		{[]string{"--format", "csv"}, []string{"kind,store,terminal,at,event_id,order,number,status,reason,first_event",
			"pickup,s1,desk-2,2026-03-14T10:31:00Z,h2," + order.ID + ",W-7,collected,second_handover,h1,desk-1,2026-03-14T10:30:00Z,s-9,,,\n",
			"overdraft,s1,desk-2,2026-03-14T10:31:00Z,r1,,,,,,,,s-9,c-1001,-15050,-5050\n"}},
		{[]string{"--format", "json", "--store", "s1"}, []string{`"reason": "second_handover"`, `"first": {`, `"overdraft": true`}},
		{[]string{"--store", "s2"}, []string{"Конфликты выдачи заказов:\nМАГАЗИН", "нет\n\nСписания баллов в минус:\n"}},
	}
	for _, tc := range tests {
		out := runOK(t, append([]string{"pickup", "conflicts", "--data", data}, tc.args...)...)
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("pickup conflicts %q: %q missing from\n%s", tc.args, want, out)
			}
		}
	}
	for _, args := range [][]string{{"--format", "xml"}, {"--lang", "de"}, {"--tz", "Mars/Olympus"}} {
		if msg := runErr(t, append([]string{"pickup", "conflicts", "--data", data}, args...)...); !strings.Contains(msg, "usage") &&
			!strings.Contains(msg, args[0]) {
			t.Errorf("%q: %s", args, msg)
		}
	}
}
