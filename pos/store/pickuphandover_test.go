package store

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestPickupHandoverLedger(t *testing.T) {
	s := openTemp(t)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	plan := pos.PickupHandover{Order: "o-1", Number: "W-1", Staff: "Петров", Via: "qr", Sale: "s-1", Refund: "r-1", At: at,
		SaleLines: []pos.Line{{ProductID: "1", Name: "Вода", Price: 6990, Qty: pos.QtyOne, Sum: 6990, Marking: "01046904216311102150\x1d93ab"}}}
	if h, ok, err := s.PickupHandover("o-1"); ok || err != nil || h.Order != "" {
		t.Fatalf("before any hand-over: %+v, %v, %v", h, ok, err)
	}
	steps := []struct {
		name string
		do   func() error
		want error
	}{
		{"begin", func() error {
			if _, created, err := s.BeginPickupHandover(plan); err != nil || !created {
				return errors.Join(err, errors.New("not created"))
			}
			return nil
		}, nil},
		{"begin again returns the first plan", func() error {
			other := plan
			other.Sale = "s-2"
			cur, created, err := s.BeginPickupHandover(other)
			if err == nil && (created || cur.Sale != "s-1" || cur.SaleLines[0].Marking != plan.SaleLines[0].Marking) {
				return errors.New("a second plan replaced the first")
			}
			return err
		}, nil},
		{"begin without a sale", func() error { _, _, err := s.BeginPickupHandover(pos.PickupHandover{Order: "o-2"}); return err }, ErrInvalid},
		{"replace the refund", func() error { p := plan; p.Refund = "r-2"; return s.ReplacePickupHandover(p) }, nil},
		{"replace an unknown one", func() error { return s.ReplacePickupHandover(pos.PickupHandover{Order: "o-9"}) }, ErrNotFound},
		{"finish", func() error { _, err := s.FinishPickupHandover("o-1", at.Add(time.Minute)); return err }, nil},
		{"finish again", func() error { _, err := s.FinishPickupHandover("o-1", at.Add(time.Hour)); return err }, nil},
		{"drop a finished one", func() error { return s.DropPickupHandover("o-1") }, ErrSaleState},
		{"replace a finished one", func() error { return s.ReplacePickupHandover(plan) }, ErrSaleState},
	}
	for _, st := range steps {
		if err := st.do(); !errors.Is(err, st.want) {
			t.Fatalf("%s: %v, want %v", st.name, err, st.want)
		}
	}
	h, ok, err := s.PickupHandover("o-1")
	if err != nil || !ok || !h.Done || !h.DoneAt.Equal(at.Add(time.Minute)) || h.Refund != "r-2" {
		t.Fatalf("record %+v, %v, %v", h, ok, err)
	}
	evs, err := s.PeekEvents(context.Background(), 10)
	if err != nil || len(evs) != 1 {
		t.Fatalf("outbox: %d events, %v; want the hand-over once", len(evs), err)
	}
	var p wire.PickupHandover
	if err := json.Unmarshal(evs[0].Payload, &p); err != nil || evs[0].Type != wire.TypePickupHandover ||
		evs[0].ID != PickupHandoverEventID("o-1", "s-1") || p != (wire.PickupHandover{Order: "o-1", Sale: "s-1", Refund: "r-2"}) {
		t.Errorf("event %+v %+v, %v", evs[0], p, err)
	}
	if PickupHandoverEventID("o-1", "s-1") == PickupHandoverEventID("o-1", "s-3") {
		t.Error("two hand-overs of an order share an event id")
	}

	if _, _, err := s.BeginPickupHandover(pos.PickupHandover{Order: "o-2", Sale: "s-9"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DropPickupHandover("o-2"); err != nil {
		t.Fatal(err)
	}
	all, err := s.PickupHandovers()
	if err != nil || len(all) != 1 || all[0].Order != "o-1" {
		t.Errorf("PickupHandovers = %+v, %v", all, err)
	}
	if _, found, err := s.LookupSale("s-1"); found || err != nil {
		t.Errorf("LookupSale of an unknown sale: %v, %v", found, err)
	}
}

func TestFindPickupOrder(t *testing.T) {
	s := openTemp(t)
	o := wire.PickupOrder{ID: "o-1", Number: "W-1", Store: "s1", Status: "ready",
		Lines: []wire.PickupLine{{ProductID: "1", Name: "Вода", Price: 6990, Qty: 1000, VAT: "22"}}}
	if err := s.PickupFeed().Apply(context.Background(), "", wire.Page[wire.PickupOrder]{Items: []wire.PickupOrder{o}, Next: "1"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		find      func(string) (wire.PickupOrder, bool, error)
		key       string
		wantFound bool
	}{
		{s.FindPickupOrderByID, "o-1", true}, {s.FindPickupOrderByID, "o-2", false},
		{s.FindPickupOrderByNumber, "W-1", true}, {s.FindPickupOrderByNumber, "W-2", false},
	} {
		got, found, err := tt.find(tt.key)
		if err != nil || found != tt.wantFound || found && got.ID != "o-1" {
			t.Errorf("find %q = %+v, %v, %v", tt.key, got, found, err)
		}
	}
}
