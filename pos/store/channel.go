package store

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
)

// RecordChannelEvent queues an omnichannel analytics event for the hub. It is its own small transaction:
// a lost analytics event costs a report a count, never a sale, so callers may ignore its error after
// logging it.
func (s *Store) RecordChannelEvent(e pos.ChannelEvent) error {
	payload, err := json.Marshal(wire.Analytics{Kind: string(e.Kind), At: e.At, Product: e.Product,
		Basket: e.Basket, Sale: e.Sale, Order: e.Order, Via: e.Via, Wait: e.Wait, Amount: int64(e.Amount)})
	if err != nil {
		return fmt.Errorf("store: analytics event: %w", err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("store: analytics event id: %w", err)
	}
	err = s.update(func(tx *bbolt.Tx) error {
		_, err := outbox.Append(tx, wire.Event{ID: id.String(), Type: wire.TypeAnalytics, Terminal: s.terminal,
			At: e.At, Payload: payload})
		return err
	})
	if err != nil {
		return fmt.Errorf("store: analytics event: %w", err)
	}
	return nil
}
