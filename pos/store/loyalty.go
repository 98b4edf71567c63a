package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
)

// Loyalty at the terminal. A sale with a loyalty customer queues its redemption and accrual events in the
// transaction that fiscalises it (CompleteSale), under ids derived from the sale's, so a repeated
// completion or a replay never counts points twice. Until the hub's balance, pulled back in the customers
// feed, includes them, this terminal's own points are "unsettled": the till subtracts the spent ones from
// the pulled balance, so a customer cannot spend the same points twice at this till while it is offline
// (two tills can: the hub's ledger reports that overdraft).
//
// An event is settled once the hub acknowledged it and a customers pull that started after that
// acknowledgement has caught up: the hub applies an event before acknowledging it, so that pull saw it.
// The bucket is created on first use and needs no schema migration:
//
//	'c' uvarint(len(customer)) customer event-id -> kind byte ('a' accrual, 'r' redemption), varint points
//	'e' event-id -> customer
//	'k' event-id -> (empty): acknowledged by the hub, waiting for a customers pull that started later
var bktLoyalty = []byte("loyalty_unsettled")

const (
	loyaltyAccrual    = 'a'
	loyaltyRedemption = 'r'
)

// LoyaltyEventID is the outbox id of a sale's loyalty event of type typ (wire.TypeLoyaltyAccrual or
// wire.TypeLoyaltyRedemption): the sale's id and the type, so completing or replaying a sale again can
// never produce a second one.
func LoyaltyEventID(saleID, typ string) string { return saleID + "." + typ }

// loyaltyEventType returns the loyalty type of an outbox id made by LoyaltyEventID, or "".
func loyaltyEventType(id string) string {
	for _, typ := range []string{wire.TypeLoyaltyRedemption, wire.TypeLoyaltyAccrual} {
		if strings.HasSuffix(id, "."+typ) {
			return typ
		}
	}
	return ""
}

// queueLoyalty appends a fiscalised sale's redemption and accrual events to the outbox and records them as
// unsettled, inside the transaction that completes the sale. A sale's discount came before its accrual; a
// refund gives the spent points back before it takes the earned ones, so a customer who already spent them
// is not reported overdrawn for a moment.
func (s *Store) queueLoyalty(tx *bbolt.Tx, sale pos.Sale, at time.Time) error {
	l := sale.Loyalty
	if l.Customer == "" {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bktLoyalty)
	if err != nil {
		return err
	}
	type move struct {
		typ    string
		kind   byte
		points pos.Money
	}
	moves := []move{{wire.TypeLoyaltyRedemption, loyaltyRedemption, l.Redeemed}, {wire.TypeLoyaltyAccrual, loyaltyAccrual, l.Earned}}
	if sale.Kind == pos.KindRefund {
		moves[0], moves[1] = moves[1], moves[0]
	}
	for _, ev := range moves {
		if ev.points <= 0 {
			continue
		}
		payload, err := json.Marshal(wire.Loyalty{Customer: l.Customer, Points: int64(ev.points), Sale: sale.ID})
		if err != nil {
			return err
		}
		id := LoyaltyEventID(sale.ID, ev.typ)
		if _, err := outbox.Append(tx, wire.Event{ID: id, Type: ev.typ, Terminal: s.terminalOf(sale.Terminal),
			At: at, Payload: payload}); err != nil {
			return err
		}
		rec := binary.AppendVarint([]byte{ev.kind}, int64(ev.points))
		if err := b.Put(unsettledKey(l.Customer, id), rec); err != nil {
			return err
		}
		if err := b.Put(append([]byte{'e'}, id...), []byte(l.Customer)); err != nil {
			return err
		}
	}
	return nil
}

func customerPrefix(customer string) []byte {
	k := binary.AppendUvarint([]byte{'c'}, uint64(len(customer)))
	return append(k, customer...)
}

func unsettledKey(customer, eventID string) []byte {
	return append(customerPrefix(customer), eventID...)
}

// UnsettledLoyalty returns the points this terminal redeemed and credited for a customer that the pulled
// customers feed does not include yet.
func (s *Store) UnsettledLoyalty(customer string) (redeemed, earned pos.Money, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktLoyalty)
		if b == nil {
			return nil
		}
		prefix := customerPrefix(customer)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			pts, n := binary.Varint(v[min(len(v), 1):])
			if len(v) < 2 || n <= 0 {
				return fmt.Errorf("%w: unsettled loyalty record %q", ErrCorrupt, k)
			}
			switch v[0] {
			case loyaltyRedemption:
				redeemed += pos.Money(pts)
			case loyaltyAccrual:
				earned += pos.Money(pts)
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: unsettled loyalty of %s: %w", customer, err)
	}
	return redeemed, earned, nil
}

// HasCustomers reports whether any loyalty customer has been pulled.
func (s *Store) HasCustomers() (bool, error) {
	var some bool
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktCustomers)
		if err != nil {
			return err
		}
		k, _ := b.Cursor().First()
		some = k != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: customers: %w", err)
	}
	return some, nil
}

// markLoyaltyAcked notes, inside AckEvents' transaction, which of the acknowledged events are unsettled
// loyalty events: they settle at the end of the next customers pull that started after the ack.
func (s *Store) markLoyaltyAcked(tx *bbolt.Tx, ids []string) error {
	b := tx.Bucket(bktLoyalty)
	for _, id := range ids {
		if loyaltyEventType(id) == "" {
			continue
		}
		if b == nil || b.Get(append([]byte{'e'}, id...)) == nil {
			s.loyalty.forget(id) // acknowledged again after it settled
			continue
		}
		if err := b.Put(append([]byte{'k'}, id...), nil); err != nil {
			return err
		}
	}
	return nil
}

// prepareCustomerPage is the customers feed's prepare: the page, and when it is the last of a pull round,
// the settlement of the loyalty events acknowledged before the round started.
func (s *Store) prepareCustomerPage(since string, page wire.Page[wire.Customer]) (func(tx *bbolt.Tx) error, error) {
	apply, err := prepareCustomers(since, page)
	if err != nil || page.More {
		return apply, err
	}
	start := s.loyalty.roundStart()
	return func(tx *bbolt.Tx) error {
		if err := apply(tx); err != nil {
			return err
		}
		return s.settleLoyalty(tx, start)
	}, nil
}

// settleLoyalty removes the acknowledged loyalty events whose ack came before the pull round that started
// at tick start; an ack recorded by an earlier run of the program (no tick) came before any round of this one.
func (s *Store) settleLoyalty(tx *bbolt.Tx, start uint64) error {
	b := tx.Bucket(bktLoyalty)
	if b == nil || start == 0 {
		return nil
	}
	var done [][]byte
	c := b.Cursor()
	for k, _ := c.Seek([]byte{'k'}); k != nil && k[0] == 'k'; k, _ = c.Next() {
		if s.loyalty.ackedBefore(string(k[1:]), start) {
			done = append(done, append([]byte(nil), k[1:]...))
		}
	}
	for _, id := range done {
		ek := append([]byte{'e'}, id...)
		if customer := b.Get(ek); customer != nil {
			if err := b.Delete(unsettledKey(string(customer), string(id))); err != nil {
				return err
			}
		}
		if err := b.Delete(ek); err != nil {
			return err
		}
		if err := b.Delete(append([]byte{'k'}, id...)); err != nil {
			return err
		}
		s.loyalty.forget(string(id))
	}
	return nil
}

// loyaltyClock orders, within this process, the hub's acknowledgements of loyalty events and the starts
// of customers pull rounds. Ticks are stamped before the ack is committed: the hub had applied the event
// by the time its ack arrived, which is what matters.
type loyaltyClock struct {
	mu    sync.Mutex
	tick  uint64
	acked map[string]uint64 // event id -> tick of its acknowledgement in this process
	round uint64            // tick at which the latest customers pull round started; 0 before the first
}

func (c *loyaltyClock) stampAcks(ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if loyaltyEventType(id) == "" {
			continue
		}
		if c.acked == nil {
			c.acked = map[string]uint64{}
		}
		c.tick++
		c.acked[id] = c.tick
	}
}

func (c *loyaltyClock) roundStarted() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tick++
	c.round = c.tick
}

func (c *loyaltyClock) roundStart() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.round
}

func (c *loyaltyClock) ackedBefore(id string, start uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.acked[id] < start // an ack of an earlier run has no tick: 0
}

func (c *loyaltyClock) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.acked, id)
}
