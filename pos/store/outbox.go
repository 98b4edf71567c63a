package store

import (
	"context"
	"fmt"

	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// PeekEvents returns up to max unsent events, oldest first, for the replayer.
func (s *Store) PeekEvents(ctx context.Context, max int) ([]wire.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: peek events: %w", err)
	}
	var evs []wire.Event
	err := s.view(func(tx *bbolt.Tx) (err error) { evs, err = outbox.Peek(tx, max); return err })
	if err != nil {
		return nil, fmt.Errorf("store: peek events: %w", err)
	}
	return evs, nil
}

// AckEvents removes the events the backend acknowledged; unknown ids are ignored (acks are idempotent).
func (s *Store) AckEvents(ctx context.Context, ids []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: ack events: %w", err)
	}
	s.loyalty.stampAcks(ids) // before the commit: the hub counted the points when it answered
	err := s.update(func(tx *bbolt.Tx) error {
		if err := outbox.Ack(tx, ids); err != nil {
			return err
		}
		return s.markLoyaltyAcked(tx, ids)
	})
	if err != nil {
		return fmt.Errorf("store: ack events: %w", err)
	}
	return nil
}

// RejectEvent moves an event the backend refused for good to the dead letters, with its reason.
func (s *Store) RejectEvent(ctx context.Context, id, reason string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: reject event %s: %w", id, err)
	}
	if err := s.update(func(tx *bbolt.Tx) error { return outbox.Reject(tx, id, reason, s.now()) }); err != nil {
		return fmt.Errorf("store: reject event %s: %w", id, err)
	}
	return nil
}

// OutboxStats returns the queue depth, the time of the oldest unsent event and the dead-letter count.
func (s *Store) OutboxStats() (outbox.Stats, error) {
	var st outbox.Stats
	if err := s.view(func(tx *bbolt.Tx) (err error) { st, err = outbox.ReadStats(tx); return err }); err != nil {
		return outbox.Stats{}, fmt.Errorf("store: outbox stats: %w", err)
	}
	return st, nil
}

// DeadLetters lists the events the backend rejected, oldest rejection first.
func (s *Store) DeadLetters() ([]outbox.DeadLetter, error) {
	var dl []outbox.DeadLetter
	if err := s.view(func(tx *bbolt.Tx) (err error) { dl, err = outbox.DeadLetters(tx); return err }); err != nil {
		return nil, fmt.Errorf("store: dead letters: %w", err)
	}
	return dl, nil
}

// RetryDeadLetter queues a dead letter again, at the end of the outbox.
func (s *Store) RetryDeadLetter(id string) error {
	if err := s.update(func(tx *bbolt.Tx) error { _, err := outbox.Retry(tx, id); return err }); err != nil {
		return fmt.Errorf("store: retry dead letter %s: %w", id, err)
	}
	return nil
}
