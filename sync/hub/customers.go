package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// CustomerImport is one customer of a CRM export. The phone arrives already hashed (wire.PhoneHash) and
// the name already masked: the hub never holds either in clear.
type CustomerImport struct {
	ID        string
	Cards     []string
	PhoneHash string
	Name      string // masked, see MaskName
	Tier      string
	Balance   int64 // points, in kopecks of discount
	// Offers are the customer's personal offers (wire.ParsePersonalOffers), published in the feed as they
	// are: an import replaces them.
	Offers []wire.PersonalOffer
}

// customerBalance is the hub's ledger state of a customer: the balance of the last import (Base) and the
// sum of loyalty events since (Delta).
type customerBalance struct {
	Base  int64 `json:"base"`
	Delta int64 `json:"delta"`
}

// LedgerEntry is one movement of a customer's points: an import setting the balance, or a loyalty event.
type LedgerEntry struct {
	Customer  string    `json:"customer"`
	Kind      string    `json:"kind"`   // "import", wire.TypeLoyaltyAccrual or wire.TypeLoyaltyRedemption
	Points    int64     `json:"points"` // signed: a redemption is negative; an import's is the balance set
	Balance   int64     `json:"balance"`
	EventID   string    `json:"event_id,omitempty"`
	Sale      string    `json:"sale,omitempty"`
	Store     string    `json:"store,omitempty"`
	Terminal  string    `json:"terminal,omitempty"`
	At        time.Time `json:"at"`
	Overdraft bool      `json:"overdraft,omitempty"` // the redemption took the balance below zero
}

// KindImport is the LedgerEntry kind of a customer import.
const KindImport = "import"

// ImportCustomers writes customers into the chain-wide customers feed. A listed customer's balance becomes
// the imported one (the CRM's figure is the truth at export time) and loyalty events count from there.
// With full, customers missing from the list are deleted; their ledger stays.
func (s *Storage) ImportCustomers(ctx context.Context, customers []CustomerImport, full bool) (ImportStats, error) {
	items := make([]feedItem, len(customers))
	for i, c := range customers {
		data, err := json.Marshal(wire.Customer{ID: c.ID, Cards: c.Cards, PhoneHash: c.PhoneHash, Name: c.Name,
			Tier: c.Tier, Balance: c.Balance, PersonalOffers: c.Offers})
		if err != nil {
			return ImportStats{}, fmt.Errorf("encode customer %q: %w", c.ID, err)
		}
		items[i] = feedItem{ID: c.ID, Data: data}
	}
	now := time.Now().UTC()
	hooks := indexHooks{
		put: func(tx *bolt.Tx, id string, _, data []byte) error {
			var c wire.Customer
			if err := json.Unmarshal(data, &c); err != nil {
				return err
			}
			if err := putBalance(tx, id, customerBalance{Base: c.Balance}); err != nil {
				return err
			}
			return appendLedger(tx, LedgerEntry{Customer: id, Kind: KindImport, Points: c.Balance, Balance: c.Balance, At: now})
		},
		del: func(tx *bolt.Tx, id string, _ []byte) error {
			return tx.Bucket(bucketCustomers).Delete([]byte(id))
		},
	}
	return s.importFeed(ctx, wire.FeedCustomers, "", items, full, hooks)
}

func putBalance(tx *bolt.Tx, id string, b customerBalance) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketCustomers).Put([]byte(id), data)
}

func appendLedger(tx *bolt.Tx, e LedgerEntry) error {
	b, err := tx.Bucket(bucketLedger).CreateBucketIfNotExists([]byte(e.Customer))
	if err != nil {
		return fmt.Errorf("ledger of %q: %w", e.Customer, err)
	}
	n, err := b.NextSequence()
	if err != nil {
		return err
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(u64(n), data)
}

// applyLoyalty moves a customer's balance by a loyalty event and publishes the new balance in the customers
// feed. A redemption below zero is stored and reported: it happened at an offline till.
func applyLoyalty(tx *bolt.Tx, term Terminal, ev wire.Event, received time.Time) (string, *Warning, error) {
	var l wire.Loyalty
	if err := json.Unmarshal(ev.Payload, &l); err != nil {
		return "loyalty payload: " + jsonReason(err), nil, nil
	}
	raw := tx.Bucket(bucketCustomers).Get([]byte(l.Customer))
	if raw == nil {
		return fmt.Sprintf("unknown customer %q", l.Customer), nil, nil
	}
	var bal customerBalance
	if err := json.Unmarshal(raw, &bal); err != nil {
		return "", nil, fmt.Errorf("decode balance of %q: %w", l.Customer, err)
	}
	points := l.Points
	if ev.Type == wire.TypeLoyaltyRedemption {
		points = -points
	}
	bal.Delta += points
	balance := bal.Base + bal.Delta
	entry := LedgerEntry{Customer: l.Customer, Kind: ev.Type, Points: points, Balance: balance, EventID: ev.ID,
		Sale: l.Sale, Store: term.Store, Terminal: term.Name, At: ev.At, Overdraft: points < 0 && balance < 0}
	if entry.At.IsZero() {
		entry.At = received
	}
	if err := putBalance(tx, l.Customer, bal); err != nil {
		return "", nil, err
	}
	if err := appendLedger(tx, entry); err != nil {
		return "", nil, err
	}
	f, err := openScope(tx, wire.FeedCustomers, "", true)
	if err != nil {
		return "", nil, err
	}
	if data, ok := f.get(l.Customer); ok {
		if data, err = CustomerWithBalance(data, l.Customer, balance); err != nil {
			return "", nil, err
		}
		if _, _, err := f.put(l.Customer, data); err != nil {
			return "", nil, err
		}
	}
	if entry.Overdraft {
		return "", OverdraftWarning(ev.ID, l, balance), nil
	}
	return "", nil, nil
}

// CustomerWithBalance returns a customer feed item's JSON with its balance set: every backend keeps the
// item the terminals pull in step with the loyalty ledger.
func CustomerWithBalance(data []byte, id string, balance int64) ([]byte, error) {
	var c wire.Customer
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("decode customer %q: %w", id, err)
	}
	c.Balance = balance
	return json.Marshal(c)
}

// OverdraftWarning is what a redemption that leaves the customer's balance below zero answers with: it is
// accepted (the till spent the points offline) and reported.
func OverdraftWarning(eventID string, l wire.Loyalty, balance int64) *Warning {
	return &Warning{Kind: WarnLoyaltyOverdraft, EventID: eventID,
		Detail: fmt.Sprintf("customer %s balance %d after redeeming %d", l.Customer, balance, l.Points)}
}

// Ledger lists the point movements of one customer, or of every customer (by id) when customer is "".
func (s *Storage) Ledger(ctx context.Context, customer string) ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := s.view(ctx, func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketLedger)
		if root == nil {
			return nil
		}
		return root.ForEachBucket(func(name []byte) error {
			if customer != "" && string(name) != customer {
				return nil
			}
			return root.Bucket(name).ForEach(func(_, v []byte) error {
				var e LedgerEntry
				if err := json.Unmarshal(v, &e); err != nil {
					return fmt.Errorf("decode ledger entry of %q: %w", name, err)
				}
				out = append(out, e)
				return nil
			})
		})
	})
	if err != nil {
		return nil, fmt.Errorf("loyalty ledger: %w", err)
	}
	return out, nil
}
