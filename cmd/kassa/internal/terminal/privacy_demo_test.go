package terminal

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// demoEmail is the e-mail a demo customer asks the e-receipt to go to (the demo chain has none on file).
func demoEmail(c DemoCustomer) string { return "demo." + c.ID + "@example.ru" }

// phoneForms are the ways a phone is written that a leak could take: +79000000001, 89000000001,
// 9000000001.
func phoneForms(phone string) []string {
	ten := strings.TrimPrefix(phone, "+7")
	return []string{phone, "8" + ten, ten}
}

// A demo day, then a search of everything the terminal left on disk: no demo customer's phone (in any
// form) or e-mail in clear in any file of the data folder (journal, archive, hub, emulator, printer tape,
// token, log), and every file 0600, every folder 0700.
//
// The day: a shift; each demo customer buys bread and a marked milk, recognised by card or by a dictated
// phone (written a different way each time), with the e-receipt to their phone or e-mail; an invalid
// contact typed and logged; sales replayed to the embedded hub; the journal archived; a sale returned by
// its receipt QR from the archive (its buyer read back for the refund's e-receipt); the shift closed.
func TestDemoDayLeavesNoPersonalData(t *testing.T) {
	dir := t.TempDir()
	logFile, err := os.OpenFile(filepath.Join(dir, "kassa.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	o := demoOptions(dir)
	o.Logger = slog.New(slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelDebug}))
	o.Journal.ArchiveAfter = time.Nanosecond // archive every acknowledged sale of the day
	o.Printer = PrinterOptions{Port: "emulator"}
	term, stop := openDemo(t, dir)
	stop() // the first open made the token and the hub; now with the logger, the archive and the printer
	term, err = Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	replayed := make(chan struct{})
	go func() { defer close(replayed); _ = term.Replayer.Run(ctx) }()
	closed := false
	defer func() {
		if !closed {
			cancel()
			<-replayed
			term.Close()
		}
	}()

	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	if _, err := term.Puller.PullOnce(ctx); err != nil {
		t.Fatal(err)
	}
	phoneStyles := []func(string) string{
		func(p string) string { return p },
		func(p string) string { return "8" + p[2:] },
		func(p string) string { return p[2:] },
		func(p string) string { return "8 (" + p[2:5] + ") " + p[5:8] + "-" + p[8:10] + "-" + p[10:] },
	}
	var sales []pos.Sale
	for i, c := range DemoCustomers {
		if _, err := term.Till.Scan(demoBarcode, 0); err != nil {
			t.Fatal(err)
		}
		mark := fmt.Sprintf("0104615881399868215Demo%09d\x1d93Ab%02d", i, i) // marked milk 100004
		if _, err := term.Till.Scan(mark, 0); err != nil {
			t.Fatalf("scan the marked milk: %v", err)
		}
		if i%2 == 0 { // recognised by a dictated phone, the e-receipt to it
			if _, err := term.Till.IdentifyCustomer(phoneStyles[i%len(phoneStyles)](c.Phone)); err != nil {
				t.Fatalf("%s by phone: %v", c.ID, err)
			}
			if err := term.Till.UseCustomerPhone(); err != nil {
				t.Fatal(err)
			}
		} else { // by card, the e-receipt to an e-mail
			if _, err := term.Till.IdentifyCustomer(c.Card); err != nil {
				t.Fatalf("%s by card: %v", c.ID, err)
			}
			if err := term.Till.SetBuyer(demoEmail(c)); err != nil {
				t.Fatal(err)
			}
		}
		if err := term.Till.SetBuyer(c.Phone + "0"); err != nil { // a mistyped contact: refused and logged
			term.log.Warn("e-receipt contact refused", "err", err)
		} else {
			t.Fatal("a 12-digit phone was accepted")
		}
		sale, err := term.Till.Pay(ctx, []pos.Payment{{Method: pos.PayCard, Amount: term.Till.Cart().Totals().Total}})
		if err != nil {
			t.Fatalf("%s pays: %v", c.ID, err)
		}
		if sale.Buyer == "" || sale.Loyalty.Customer != c.ID {
			t.Fatalf("%s: buyer %q, loyalty %+v", c.ID, sale.Buyer, sale.Loyalty)
		}
		term.log.Info("sale with a customer", "buyer", sale.Buyer, "marking", mark, "customer", c.Phone)
		sales = append(sales, sale)
	}
	waitFor(t, "every event at the hub", func() (bool, error) {
		st, err := term.Store.OutboxStats()
		return st.Unsent == 0, err
	})
	res, err := term.ArchiveNow(ctx)
	if err != nil || res.Sales != len(sales) {
		t.Fatalf("archive: %+v, %v; want %d sales", res, err, len(sales))
	}
	// The first customer returns the bread by the receipt's QR: the sale is in the archive now, and its
	// contact (sealed) comes back for the refund's e-receipt.
	r, err := term.Till.StartRefund(sales[0].Fiscal.QR(sales[0].Total))
	if err != nil {
		t.Fatalf("refund of an archived sale: %v", err)
	}
	if r.Original.Buyer != sales[0].Buyer {
		t.Errorf("archived sale's buyer %q, want %q", r.Original.Buyer, sales[0].Buyer)
	}
	if err := r.SetQty(0, pos.QtyOne); err != nil {
		t.Fatal(err)
	}
	refund, err := term.Till.Refund(ctx, r, []pos.Payment{{Method: pos.PayCard, Amount: r.Total()}})
	if err != nil || refund.Buyer != sales[0].Buyer {
		t.Fatalf("refund: buyer %q, %v", refund.Buyer, err)
	}
	shift, _ := term.Till.Shift()
	if err := term.Till.CloseShift(ctx); err != nil {
		t.Fatal(err)
	}
	if err := term.Slips.PrintShiftSummary(ctx, shift.Number); err != nil { // printer.txt
		t.Fatal(err)
	}
	waitFor(t, "the refund at the hub", func() (bool, error) {
		st, err := term.Store.OutboxStats()
		return st.Unsent == 0, err
	})
	cancel()
	<-replayed
	if err := term.Close(); err != nil {
		t.Fatal(err)
	}
	closed = true
	logFile.Sync()

	var leaks []string
	for _, c := range DemoCustomers {
		leaks = append(append(leaks, phoneForms(c.Phone)...), demoEmail(c))
	}
	files := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			if info.Mode().Perm() != 0o700 {
				t.Errorf("folder %s has mode %v, want 0700", path, info.Mode().Perm())
			}
			return nil
		}
		files++
		if info.Mode().Perm() != 0o600 {
			t.Errorf("file %s has mode %v, want 0600", path, info.Mode().Perm())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, leak := range leaks {
			if bytes.Contains(data, []byte(leak)) {
				t.Errorf("%s holds %q in clear", path, leak)
			}
		}
		if bytes.Contains(data, []byte("Demo000000000\x1d93Ab00")) && strings.HasSuffix(path, ".log") {
			t.Errorf("%s holds a marking code's crypto tail", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kassa.db", "kassa.log", "buyer.key", "token", "kkt-emulator.json", "printer.txt"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("the day left no %s to search: %v", want, err)
		}
	}
	if archives, _ := filepath.Glob(filepath.Join(dir, "archive", "*.db")); len(archives) == 0 {
		t.Error("the day left no archive file to search")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "kassa.log")); testing.Verbose() {
		t.Logf("log:\n%s", b)
	}
	t.Logf("searched %d files for %d phone forms and e-mails", files, len(leaks))
}
