package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestRecordChannelEvent(t *testing.T) {
	s := openTemp(t)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	events := []pos.ChannelEvent{
		{Kind: pos.ChannelKioskView, At: at, Product: "1002"},
		{Kind: pos.ChannelPickupHandedOut, At: at, Order: "o-1", Via: "qr", Wait: 90 * time.Minute, Amount: 12580},
	}
	for _, e := range events {
		if err := s.RecordChannelEvent(e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PeekEvents(context.Background(), 10)
	if err != nil || len(got) != len(events) {
		t.Fatalf("outbox: %d events, %v", len(got), err)
	}
	for i, ev := range got {
		var a wire.Analytics
		if err := json.Unmarshal(ev.Payload, &a); err != nil {
			t.Fatal(err)
		}
		want := events[i]
		if ev.Type != wire.TypeAnalytics || a.Kind != string(want.Kind) || a.Product != want.Product ||
			a.Order != want.Order || a.Wait != want.Wait || a.Amount != int64(want.Amount) || !a.At.Equal(at) {
			t.Errorf("event %d: %s %+v, want %+v", i, ev.Type, a, want)
		}
	}
}
