package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/kassa-pos/kassa/sync/hub"
)

// scope is one feed scope within a write transaction. lock takes its counter row; every change after
// takes the next sequence under that lock.
type scope struct {
	tx          pgx.Tx
	feed, store string
	locked      bool
	seq         int64
}

func newScope(tx pgx.Tx, feed, store string) *scope {
	return &scope{tx: tx, feed: feed, store: hub.ScopeStore(feed, store)}
}

// lock creates the scope if needed and locks its counter row until the transaction ends. Writers lock
// the scope before the rows its changes touch (customer balances, pickup orders), so that two writers
// always take their locks in the same order.
func (f *scope) lock(ctx context.Context) error {
	if f.locked {
		return nil
	}
	err := f.tx.QueryRow(ctx, `INSERT INTO feed_scopes (feed, store) VALUES ($1, $2)
		ON CONFLICT (feed, store) DO UPDATE SET seq = feed_scopes.seq RETURNING seq`, f.feed, f.store).Scan(&f.seq)
	if err != nil {
		return fmt.Errorf("lock feed %s of %q: %w", f.feed, f.store, err)
	}
	f.locked = true
	return nil
}

// get returns a live item's JSON, or nil.
func (f *scope) get(ctx context.Context, id string) ([]byte, error) {
	var data []byte
	err := f.tx.QueryRow(ctx, "SELECT data FROM feed_items WHERE feed = $1 AND store = $2 AND id = $3 AND NOT deleted",
		f.feed, f.store, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("feed %s item %q: %w", f.feed, id, err)
	}
	return data, nil
}

// op is a change asked of a scope: a new state of an item, or its deletion.
type op struct {
	id   string
	data []byte
	del  bool
}

// outcome is what an op did: old is the item's previous live state (nil if none), changed whether the
// feed has a new entry for it (an identical put, or deleting a missing item, changes nothing).
type outcome struct {
	id      string
	old     []byte
	changed bool
}

type itemState struct {
	live bool
	data []byte
}

// apply carries out ops in order, in three statements whatever their number: read the items' current
// states, write their final states (each at the sequence of its last change), move the counter.
func (f *scope) apply(ctx context.Context, ops []op) ([]outcome, error) {
	if err := f.lock(ctx); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(ops))
	state := make(map[string]itemState, len(ops))
	for _, o := range ops {
		if _, ok := state[o.id]; !ok {
			state[o.id] = itemState{}
			ids = append(ids, o.id)
		}
	}
	rows, err := f.tx.Query(ctx, "SELECT id, data FROM feed_items WHERE feed = $1 AND store = $2 AND id = ANY($3) AND NOT deleted",
		f.feed, f.store, ids)
	if err != nil {
		return nil, fmt.Errorf("feed %s items: %w", f.feed, err)
	}
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("feed %s items: %w", f.feed, err)
		}
		state[id] = itemState{live: true, data: data}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed %s items: %w", f.feed, err)
	}
	out := make([]outcome, len(ops))
	final := map[string]int64{} // id -> seq of its last change
	for i, o := range ops {
		cur := state[o.id]
		out[i].id = o.id
		if cur.live {
			out[i].old = cur.data
		}
		switch {
		case o.del && !cur.live, !o.del && cur.live && bytes.Equal(cur.data, o.data):
			continue
		case o.del:
			state[o.id] = itemState{}
		default:
			state[o.id] = itemState{live: true, data: o.data}
		}
		f.seq++
		final[o.id] = f.seq
		out[i].changed = true
	}
	if len(final) == 0 {
		return out, nil
	}
	var (
		wIDs  = make([]string, 0, len(final))
		wSeqs = make([]int64, 0, len(final))
		wDel  = make([]bool, 0, len(final))
		wData = make([]string, 0, len(final))
	)
	for id, seq := range final {
		st := state[id]
		wIDs, wSeqs, wDel, wData = append(wIDs, id), append(wSeqs, seq), append(wDel, !st.live), append(wData, string(st.data))
	}
	_, err = f.tx.Exec(ctx, `INSERT INTO feed_items (feed, store, id, seq, deleted, data)
		SELECT $1, $2, u.id, u.seq, u.del, CASE WHEN u.del THEN NULL ELSE u.data::json END
		FROM unnest($3::text[], $4::bigint[], $5::boolean[], $6::text[]) AS u(id, seq, del, data)
		ON CONFLICT (feed, store, id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, data = excluded.data`,
		f.feed, f.store, wIDs, wSeqs, wDel, wData)
	if err != nil {
		return nil, fmt.Errorf("write feed %s of %q: %w", f.feed, f.store, err)
	}
	if _, err := f.tx.Exec(ctx, "UPDATE feed_scopes SET seq = $3 WHERE feed = $1 AND store = $2", f.feed, f.store, f.seq); err != nil {
		return nil, fmt.Errorf("feed %s sequence: %w", f.feed, err)
	}
	return out, nil
}

// put is apply of one new item state.
func (f *scope) put(ctx context.Context, id string, data []byte) error {
	_, err := f.apply(ctx, []op{{id: id, data: data}})
	return err
}

// Feed returns up to limit changes of a feed after cursor; see hub.FeedReader. The counter and the items
// are read in one snapshot.
func (s *Store) Feed(ctx context.Context, feed, store, cursor string, limit int) (hub.FeedPage, error) {
	since, limit, err := s.feedRequest(feed, cursor, limit)
	if err != nil {
		return hub.FeedPage{}, err
	}
	var page hub.FeedPage
	var next int64
	store = hub.ScopeStore(feed, store)
	err = s.read(ctx, func(tx pgx.Tx) error {
		page = hub.FeedPage{Items: []json.RawMessage{}}
		var last int64
		err := tx.QueryRow(ctx, "SELECT seq FROM feed_scopes WHERE feed = $1 AND store = $2", feed, store).Scan(&last)
		if errors.Is(err, pgx.ErrNoRows) {
			next = 0
			return nil
		}
		if err != nil {
			return err
		}
		from := since
		if from > last {
			from = 0 // a cursor ahead of the feed: the database was restored; send everything again
		}
		next = from
		rows, err := tx.Query(ctx, `SELECT id, seq, deleted, data FROM feed_items
			WHERE feed = $1 AND store = $2 AND seq > $3 ORDER BY seq LIMIT $4`, feed, store, from, limit+1)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var id string
			var seq int64
			var deleted bool
			var data []byte
			if err := rows.Scan(&id, &seq, &deleted, &data); err != nil {
				return err
			}
			if n++; n > limit {
				page.More = true
				break
			}
			if deleted {
				page.Deleted = append(page.Deleted, id)
			} else {
				page.Items = append(page.Items, json.RawMessage(data))
			}
			next = seq
		}
		rows.Close()
		return rows.Err()
	})
	if err != nil {
		return hub.FeedPage{}, fmt.Errorf("read feed %s of %q: %w", feed, store, err)
	}
	page.Next = s.epoch + "." + strconv.FormatInt(next, 10)
	return page, nil
}

// feedRequest is hub.FeedRequest with the sequence as the int64 of the seq columns.
func (s *Store) feedRequest(feed, cursor string, limit int) (int64, int, error) {
	since, limit, err := hub.FeedRequest(feed, cursor, s.epoch, limit)
	if since > 1<<62 {
		since = 0 // beyond any sequence this database hands out
	}
	return int64(since), limit, err
}

// parseCursor reads "epoch.seq" as hub.ParseFeedCursor does, as the int64 of the seq columns.
func (s *Store) parseCursor(c string) (int64, error) {
	n, err := hub.ParseFeedCursor(c, s.epoch)
	if err != nil || n > 1<<62 {
		return 0, err
	}
	return int64(n), nil
}
