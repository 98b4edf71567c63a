package main

import (
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
)

// JournalConfig is [journal]: how long acknowledged sales stay in the live database, the free space the
// till needs to sell, and where the key sealing buyers' contacts is kept.
type JournalConfig struct {
	// ArchiveAfterDays moves acknowledged sales older than this to data/archive/ (default 90; -1: never).
	ArchiveAfterDays int `toml:"archive_after_days"`
	// MinFreeMB stops selling when the data folder's disk has less free space (default 64).
	MinFreeMB int `toml:"min_free_mb"`
	// BuyerKeyFile is the key sealing buyers' e-receipt contacts in the journal (default data/buyer.key).
	BuyerKeyFile string `toml:"buyer_key_file"`
}

func (j JournalConfig) validate() error {
	if j.ArchiveAfterDays < -1 {
		return fmt.Errorf("config: journal archive_after_days %d: want days, or -1 for never", j.ArchiveAfterDays)
	}
	if j.MinFreeMB < 0 {
		return fmt.Errorf("config: journal min_free_mb %d is negative", j.MinFreeMB)
	}
	return nil
}

func (j JournalConfig) options() terminal.JournalOptions {
	o := terminal.JournalOptions{MinFree: uint64(j.MinFreeMB) << 20, BuyerKeyFile: j.BuyerKeyFile}
	switch {
	case j.ArchiveAfterDays < 0:
		o.ArchiveAfter = -1
	case j.ArchiveAfterDays > 0:
		o.ArchiveAfter = time.Duration(j.ArchiveAfterDays) * 24 * time.Hour
	}
	return o
}
