package hub

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// A feed scope (one feed of one store; customers are chain-wide, store "") is a bucket holding:
//   - items: item id -> seq (uint64 BE) + flag byte (1 = deleted) + the item's JSON
//   - log:   seq (uint64 BE) -> item id, one entry per item at its latest change
//
// and the scope bucket's own sequence, the last seq handed out. A change takes the next seq, moves the
// item's log entry there and rewrites the item, all in the caller's transaction, so a reader's snapshot
// either has the change with its seq or neither. Deletions stay as tombstones so a terminal that pulls
// months later still learns of them.

// Feed page sizes.
const (
	DefaultPageLimit = 1000
	MaxPageLimit     = 10000
)

var (
	subItems = []byte("items")
	subLog   = []byte("log")
)

const flagDeleted = 1

type feedScope struct {
	root, items, log *bolt.Bucket
}

func scopeKey(feed, store string) []byte { return []byte(feed + "\x00" + store) }

// ScopeStore is the store a feed's scope belongs to: customers are shared by the chain. Every backend
// keys its feed scopes by it.
func ScopeStore(feed, store string) string {
	if feed == wire.FeedCustomers {
		return ""
	}
	return store
}

// FeedRequest checks the arguments of a Feed call the way every backend must: a known feed, a cursor
// "epoch.seq" read against the backend's epoch (one of another epoch starts over at 0) and the page size
// (DefaultPageLimit when not positive, at most MaxPageLimit). It answers the sequence to read after.
func FeedRequest(feed, cursor, epoch string, limit int) (since uint64, size int, err error) {
	switch feed {
	case wire.FeedCatalog, wire.FeedCustomers, wire.FeedOffers, wire.FeedPickupOrders:
	default:
		return 0, 0, fmt.Errorf("%w: %q", ErrUnknownFeed, feed)
	}
	if since, err = ParseFeedCursor(cursor, epoch); err != nil {
		return 0, 0, err
	}
	if limit <= 0 {
		limit = DefaultPageLimit
	}
	return since, min(limit, MaxPageLimit), nil
}

// ParseFeedCursor reads "epoch.seq". A cursor of another database epoch starts over at 0; one that does
// not parse is ErrBadCursor.
func ParseFeedCursor(c, epoch string) (uint64, error) {
	if c == "" {
		return 0, nil
	}
	e, seq, ok := strings.Cut(c, ".")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || err != nil || e == "" || len(e) > 32 {
		return 0, fmt.Errorf("%w: %.40q", ErrBadCursor, c)
	}
	if e != epoch {
		return 0, nil
	}
	return n, nil
}

// openScope returns a feed scope of tx; without create it is nil when the scope has no changes yet.
func openScope(tx *bolt.Tx, feed, store string, create bool) (*feedScope, error) {
	feeds := tx.Bucket(bucketFeeds)
	key := scopeKey(feed, ScopeStore(feed, store))
	if !create {
		if feeds == nil {
			return nil, nil
		}
		root := feeds.Bucket(key)
		if root == nil {
			return nil, nil
		}
		return &feedScope{root: root, items: root.Bucket(subItems), log: root.Bucket(subLog)}, nil
	}
	root, err := feeds.CreateBucketIfNotExists(key)
	if err != nil {
		return nil, fmt.Errorf("feed %s of %q: %w", feed, store, err)
	}
	items, err := root.CreateBucketIfNotExists(subItems)
	if err != nil {
		return nil, err
	}
	log, err := root.CreateBucketIfNotExists(subLog)
	if err != nil {
		return nil, err
	}
	return &feedScope{root: root, items: items, log: log}, nil
}

// get returns a live item's JSON (valid until the transaction ends).
func (f *feedScope) get(id string) ([]byte, bool) {
	if f == nil {
		return nil, false
	}
	v := f.items.Get([]byte(id))
	if len(v) < 9 || v[8]&flagDeleted != 0 {
		return nil, false
	}
	return v[9:], true
}

// put records data as the item's new state unless it is stored identical; it returns the previous live
// state (nil if none) and whether anything changed.
func (f *feedScope) put(id string, data []byte) (old []byte, changed bool, err error) {
	prev := f.items.Get([]byte(id))
	if len(prev) >= 9 && prev[8]&flagDeleted == 0 {
		old = bytes.Clone(prev[9:])
		if bytes.Equal(old, data) {
			return old, false, nil
		}
	}
	return old, true, f.change(id, prev, 0, data)
}

// delete tombstones a live item and returns its last state, or nil if there was none.
func (f *feedScope) delete(id string) ([]byte, error) {
	prev := f.items.Get([]byte(id))
	if len(prev) < 9 || prev[8]&flagDeleted != 0 {
		return nil, nil
	}
	old := bytes.Clone(prev[9:])
	return old, f.change(id, prev, flagDeleted, nil)
}

func (f *feedScope) change(id string, prev []byte, flag byte, data []byte) error {
	if len(prev) >= 8 {
		if err := f.log.Delete(prev[:8]); err != nil {
			return fmt.Errorf("feed log: %w", err)
		}
	}
	seq, err := f.root.NextSequence()
	if err != nil {
		return fmt.Errorf("feed sequence: %w", err)
	}
	if err := f.log.Put(u64(seq), []byte(id)); err != nil {
		return fmt.Errorf("feed log: %w", err)
	}
	rec := make([]byte, 0, 9+len(data))
	rec = append(binary.BigEndian.AppendUint64(rec, seq), flag)
	if err := f.items.Put([]byte(id), append(rec, data...)); err != nil {
		return fmt.Errorf("feed item %q: %w", id, err)
	}
	return nil
}

// Feed returns up to limit changes of a feed after cursor. See FeedReader.
func (s *Storage) Feed(ctx context.Context, feed, store, cursor string, limit int) (FeedPage, error) {
	since, limit, err := FeedRequest(feed, cursor, s.epoch, limit)
	if err != nil {
		return FeedPage{}, err
	}
	page := FeedPage{Items: []json.RawMessage{}}
	next := since
	err = s.view(ctx, func(tx *bolt.Tx) error {
		f, err := openScope(tx, feed, store, false)
		if f == nil || err != nil {
			next = 0
			return err
		}
		if since > f.root.Sequence() {
			since = 0 // a cursor ahead of the feed: the database was restored; send everything again
		}
		next = since
		c := f.log.Cursor()
		k, id := c.Seek(u64(since + 1))
		for n := 0; k != nil && n < limit; k, id = c.Next() {
			v := f.items.Get(id)
			if len(v) < 9 {
				return fmt.Errorf("feed %s: item %q is logged but missing", feed, id)
			}
			if v[8]&flagDeleted != 0 {
				page.Deleted = append(page.Deleted, string(id))
			} else {
				page.Items = append(page.Items, json.RawMessage(bytes.Clone(v[9:])))
			}
			next = binary.BigEndian.Uint64(k)
			n++
		}
		page.More = k != nil
		return nil
	})
	if err != nil {
		return FeedPage{}, fmt.Errorf("read feed %s of %q: %w", feed, store, err)
	}
	page.Next = s.epoch + "." + strconv.FormatUint(next, 10)
	return page, nil
}
