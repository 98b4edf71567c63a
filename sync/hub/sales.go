package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// StoredSale is a sale or refund event as the hub keeps it.
type StoredSale struct {
	EventID  string
	Type     string // wire.TypeSale or wire.TypeRefund
	Store    string
	Terminal string
	Received time.Time
	Sale     wire.Sale
}

// Sales returns the sales and refunds of a store in the order the hub received them; an empty store means
// every store (ordered by store name).
func (s *Storage) Sales(store string) ([]StoredSale, error) {
	var out []StoredSale
	err := s.db.View(func(tx *bolt.Tx) error {
		idx, evb := tx.Bucket(bucketSales), tx.Bucket(bucketEvents)
		if idx == nil || evb == nil {
			return nil
		}
		return idx.ForEachBucket(func(name []byte) error {
			if store != "" && !bytes.Equal(name, []byte(store)) {
				return nil
			}
			return idx.Bucket(name).ForEach(func(_, id []byte) error {
				sale, err := decodeSale(id, evb.Get(id))
				if err != nil {
					return err
				}
				out = append(out, sale)
				return nil
			})
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list sales: %w", err)
	}
	return out, nil
}

func decodeSale(id, data []byte) (StoredSale, error) {
	if data == nil {
		return StoredSale{}, fmt.Errorf("sale event %q is indexed but missing", id)
	}
	var rec eventRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return StoredSale{}, fmt.Errorf("decode event %q: %w", id, err)
	}
	st := StoredSale{EventID: string(id), Type: rec.Type, Store: rec.Store, Terminal: rec.Terminal, Received: rec.Received}
	if err := json.Unmarshal(rec.Payload, &st.Sale); err != nil {
		return StoredSale{}, fmt.Errorf("decode sale %q: %w", id, err)
	}
	return st, nil
}
