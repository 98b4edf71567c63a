package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestShifts(t *testing.T) {
	s := openTemp(t)
	if _, ok, err := s.CurrentShift(); ok || err != nil {
		t.Fatalf("fresh store: ok=%v err=%v", ok, err)
	}
	opened := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	closed := opened.Add(12 * time.Hour)
	steps := []struct {
		name string
		do   func() error
		want error
	}{
		{"close before any", func() error { return s.CloseShift(1, closed) }, pos.ErrShiftClosed},
		{"open 7", func() error { return s.OpenShift(pos.Shift{Number: 7, Cashier: "Иванова", OpenedAt: opened}) }, nil},
		{"open while open", func() error { return s.OpenShift(pos.Shift{Number: 8, OpenedAt: opened}) }, pos.ErrShiftOpen},
		{"close wrong number", func() error { return s.CloseShift(6, closed) }, pos.ErrShiftClosed},
		{"close 7", func() error { return s.CloseShift(7, closed) }, nil},
		{"close 7 again", func() error { return s.CloseShift(7, closed) }, pos.ErrShiftClosed},
		{"open older number", func() error { return s.OpenShift(pos.Shift{Number: 7, OpenedAt: closed}) }, ErrInvalid},
		{"open without time", func() error { return s.OpenShift(pos.Shift{Number: 9}) }, ErrInvalid},
	}
	for _, st := range steps {
		if err := st.do(); !errors.Is(err, st.want) || (st.want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", st.name, err, st.want)
		}
	}
	sh, ok, err := s.CurrentShift()
	want := pos.Shift{Number: 7, Cashier: "Иванова", OpenedAt: opened, ClosedAt: closed}
	if err != nil || !ok || !reflect.DeepEqual(sh, want) {
		t.Errorf("current = %+v, %v, %v; want %+v", sh, ok, err, want)
	}
	evs := unsent(t, s)
	if len(evs) != 2 || evs[0].Type != wire.TypeShiftOpen || evs[1].Type != wire.TypeShiftClose {
		t.Fatalf("events %+v", evs)
	}
	for _, ev := range evs {
		id, err := uuid.Parse(ev.ID)
		if err != nil || id.Version() != 7 {
			t.Errorf("event id %q is not a UUIDv7: %v", ev.ID, err)
		}
		if ev.Terminal != "T1" {
			t.Errorf("terminal %q", ev.Terminal)
		}
	}
	var payload wire.Shift
	if err := json.Unmarshal(evs[1].Payload, &payload); err != nil {
		t.Fatal(err)
	}
	if payload != (wire.Shift{Number: 7, Cashier: "Иванова", OpenedAt: opened, ClosedAt: closed}) {
		t.Errorf("close payload %+v", payload)
	}
	if !evs[0].At.Equal(opened) || !evs[1].At.Equal(closed) {
		t.Errorf("event times %v %v", evs[0].At, evs[1].At)
	}
}

func TestDeferredReceipts(t *testing.T) {
	s := openTemp(t)
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	receipts := []pos.DeferredReceipt{
		{ID: "c", SavedAt: base.Add(2 * time.Minute), Lines: testSale("", 0).Lines[:1]},
		{ID: "a", SavedAt: base, Lines: testSale("", 0).Lines, ReceiptDiscount: 500},
		{ID: "b", SavedAt: base.Add(time.Minute)},
	}
	for _, d := range receipts {
		if err := s.SaveDeferred(d); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.DeferredReceipts()
	if err != nil || len(list) != 3 || list[0].ID != "a" || list[1].ID != "b" || list[2].ID != "c" {
		t.Fatalf("list %+v, %v", list, err)
	}
	got, err := s.TakeDeferred("a")
	if err != nil || !reflect.DeepEqual(got, receipts[1]) {
		t.Errorf("take a: %+v, %v", got, err)
	}
	if _, err := s.TakeDeferred("a"); !errors.Is(err, pos.ErrNoDeferred) {
		t.Errorf("take a twice: %v", err)
	}
	if err := s.SaveDeferred(pos.DeferredReceipt{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("save without id: %v", err)
	}
	if list, _ := s.DeferredReceipts(); len(list) != 2 {
		t.Errorf("%d left, want 2", len(list))
	}
}
