package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// importChunk bounds the items written per transaction, as in the bbolt hub: each item's change is atomic,
// and a million-product import does not hold the catalog's lock for minutes.
const importChunk = 5000

// hooks keep the tables beside a feed in step with its changes, in the same transaction.
type hooks func(ctx context.Context, tx pgx.Tx, changed []outcome, ops []op) error

// ImportCatalog writes a store's products into its catalog feed; see hub.Storage.ImportCatalog.
func (s *Store) ImportCatalog(ctx context.Context, store string, products []wire.Product, full bool) (hub.ImportStats, error) {
	ops := make([]op, len(products))
	for i, p := range products {
		data, err := json.Marshal(p)
		if err != nil {
			return hub.ImportStats{}, fmt.Errorf("encode product %q: %w", p.ID, err)
		}
		ops[i] = op{id: p.ID, data: data}
	}
	return s.importFeed(ctx, wire.FeedCatalog, store, ops, full, barcodeHooks(store))
}

// ImportOffers writes a store's offers into its offers feed; see hub.Storage.ImportOffers.
func (s *Store) ImportOffers(ctx context.Context, store string, offers []wire.Offer, full bool) (hub.ImportStats, error) {
	ops := make([]op, len(offers))
	for i, o := range offers {
		data, err := json.Marshal(o)
		if err != nil {
			return hub.ImportStats{}, fmt.Errorf("encode offer %q: %w", o.ProductID, err)
		}
		ops[i] = op{id: o.ProductID, data: data}
	}
	return s.importFeed(ctx, wire.FeedOffers, store, ops, full, nil)
}

// ImportCustomers writes customers into the chain-wide customers feed; a listed customer's balance becomes
// the imported one and loyalty events count from there. See hub.Storage.ImportCustomers.
func (s *Store) ImportCustomers(ctx context.Context, customers []hub.CustomerImport, full bool) (hub.ImportStats, error) {
	ops := make([]op, len(customers))
	for i, c := range customers {
		data, err := json.Marshal(wire.Customer{ID: c.ID, Cards: c.Cards, PhoneHash: c.PhoneHash, Name: c.Name,
			Tier: c.Tier, Balance: c.Balance, PersonalOffers: c.Offers})
		if err != nil {
			return hub.ImportStats{}, fmt.Errorf("encode customer %q: %w", c.ID, err)
		}
		ops[i] = op{id: c.ID, data: data}
	}
	now := time.Now().UTC()
	h := func(ctx context.Context, tx pgx.Tx, changed []outcome, ops []op) error {
		var putIDs, delIDs []string
		var balances []int64
		for i, o := range changed {
			if ops[i].del {
				delIDs = append(delIDs, o.id)
				continue
			}
			var c wire.Customer
			if err := json.Unmarshal(ops[i].data, &c); err != nil {
				return err
			}
			putIDs, balances = append(putIDs, o.id), append(balances, c.Balance)
		}
		if len(delIDs) > 0 {
			if _, err := tx.Exec(ctx, "DELETE FROM customers WHERE id = ANY($1)", delIDs); err != nil {
				return fmt.Errorf("delete balances: %w", err)
			}
		}
		if len(putIDs) == 0 {
			return nil
		}
		// A customer listed twice in a chunk: the last listing is its balance, as in bbolt's in-order puts.
		last := map[string]int64{}
		for i, id := range putIDs {
			last[id] = balances[i]
		}
		ids, bals := make([]string, 0, len(last)), make([]int64, 0, len(last))
		for id, b := range last {
			ids, bals = append(ids, id), append(bals, b)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO customers (id, base, delta) SELECT u.id, u.b, 0 FROM unnest($1::text[], $2::bigint[]) AS u(id, b)
			ON CONFLICT (id) DO UPDATE SET base = excluded.base, delta = 0`, ids, bals); err != nil {
			return fmt.Errorf("put balances: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ledger (customer, kind, points, balance, at)
			SELECT u.id, $3, u.b, u.b, $4 FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS u(id, b, o) ORDER BY u.o`,
			putIDs, balances, hub.KindImport, now); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		return nil
	}
	return s.importFeed(ctx, wire.FeedCustomers, "", ops, full, h)
}

func (s *Store) importFeed(ctx context.Context, feed, store string, ops []op, full bool, h hooks) (hub.ImportStats, error) {
	var stats hub.ImportStats
	if !hub.ValidName(store) && feed != wire.FeedCustomers {
		return stats, fmt.Errorf("import %s: %w: %q", feed, hub.ErrBadName, store)
	}
	keep := make(map[string]bool, len(ops))
	for _, o := range ops {
		if o.id == "" || len(o.id) > hub.MaxIDLen {
			return stats, fmt.Errorf("import %s: bad item id %.140q", feed, o.id)
		}
		keep[o.id] = true
	}
	run := func(chunk []op) error {
		var part hub.ImportStats
		err := s.write(ctx, func(tx pgx.Tx) error {
			part = hub.ImportStats{}
			out, err := newScope(tx, feed, store).apply(ctx, chunk)
			if err != nil {
				return err
			}
			var changed []outcome
			var changedOps []op
			for i, o := range out {
				switch {
				case chunk[i].del && o.changed:
					part.Deleted++
				case chunk[i].del:
					continue
				case !o.changed:
					part.Unchanged++
					continue
				case o.old == nil:
					part.Added++
				default:
					part.Changed++
				}
				changed, changedOps = append(changed, o), append(changedOps, chunk[i])
			}
			if h == nil || len(changed) == 0 {
				return nil
			}
			return h(ctx, tx, changed, changedOps)
		})
		stats.Added += part.Added
		stats.Changed += part.Changed
		stats.Unchanged += part.Unchanged
		stats.Deleted += part.Deleted
		return err
	}
	for chunk := range slices.Chunk(ops, importChunk) {
		if err := run(chunk); err != nil {
			return stats, fmt.Errorf("import %s of %q: %w", feed, store, err)
		}
	}
	if !full {
		return stats, nil
	}
	var gone []op
	rows, err := s.pool.Query(ctx, "SELECT id FROM feed_items WHERE feed = $1 AND store = $2 AND NOT deleted",
		feed, hub.ScopeStore(feed, store))
	if err != nil {
		return stats, fmt.Errorf("import %s of %q: %w", feed, store, err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return stats, fmt.Errorf("import %s of %q: %w", feed, store, err)
		}
		if !keep[id] {
			gone = append(gone, op{id: id, del: true})
		}
	}
	if err := rows.Err(); err != nil {
		return stats, fmt.Errorf("import %s of %q: %w", feed, store, err)
	}
	for chunk := range slices.Chunk(gone, importChunk) {
		if err := run(chunk); err != nil {
			return stats, fmt.Errorf("import %s of %q: delete: %w", feed, store, err)
		}
	}
	return stats, nil
}

// barcodeHooks index a store's products by barcode, as the bbolt hub does: a barcode moved to another
// product follows it; one left behind by a changed product is removed only while it still points to it.
func barcodeHooks(store string) hooks {
	codes := func(data []byte) []string {
		var p wire.Product
		if data == nil || json.Unmarshal(data, &p) != nil {
			return nil
		}
		return p.Barcodes
	}
	return func(ctx context.Context, tx pgx.Tx, changed []outcome, ops []op) error {
		// Replay the chunk's changes in order on the barcodes they touch, then write the end state.
		touched := map[string]bool{}
		for i, o := range changed {
			for _, bc := range codes(o.old) {
				touched[bc] = true
			}
			if !ops[i].del {
				for _, bc := range codes(ops[i].data) {
					touched[bc] = true
				}
			}
		}
		list := make([]string, 0, len(touched))
		for bc := range touched {
			list = append(list, bc)
		}
		index := map[string]string{}
		rows, err := tx.Query(ctx, "SELECT barcode, product FROM barcodes WHERE store = $1 AND barcode = ANY($2)", store, list)
		if err != nil {
			return fmt.Errorf("barcodes: %w", err)
		}
		for rows.Next() {
			var bc, id string
			if err := rows.Scan(&bc, &id); err != nil {
				return fmt.Errorf("barcodes: %w", err)
			}
			index[bc] = id
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("barcodes: %w", err)
		}
		for i, o := range changed {
			var now []string
			if !ops[i].del {
				now = codes(ops[i].data)
			}
			for _, bc := range codes(o.old) {
				if !slices.Contains(now, bc) && index[bc] == o.id {
					delete(index, bc)
				}
			}
			for _, bc := range now {
				index[bc] = o.id
			}
		}
		var delCodes, putCodes, putIDs []string
		for _, bc := range list {
			if id, ok := index[bc]; ok {
				putCodes, putIDs = append(putCodes, bc), append(putIDs, id)
			} else {
				delCodes = append(delCodes, bc)
			}
		}
		if len(delCodes) > 0 {
			if _, err := tx.Exec(ctx, "DELETE FROM barcodes WHERE store = $1 AND barcode = ANY($2)", store, delCodes); err != nil {
				return fmt.Errorf("barcodes: %w", err)
			}
		}
		if len(putCodes) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO barcodes (store, barcode, product) SELECT $1, u.bc, u.id
				FROM unnest($2::text[], $3::text[]) AS u(bc, id)
				ON CONFLICT (store, barcode) DO UPDATE SET product = excluded.product`, store, putCodes, putIDs); err != nil {
				return fmt.Errorf("barcodes: %w", err)
			}
		}
		return nil
	}
}

// FindProduct returns the store's product with barcode (or, failing that, id) code, or hub.ErrNotFound.
func (s *Store) FindProduct(ctx context.Context, store, code string) (wire.Product, error) {
	var p wire.Product
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM feed_items WHERE feed = $1 AND store = $2 AND NOT deleted
		AND id = coalesce((SELECT product FROM barcodes WHERE store = $2 AND barcode = $3), $3)`,
		wire.FeedCatalog, store, code).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("product %q of store %q: %w", code, store, hub.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("product %q of store %q: %w", code, store, err)
	}
	return p, json.Unmarshal(data, &p)
}

// FindOffer reads a product's offer from the store's offers feed.
func (s *Store) FindOffer(ctx context.Context, store, productID string) (wire.Offer, bool, error) {
	var o wire.Offer
	var data []byte
	err := s.pool.QueryRow(ctx, "SELECT data FROM feed_items WHERE feed = $1 AND store = $2 AND id = $3 AND NOT deleted",
		wire.FeedOffers, store, productID).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, false, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &o)
	}
	if err != nil {
		return wire.Offer{}, false, fmt.Errorf("offer of %q at %q: %w", productID, store, err)
	}
	return o, true, nil
}

// DeleteProducts removes products (and their offers) from a store's feeds and returns how many products
// were live.
func (s *Store) DeleteProducts(ctx context.Context, store string, ids []string) (int, error) {
	n := 0
	for chunk := range slices.Chunk(ids, importChunk) {
		ops := make([]op, len(chunk))
		for i, id := range chunk {
			ops[i] = op{id: id, del: true}
		}
		part := 0
		err := s.write(ctx, func(tx pgx.Tx) error {
			part = 0
			out, err := newScope(tx, wire.FeedCatalog, store).apply(ctx, ops)
			if err != nil {
				return err
			}
			var changed []outcome
			var changedOps []op
			for i, o := range out {
				if o.changed {
					part++
					changed, changedOps = append(changed, o), append(changedOps, ops[i])
				}
			}
			if len(changed) > 0 {
				if err := barcodeHooks(store)(ctx, tx, changed, changedOps); err != nil {
					return err
				}
			}
			_, err = newScope(tx, wire.FeedOffers, store).apply(ctx, ops)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("delete products of %q: %w", store, err)
		}
		n += part
	}
	return n, nil
}
