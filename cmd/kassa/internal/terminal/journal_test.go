package terminal

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// The archiver runs in its own goroutine, at start and when a shift opens or closes: the acknowledged sales
// (older than the age, here a nanosecond) leave the live journal, and the receipt still finds them.
func TestArchiveRunsAtShiftChange(t *testing.T) {
	o := demoOptions(t.TempDir())
	o.Journal.ArchiveAfter = time.Nanosecond
	term := openShiftDemo(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go term.RunArchive(ctx)
	replayed := make(chan struct{})
	go func() { defer close(replayed); _ = term.Replayer.Run(ctx) }()
	defer func() { cancel(); <-replayed }()
	sale := sellBread(t, term)
	waitFor(t, "the sale at the hub", func() (bool, error) {
		st, err := term.Store.OutboxStats()
		return st.Unsent == 0, err
	})
	if err := term.Till.CloseShift(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sale in the archive", func() (bool, error) {
		live, err := term.Store.RecentSales(10)
		for _, s := range live {
			if s.ID == sale.ID {
				return false, err
			}
		}
		return true, err
	})
	got, ok, err := term.Store.SaleByReceipt(sale.Fiscal.FNSerial, sale.Fiscal.FDNumber)
	if err != nil || !ok || got.ID != sale.ID {
		t.Fatalf("the archived sale by its receipt: %v, %v", ok, err)
	}
	if files, _ := filepath.Glob(filepath.Join(o.Data, "archive", "*.db")); len(files) != 1 {
		t.Errorf("archive files %v", files)
	}
}
