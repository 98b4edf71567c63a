package hub

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Terminal is a till registered at the hub. Its token is never stored, only its SHA-256.
type Terminal struct {
	Store   string    `json:"store"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

type terminalRecord struct {
	Terminal
	TokenHash string `json:"token_sha256"`
}

// termState is what the hub knows of a terminal's event sequence.
type termState struct {
	LastSeq  uint64       `json:"last_seq"`
	Gaps     uint64       `json:"gaps"`
	Events   uint64       `json:"events"`
	Rejected uint64       `json:"rejected"`
	LastSeen time.Time    `json:"last_seen,omitzero"`
	LastGap  *wire.SeqGap `json:"last_gap,omitempty"`
}

// TerminalInfo is a terminal with its sequence state, for `kassahub terminal list`.
type TerminalInfo struct {
	Terminal
	LastSeq  uint64       // highest event seq received
	Gaps     uint64       // seq discontinuities seen
	LastGap  *wire.SeqGap // the latest of them
	Events   uint64       // events stored
	Rejected uint64       // events refused
	LastSeen time.Time    // last batch, zero if none yet
}

func validName(n string) bool {
	if n == "" || len(n) > maxNameLen || strings.TrimSpace(n) != n {
		return false
	}
	for _, r := range n {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func terminalKey(store, name string) []byte { return []byte(store + "\x00" + name) }

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NewToken returns a fresh bearer token (32 random bytes in hex) and the hex SHA-256 a config lists for it.
func NewToken() (token, sha256Hex string, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", "", fmt.Errorf("generate token: %w", err)
	}
	token = hex.EncodeToString(raw)
	return token, hex.EncodeToString(tokenHash(token)), nil
}

// AddTerminal registers a terminal of a store and returns its bearer token: 32 random bytes in hex. The token
// is shown once; the hub keeps only its SHA-256.
func (s *Storage) AddTerminal(store, name string) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", fmt.Errorf("add terminal: %w", err)
	}
	if _, err := s.putTerminal(store, name, hash, false); err != nil {
		return "", err
	}
	return token, nil
}

// EnsureTerminal registers a terminal declared in the config with the hex SHA-256 of its token, or changes
// the hash of an existing one (a rotated token). It reports whether anything changed.
func (s *Storage) EnsureTerminal(store, name, tokenSHA256 string) (bool, error) {
	if h, err := hex.DecodeString(tokenSHA256); err != nil || len(h) != sha256.Size {
		return false, fmt.Errorf("terminal %q of store %q: token hash must be 64 hex digits", name, store)
	}
	return s.putTerminal(store, name, strings.ToLower(tokenSHA256), true)
}

func (s *Storage) putTerminal(store, name, hashHex string, replace bool) (bool, error) {
	if !validName(store) || !validName(name) {
		return false, fmt.Errorf("add terminal %q of store %q: %w", name, store, ErrBadName)
	}
	hash, _ := hex.DecodeString(hashHex)
	key := terminalKey(store, name)
	changed := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		terms, tokens := tx.Bucket(bucketTerminals), tx.Bucket(bucketTokens)
		rec := terminalRecord{Terminal: Terminal{Store: store, Name: name, Created: time.Now().UTC()}, TokenHash: hashHex}
		if old := terms.Get(key); old != nil {
			if !replace {
				return fmt.Errorf("add terminal %q of store %q: %w", name, store, ErrTerminalExists)
			}
			var prev terminalRecord
			if err := json.Unmarshal(old, &prev); err != nil {
				return fmt.Errorf("decode terminal: %w", err)
			}
			if prev.TokenHash == hashHex {
				return nil
			}
			if oldHash, err := hex.DecodeString(prev.TokenHash); err == nil {
				if err := tokens.Delete(oldHash); err != nil {
					return err
				}
			}
			rec.Created = prev.Created
		}
		if owner := tokens.Get(hash); owner != nil && !bytes.Equal(owner, key) {
			return fmt.Errorf("terminal %q of store %q: its token belongs to another terminal", name, store)
		}
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := terms.Put(key, data); err != nil {
			return err
		}
		changed = true
		return tokens.Put(hash, key)
	})
	return changed, err
}

// Terminals lists the registered terminals, ordered by store, then name, with their sequence state.
func (s *Storage) Terminals() ([]TerminalInfo, error) {
	var out []TerminalInfo
	err := s.db.View(func(tx *bolt.Tx) error {
		return forEach(tx, bucketTerminals, func(k, v []byte) error {
			_, info, err := readTerminal(tx, k, v)
			if err != nil {
				return err
			}
			out = append(out, info)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list terminals: %w", err)
	}
	return out, nil
}

// readTerminal decodes the record of the terminal stored under k and reads its sequence state.
func readTerminal(tx *bolt.Tx, k, v []byte) (terminalRecord, TerminalInfo, error) {
	var rec terminalRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return rec, TerminalInfo{}, fmt.Errorf("decode terminal: %w", err)
	}
	st, err := loadTermState(tx, k)
	if err != nil {
		return rec, TerminalInfo{}, err
	}
	return rec, TerminalInfo{Terminal: rec.Terminal, LastSeq: st.LastSeq, Gaps: st.Gaps, LastGap: st.LastGap,
		Events: st.Events, Rejected: st.Rejected, LastSeen: st.LastSeen}, nil
}

// loadTermState reads a terminal's sequence state; databases of the first hub version kept only the last
// seq, in the cursors bucket.
func loadTermState(tx *bolt.Tx, key []byte) (termState, error) {
	var st termState
	if b := tx.Bucket(bucketTermState); b != nil {
		if v := b.Get(key); v != nil {
			if err := json.Unmarshal(v, &st); err != nil {
				return st, fmt.Errorf("decode terminal state: %w", err)
			}
			return st, nil
		}
	}
	if b := tx.Bucket(bucketCursors); b != nil {
		if v := b.Get(key); len(v) == 8 {
			st.LastSeq = binary.BigEndian.Uint64(v)
		}
	}
	return st, nil
}

// Authenticate returns the terminal a bearer token belongs to, or an error wrapping ErrUnknownToken.
func (s *Storage) Authenticate(token string) (Terminal, error) {
	var rec terminalRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		tokens := tx.Bucket(bucketTokens)
		if tokens == nil {
			return ErrUnknownToken
		}
		key := tokens.Get(tokenHash(token))
		if key == nil {
			return ErrUnknownToken
		}
		v := tx.Bucket(bucketTerminals).Get(key)
		if v == nil {
			return ErrUnknownToken
		}
		return json.Unmarshal(v, &rec)
	})
	if err != nil {
		return Terminal{}, fmt.Errorf("authenticate: %w", err)
	}
	return rec.Terminal, nil
}
