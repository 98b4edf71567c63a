package pgstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// authTTL is how long Authenticate trusts a token it looked up. A token rotated or a terminal removed
// through another instance stops working here within it; through this instance, at once.
const authTTL = 30 * time.Second

type authEntry struct {
	term  hub.Terminal
	until time.Time
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Authenticate returns the terminal a bearer token belongs to, or an error wrapping hub.ErrUnknownToken.
// It runs on every request: known tokens are answered from memory for authTTL.
func (s *Store) Authenticate(token string) (hub.Terminal, error) {
	h := tokenHash(token)
	key := string(h)
	now := s.clock()
	s.mu.Lock()
	e, ok := s.auth[key]
	s.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.term, nil
	}
	ctx, cancel := background()
	defer cancel()
	var t hub.Terminal
	err := s.pool.QueryRow(ctx, "SELECT store, name, created FROM terminals WHERE token_sha256 = $1", h).
		Scan(&t.Store, &t.Name, &t.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return hub.Terminal{}, fmt.Errorf("authenticate: %w", hub.ErrUnknownToken)
	}
	if err != nil {
		return hub.Terminal{}, fmt.Errorf("authenticate: %w", err)
	}
	t.Created = t.Created.UTC()
	s.mu.Lock()
	if len(s.auth) > 100000 { // a bound against a flood of valid-looking lookups; a clear is cheap
		clear(s.auth)
	}
	s.auth[key] = authEntry{term: t, until: now.Add(authTTL)}
	s.mu.Unlock()
	return t, nil
}

func (s *Store) forgetTokens() {
	s.mu.Lock()
	clear(s.auth)
	s.mu.Unlock()
}

// AddTerminal registers a terminal of a store and returns its bearer token, shown once; the hub keeps
// only its SHA-256.
func (s *Store) AddTerminal(store, name string) (string, error) {
	token, hash, err := hub.NewToken()
	if err != nil {
		return "", fmt.Errorf("add terminal: %w", err)
	}
	if _, err := s.putTerminal(store, name, hash, false); err != nil {
		return "", err
	}
	return token, nil
}

// EnsureTerminal registers a terminal declared in the config with the hex SHA-256 of its token, or changes
// the hash of an existing one. It reports whether anything changed.
func (s *Store) EnsureTerminal(store, name, tokenSHA256 string) (bool, error) {
	if h, err := hex.DecodeString(tokenSHA256); err != nil || len(h) != sha256.Size {
		return false, fmt.Errorf("terminal %q of store %q: token hash must be 64 hex digits", name, store)
	}
	return s.putTerminal(store, name, strings.ToLower(tokenSHA256), true)
}

func (s *Store) putTerminal(store, name, hashHex string, replace bool) (bool, error) {
	if !hub.ValidName(store) || !hub.ValidName(name) {
		return false, fmt.Errorf("add terminal %q of store %q: %w", name, store, hub.ErrBadName)
	}
	hash, _ := hex.DecodeString(hashHex)
	ctx, cancel := background()
	defer cancel()
	changed := false
	err := s.write(ctx, func(tx pgx.Tx) error {
		changed = false
		var old []byte
		err := tx.QueryRow(ctx, "SELECT token_sha256 FROM terminals WHERE store = $1 AND name = $2 FOR UPDATE",
			store, name).Scan(&old)
		exists := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if exists && !replace {
			return fmt.Errorf("add terminal %q of store %q: %w", name, store, hub.ErrTerminalExists)
		}
		if exists && hex.EncodeToString(old) == hashHex {
			return nil
		}
		var owner string
		err = tx.QueryRow(ctx, "SELECT store || '/' || name FROM terminals WHERE token_sha256 = $1 AND NOT (store = $2 AND name = $3)",
			hash, store, name).Scan(&owner)
		if err == nil {
			return fmt.Errorf("terminal %q of store %q: its token belongs to another terminal", name, store)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if exists {
			_, err = tx.Exec(ctx, "UPDATE terminals SET token_sha256 = $3 WHERE store = $1 AND name = $2", store, name, hash)
			changed = err == nil
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO terminals (store, name, created, token_sha256) VALUES ($1, $2, $3, $4)
			ON CONFLICT (store, name) DO NOTHING`, store, name, time.Now().UTC(), hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errRetry // another instance registered it meanwhile: look again
		}
		changed = true
		return nil
	})
	s.forgetTokens()
	return changed, err
}

// Terminals lists the registered terminals, ordered by store, then name, with their sequence state.
func (s *Store) Terminals() ([]hub.TerminalInfo, error) {
	ctx, cancel := background()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT store, name, created, last_seq, gaps, events, rejected, last_seen, last_gap
		FROM terminals ORDER BY store COLLATE "C", name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("list terminals: %w", err)
	}
	var out []hub.TerminalInfo
	for rows.Next() {
		var t hub.TerminalInfo
		var seen *time.Time
		var gap []byte
		var lastSeq, gaps, events, rejected int64
		if err := rows.Scan(&t.Store, &t.Name, &t.Created, &lastSeq, &gaps, &events, &rejected, &seen, &gap); err != nil {
			return nil, fmt.Errorf("list terminals: %w", err)
		}
		t.Created, t.LastSeen = t.Created.UTC(), timeOrZero(seen)
		t.LastSeq, t.Gaps, t.Events, t.Rejected = uint64(lastSeq), uint64(gaps), uint64(events), uint64(rejected)
		if gap != nil {
			t.LastGap = new(wire.SeqGap)
			if err := json.Unmarshal(gap, t.LastGap); err != nil {
				return nil, fmt.Errorf("decode last gap of %s/%s: %w", t.Store, t.Name, err)
			}
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list terminals: %w", err)
	}
	return out, nil
}

// termState is a terminal's sequence state, read and written with its row locked.
type termState struct {
	lastSeq, gaps, events, rejected int64
	lastGap                         *wire.SeqGap
}

func lockTerminal(ctx context.Context, tx pgx.Tx, term hub.Terminal) (termState, error) {
	var st termState
	var gap []byte
	err := tx.QueryRow(ctx, `SELECT last_seq, gaps, events, rejected, last_gap FROM terminals
		WHERE store = $1 AND name = $2 FOR UPDATE`, term.Store, term.Name).
		Scan(&st.lastSeq, &st.gaps, &st.events, &st.rejected, &gap)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, nil // removed since it authenticated: its events are stored all the same
	}
	if err != nil {
		return st, fmt.Errorf("lock terminal: %w", err)
	}
	if gap != nil {
		st.lastGap = new(wire.SeqGap)
		if err := json.Unmarshal(gap, st.lastGap); err != nil {
			return st, fmt.Errorf("decode last gap: %w", err)
		}
	}
	return st, nil
}

func saveTerminal(ctx context.Context, tx pgx.Tx, term hub.Terminal, st termState, seen time.Time) error {
	var gap []byte
	if st.lastGap != nil {
		var err error
		if gap, err = json.Marshal(st.lastGap); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `UPDATE terminals SET last_seq = $3, gaps = $4, events = $5, rejected = $6, last_seen = $7,
		last_gap = $8 WHERE store = $1 AND name = $2`, term.Store, term.Name, st.lastSeq, st.gaps, st.events, st.rejected,
		seen.UTC(), gapArg(gap))
	if err != nil {
		return fmt.Errorf("put terminal state: %w", err)
	}
	return nil
}

// gapArg passes JSON as text, or NULL.
func gapArg(b []byte) *string {
	if b == nil {
		return nil
	}
	s := string(b)
	return &s
}
