package hub_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// dumpRecorder is a DumpSink that keeps what it is given.
type dumpRecorder struct {
	epoch     string
	terminals []hub.DumpTerminal
	events    []hub.DumpEvent
	rejected  []hub.DumpRejected
	items     []hub.DumpFeedItem
	scopes    map[string]uint64
	barcodes  map[string]string
	balances  map[string][2]int64
	ledger    []hub.LedgerEntry
	pickups   []hub.DumpPickup
}

func (r *dumpRecorder) Epoch(e string) error { r.epoch = e; return nil }
func (r *dumpRecorder) Terminal(t hub.DumpTerminal) error {
	r.terminals = append(r.terminals, t)
	return nil
}
func (r *dumpRecorder) Event(e hub.DumpEvent) error { r.events = append(r.events, e); return nil }
func (r *dumpRecorder) Rejected(x hub.DumpRejected) error {
	r.rejected = append(r.rejected, x)
	return nil
}
func (r *dumpRecorder) FeedItem(it hub.DumpFeedItem) error { r.items = append(r.items, it); return nil }
func (r *dumpRecorder) Ledger(e hub.LedgerEntry) error     { r.ledger = append(r.ledger, e); return nil }
func (r *dumpRecorder) Pickup(p hub.DumpPickup) error      { r.pickups = append(r.pickups, p); return nil }
func (r *dumpRecorder) Barcode(store, code, id string) error {
	r.barcodes[store+"/"+code] = id
	return nil
}
func (r *dumpRecorder) Balance(c string, base, d int64) error {
	r.balances[c] = [2]int64{base, d}
	return nil
}
func (r *dumpRecorder) FeedScope(feed, store string, seq uint64) error {
	r.scopes[feed+"/"+store] = seq
	return nil
}

// TestDump: a used database hands over its terminals with token hashes and sequence state, its sales in
// arrival order before the other events, refused ids, feed items at their sequences, barcodes, balances,
// the ledger and pickup orders with their hand-overs.
func TestDump(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	st := th.st
	if _, err := st.ImportCatalog(ctx, "s1", []wire.Product{{ID: "p1", Name: "Хлеб", Price: 100, Barcodes: []string{"460"}}}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Balance: 50}}, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.PutPickupOrder(ctx, wire.PickupOrder{ID: "o1", Number: "W-1", Store: "s1", Status: wire.PickupReady}, "ph"); err != nil {
		t.Fatal(err)
	}
	loyalty, _ := json.Marshal(wire.Loyalty{Customer: "c1", Points: 5})
	hand, _ := json.Marshal(wire.PickupHandover{Order: "o1"})
	evs := saleEvents(2)
	evs = append(evs, wire.Event{ID: "l1", Seq: 3, Type: wire.TypeLoyaltyAccrual, Terminal: "till-1", At: t0, Payload: loyalty},
		wire.Event{ID: "h1", Seq: 4, Type: wire.TypePickupHandover, Terminal: "till-1", At: t0, Payload: hand})
	in := incoming(evs)
	in = append(in, hub.Incoming{Event: wire.Event{ID: "bad", Seq: 5, Type: wire.TypeSale}, Reason: "sale has no lines"})
	if _, err := st.Append(ctx, till1, in, t0); err != nil {
		t.Fatal(err)
	}
	r := &dumpRecorder{scopes: map[string]uint64{}, barcodes: map[string]string{}, balances: map[string][2]int64{}}
	if err := st.Dump(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	page, err := st.Feed(ctx, wire.FeedCatalog, "s1", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if r.epoch == "" || page.Next != r.epoch+".1" {
		t.Errorf("epoch %q, catalog cursor %q", r.epoch, page.Next)
	}
	if len(r.terminals) != 2 || len(r.terminals[0].TokenSHA256) != 64 || r.terminals[0].LastSeq != 4 || r.terminals[0].Rejected != 1 {
		t.Errorf("terminals %+v", r.terminals)
	}
	var order []string
	for _, e := range r.events {
		order = append(order, e.ID)
	}
	if len(order) != 4 || order[0] != "e1" || order[1] != "e2" || r.events[0].Seq != 1 || string(r.events[1].Payload) != string(evs[1].Payload) {
		t.Errorf("events %v", order)
	}
	if len(r.rejected) != 1 || r.rejected[0].ID != "bad" || r.rejected[0].Seq != 5 {
		t.Errorf("rejected %+v", r.rejected)
	}
	if r.scopes[wire.FeedCatalog+"/s1"] != 1 || r.scopes[wire.FeedCustomers+"/"] != 2 || r.scopes[wire.FeedPickupOrders+"/s1"] != 2 {
		t.Errorf("scopes %v", r.scopes)
	}
	if len(r.items) != 3 || r.barcodes["s1/460"] != "p1" || r.balances["c1"] != [2]int64{50, 5} || len(r.ledger) != 2 {
		t.Errorf("items %d, barcodes %v, balances %v, ledger %d", len(r.items), r.barcodes, r.balances, len(r.ledger))
	}
	if len(r.pickups) != 1 || r.pickups[0].Handover == nil || r.pickups[0].Handover.Event != "h1" || r.pickups[0].PhoneHash != "ph" {
		t.Errorf("pickups %+v", r.pickups)
	}
}
