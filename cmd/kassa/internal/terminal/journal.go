package terminal

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/kassa-pos/kassa/pos/store"
)

// DefaultArchiveAfter is the age after which an acknowledged sale leaves the live journal for the archive.
const DefaultArchiveAfter = 90 * 24 * time.Hour

// archiveEvery is how often a terminal left running archives besides the shift changes.
const archiveEvery = 24 * time.Hour

// JournalOptions bound the journal and protect what it holds.
type JournalOptions struct {
	// ArchiveAfter is the age of the acknowledged sales moved to the archive; 0 means
	// DefaultArchiveAfter, a negative value never archives.
	ArchiveAfter time.Duration
	// MinFree is the free space of the data folder below which selling stops; 0 means DefaultMinFree.
	MinFree uint64
	// BuyerKeyFile seals buyers' contacts in the journal; empty means BuyerKeyName in the data folder.
	BuyerKeyFile string
}

// openStore makes the data folder private, loads the buyer key, opens the store and probes the disk.
func (t *Terminal) openStore(o Options) (*store.Store, error) {
	keyFile := o.Journal.BuyerKeyFile
	if keyFile == "" {
		keyFile = filepath.Join(o.Data, BuyerKeyName)
	}
	if err := TightenPermissions(o.Data, o.TokenFile, keyFile); err != nil {
		o.Logger.Warn("data folder permissions", "err", err)
	}
	key, err := LoadBuyerKey(keyFile)
	if err != nil {
		return nil, classifyOS(err)
	}
	st, err := store.Open(filepath.Join(o.Data, store.DBName), store.Options{Terminal: o.Terminal, BuyerKey: key})
	if err != nil {
		return nil, err
	}
	t.Disk = &DiskProbe{Dir: o.Data, MinFree: o.Journal.MinFree}
	if err := t.Disk.Check(); err != nil {
		o.Logger.Error("data folder", "err", err)
	}
	t.archiveAfter = o.Journal.ArchiveAfter
	if t.archiveAfter == 0 {
		t.archiveAfter = DefaultArchiveAfter
	}
	t.archiveKick = make(chan struct{}, 1)
	return st, nil
}

// tillStore is the store the till uses: guarded by the disk probe, waking the archiver at shift changes.
func (t *Terminal) tillStore() guardedStore {
	return guardedStore{Store: t.Store, disk: t.Disk, archive: t.kickArchive}
}

func (t *Terminal) kickArchive() {
	select {
	case t.archiveKick <- struct{}{}:
	default: // a run is due already
	}
}

// ArchiveNow moves the acknowledged sales older than the configured age to the archive.
func (t *Terminal) ArchiveNow(ctx context.Context) (store.ArchiveResult, error) {
	if t.archiveAfter < 0 {
		return store.ArchiveResult{}, nil
	}
	res, err := t.Store.ArchiveJournal(ctx, time.Now().Add(-t.archiveAfter))
	t.Disk.Saw(err)
	if err != nil {
		return res, fmt.Errorf("archive the journal: %w", err)
	}
	return res, nil
}

// RunArchive archives at start, whenever a shift opens or closes, and daily, until ctx ends. It runs in
// its own goroutine (never the UI's); the store's transactions keep sales going meanwhile.
func (t *Terminal) RunArchive(ctx context.Context) {
	if t.archiveAfter < 0 {
		return
	}
	tick := time.NewTicker(archiveEvery)
	defer tick.Stop()
	for {
		res, err := t.ArchiveNow(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			t.log.Error("journal archive", "err", err)
		case res.Sales > 0:
			t.log.Info("journal archived", "sales", res.Sales, "files", len(res.Files))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.archiveKick:
		case <-tick.C:
		}
	}
}
