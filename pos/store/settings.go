package store

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// Setting returns a stored setting; a missing key gives an error wrapping ErrNotFound.
func (s *Store) Setting(key string) (string, error) {
	var (
		val   string
		found bool
	)
	err := s.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktSettings)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(key)); v != nil {
			val, found = string(v), true
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("store: setting %q: %w", key, err)
	}
	if !found {
		return "", fmt.Errorf("store: setting %q: %w", key, ErrNotFound)
	}
	return val, nil
}

// SetSetting stores a setting (an empty value is kept as set, not deleted).
func (s *Store) SetSetting(key, value string) error {
	if key == "" {
		return fmt.Errorf("store: set setting: %w: empty key", ErrInvalid)
	}
	err := s.update(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bktSettings)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), []byte(value))
	})
	if err != nil {
		return fmt.Errorf("store: set setting %q: %w", key, err)
	}
	return nil
}
