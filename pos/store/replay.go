package store

import (
	"context"
	"fmt"

	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
	"go.etcd.io/bbolt"
)

// PeekEventsAfter returns up to max unsent events whose outbox seq is greater than after, oldest first: the
// replayer looks past the batch it has sent while that batch's acknowledgements are being written.
func (s *Store) PeekEventsAfter(ctx context.Context, after uint64, max int) ([]wire.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: peek events: %w", err)
	}
	var evs []wire.Event
	err := s.view(func(tx *bbolt.Tx) (err error) { evs, err = outbox.PeekAfter(tx, after, max); return err })
	if err != nil {
		return nil, fmt.Errorf("store: peek events after %d: %w", after, err)
	}
	return evs, nil
}
