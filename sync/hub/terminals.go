package hub

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
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

// AddTerminal registers a terminal of a store and returns its bearer token: 32 random bytes in hex. The token
// is shown once; the hub keeps only its SHA-256.
func (s *Storage) AddTerminal(store, name string) (string, error) {
	if !validName(store) || !validName(name) {
		return "", fmt.Errorf("add terminal %q of store %q: %w", name, store, ErrBadName)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("add terminal: generate token: %w", err)
	}
	token := hex.EncodeToString(raw)
	hash := tokenHash(token)
	rec := terminalRecord{
		Terminal:  Terminal{Store: store, Name: name, Created: time.Now().UTC()},
		TokenHash: hex.EncodeToString(hash),
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return "", fmt.Errorf("add terminal: %w", err)
	}
	key := terminalKey(store, name)
	err = s.db.Update(func(tx *bolt.Tx) error {
		terms := tx.Bucket(bucketTerminals)
		if terms.Get(key) != nil {
			return fmt.Errorf("add terminal %q of store %q: %w", name, store, ErrTerminalExists)
		}
		if err := terms.Put(key, data); err != nil {
			return err
		}
		return tx.Bucket(bucketTokens).Put(hash, key)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// Terminals lists the registered terminals ordered by store, then name.
func (s *Storage) Terminals() ([]Terminal, error) {
	var out []Terminal
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTerminals)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var rec terminalRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode terminal: %w", err)
			}
			out = append(out, rec.Terminal)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list terminals: %w", err)
	}
	return out, nil
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
