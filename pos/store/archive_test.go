package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// archiveDay is "now" of the archive tests; sales of saleTime's day (March) are older than 90 days then.
var archiveDay = saleTime.AddDate(0, 0, 120)

// fiscalAt completes sale as document fd on the test ФН.
func fiscalAt(t *testing.T, s *Store, sale pos.Sale, fd uint32) {
	t.Helper()
	if err := s.BeginSale(sale); err != nil {
		t.Fatal(err)
	}
	f := testFiscal
	f.FDNumber = fd
	if _, err := s.CompleteSale(sale.ID, f); err != nil {
		t.Fatal(err)
	}
}

func ack(t *testing.T, s *Store, ids ...string) {
	t.Helper()
	if err := s.AckEvents(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
}

// archiveFixture is a journal with one sale of each kind that archiving must tell apart.
func archiveFixture(t *testing.T, s *Store) {
	t.Helper()
	acked := testSale("a-acked", 7)
	acked.Buyer = "+79000000001"
	fiscalAt(t, s, acked, 100)
	ack(t, s, acked.ID)

	fiscalAt(t, s, testSale("b-unsent", 7), 101) // the hub has not acknowledged it

	dead := testSale("c-dead", 7)
	fiscalAt(t, s, dead, 102)
	if err := s.RejectEvent(context.Background(), dead.ID, "bad"); err != nil {
		t.Fatal(err)
	}

	loyal := loyalSale("d-loyal", pos.SaleLoyalty{Customer: "c1", Earned: 100})
	fiscalAt(t, s, loyal, 103)
	ack(t, s, loyal.ID) // its accrual event is still queued

	if err := s.BeginSale(testSale("e-cancelled", 7)); err != nil {
		t.Fatal(err)
	}
	if err := s.CancelSale("e-cancelled", "refused"); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginSale(testSale("f-pending", 7)); err != nil {
		t.Fatal(err)
	}
	young := testSale("g-young", 8)
	young.CreatedAt = archiveDay.AddDate(0, 0, -10)
	fiscalAt(t, s, young, 104)
	ack(t, s, young.ID)
}

func TestArchiveJournal(t *testing.T) {
	s := openTemp(t)
	archiveFixture(t, s)
	res, err := s.ArchiveJournal(context.Background(), archiveDay.AddDate(0, 0, -90))
	if err != nil {
		t.Fatal(err)
	}
	if res.Sales != 2 || len(res.Files) != 1 || filepath.Base(res.Files[0]) != "2026-03.db" {
		t.Fatalf("archived %+v, want 2 sales in 2026-03.db", res)
	}
	recent, err := s.RecentSales(100)
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, r := range recent {
		live = append(live, r.ID)
	}
	slices.Sort(live)
	if want := []string{"b-unsent", "c-dead", "d-loyal", "f-pending", "g-young"}; !slices.Equal(live, want) {
		t.Errorf("live journal %v, want %v", live, want)
	}
	tests := []struct {
		id     string
		status pos.SaleStatus
	}{{"a-acked", pos.SaleFiscalised}, {"e-cancelled", pos.SaleCancelled}, {"b-unsent", pos.SaleFiscalised}}
	for _, c := range tests {
		got, err := s.Sale(c.id)
		if err != nil || got.Status != c.status {
			t.Errorf("Sale(%s) = %s, %v; want %s", c.id, got.Status, err, c.status)
		}
	}
	// The receipt QR of an archived sale still finds it, with the buyer's contact for the refund.
	got, ok, err := s.SaleByReceipt(testFiscal.FNSerial, 100)
	if err != nil || !ok || got.ID != "a-acked" || got.Buyer != "+79000000001" {
		t.Fatalf("SaleByReceipt of an archived sale = %s %q, %v, %v", got.ID, got.Buyer, ok, err)
	}
	// A second run finds nothing more to move.
	if res, err := s.ArchiveJournal(context.Background(), archiveDay.AddDate(0, 0, -90)); err != nil || res.Sales != 0 {
		t.Errorf("second run %+v, %v; want nothing", res, err)
	}
}

// A refund of an archived sale is checked against it and its archived refunds: what was returned before
// the archive counts.
func TestRefundOfArchivedSale(t *testing.T) {
	s := openTemp(t)
	orig := testSale("orig", 7)
	orig.Lines = orig.Lines[:1] // 2 pieces of milk
	fiscalAt(t, s, orig, 200)
	first := orig
	first.ID, first.Kind, first.RefundOf = "refund-1", pos.KindRefund, orig.ID
	first.Lines = []pos.Line{orig.Lines[0]}
	first.Lines[0].Qty = pos.QtyOne
	fiscalAt(t, s, first, 201)
	ack(t, s, orig.ID, first.ID)
	if res, err := s.ArchiveJournal(context.Background(), archiveDay); err != nil || res.Sales != 2 {
		t.Fatalf("archive %+v, %v", res, err)
	}
	refunds, err := s.RefundsOf(orig.ID)
	if err != nil || len(refunds) != 1 || refunds[0].ID != first.ID {
		t.Fatalf("RefundsOf an archived sale = %v, %v", refunds, err)
	}
	second := first
	second.ID, second.CreatedAt = "refund-2", archiveDay
	if err := s.BeginSale(second); err != nil {
		t.Fatalf("second refund of one piece: %v", err)
	}
	third := second
	third.ID = "refund-3"
	if err := s.BeginSale(third); !errors.Is(err, pos.ErrRefundExceeds) {
		t.Fatalf("a third piece of two sold = %v, want ErrRefundExceeds", err)
	}
}

const archiveCrashEnv = "KASSA_STORE_ARCHIVE_CRASH"

// TestArchiveCrashBetweenWriteAndDelete kills a child process right after the archive file was committed
// and before the live records were deleted. The sale is then in both; opening again and archiving again
// leaves it once, in the archive, still found by its receipt.
func TestArchiveCrashBetweenWriteAndDelete(t *testing.T) {
	if path := os.Getenv(archiveCrashEnv); path != "" {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		archiveCrashHook = func() { os.Exit(3) } // no Close, no deferred cleanup: as a power cut would
		_, err = s.ArchiveJournal(context.Background(), archiveDay)
		t.Fatalf("child: ArchiveJournal returned %v instead of crashing", err)
	}
	path := filepath.Join(t.TempDir(), "kassa.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		sale := testSale(fmt.Sprintf("s%d", i), 7)
		fiscalAt(t, s, sale, uint32(300+i))
		ack(t, s, sale.ID)
	}
	s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestArchiveCrashBetweenWriteAndDelete$", "-test.count=1")
	cmd.Env = append(os.Environ(), archiveCrashEnv+"="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child: %v, want exit 3\n%s", err, out)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	live, err := s.RecentSales(10)
	if err != nil || len(live) != 3 {
		t.Fatalf("after the crash the live journal has %d sales (%v), want all 3 still", len(live), err)
	}
	inArchive := 0
	for i := range 3 {
		if _, ok, err := s.archivedSale(fmt.Sprintf("s%d", i)); err != nil {
			t.Fatal(err)
		} else if ok {
			inArchive++
		}
	}
	if inArchive != 3 {
		t.Fatalf("after the crash %d sales are in the archive, want 3 (written before the delete)", inArchive)
	}
	res, err := s.ArchiveJournal(context.Background(), archiveDay)
	if err != nil || res.Sales != 3 {
		t.Fatalf("archive again = %+v, %v", res, err)
	}
	if live, _ := s.RecentSales(10); len(live) != 0 {
		t.Errorf("live journal still has %d sales", len(live))
	}
	for i := range 3 {
		got, ok, err := s.SaleByReceipt(testFiscal.FNSerial, uint32(300+i))
		if err != nil || !ok || got.ID != fmt.Sprintf("s%d", i) {
			t.Errorf("receipt %d: %s, %v, %v", 300+i, got.ID, ok, err)
		}
	}
}

func TestArchiveFilesArePrivate(t *testing.T) {
	s := openTemp(t)
	sale := testSale("p", 7)
	fiscalAt(t, s, sale, 400)
	ack(t, s, sale.ID)
	res, err := s.ArchiveJournal(context.Background(), archiveDay)
	if err != nil || len(res.Files) != 1 {
		t.Fatalf("%+v, %v", res, err)
	}
	for path, want := range map[string]os.FileMode{s.ArchiveDir(): 0o700, res.Files[0]: 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", path, info.Mode().Perm(), want)
		}
	}
}

func TestArchiveStopsWithContext(t *testing.T) {
	s := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.ArchiveJournal(ctx, time.Now()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled archive = %v", err)
	}
}

// Archiving runs beside the till: sales go on being written, completed and acknowledged while it moves the
// old ones, and every sale ends up in exactly one place.
func TestArchiveWhileSelling(t *testing.T) {
	s := openTemp(t)
	for i := range 50 {
		sale := testSale(fmt.Sprintf("old-%02d", i), 7)
		fiscalAt(t, s, sale, uint32(1000+i))
		ack(t, s, sale.ID)
	}
	done := make(chan error, 1)
	go func() {
		for i := range 50 {
			sale := testSale(fmt.Sprintf("new-%02d", i), 8)
			sale.CreatedAt = archiveDay
			if err := s.BeginSale(sale); err != nil {
				done <- err
				return
			}
			f := testFiscal
			f.FDNumber = uint32(2000 + i)
			if _, err := s.CompleteSale(sale.ID, f); err != nil {
				done <- err
				return
			}
			if err := s.AckEvents(context.Background(), []string{sale.ID}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	moved := 0
	for range 5 {
		res, err := s.ArchiveJournal(context.Background(), archiveDay)
		if err != nil {
			t.Fatal(err)
		}
		moved += res.Sales
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if moved != 50 {
		t.Errorf("moved %d sales, want the 50 old ones", moved)
	}
	live, err := s.RecentSales(1000)
	if err != nil || len(live) != 50 {
		t.Fatalf("live journal %d sales, %v; want the 50 new ones", len(live), err)
	}
	for i := range 50 {
		if _, ok, err := s.SaleByReceipt(testFiscal.FNSerial, uint32(1000+i)); !ok || err != nil {
			t.Errorf("old receipt %d: %v, %v", 1000+i, ok, err)
		}
	}
}
