package terminal

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/hub"
)

// demoBarcode is a piece product of the embedded demo catalog (Хлеб Дарницкий).
const demoBarcode = "4601234567893"

// waitLimit bounds every wait for the replayer; the condition is polled, never timed.
const waitLimit = 10 * time.Second

func demoOptions(dir string) Options {
	return Options{Demo: true, KKTPort: "emulator", Data: dir, TokenFile: filepath.Join(dir, "token"),
		Layout: barcode.DefaultWeightLayout(), Terminal: "till-1", SyncIdlePoll: 50 * time.Millisecond}
}

// openDemo opens a demo terminal and runs its replayer until the test ends or stop is called.
func openDemo(t *testing.T, dir string) (term *Terminal, stop func()) {
	t.Helper()
	term, err := Open(context.Background(), demoOptions(dir))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = term.Replayer.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		<-done
		if err := term.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	t.Cleanup(stop)
	return term, stop
}

// waitFor polls cond until it holds, failing the test after waitLimit.
func waitFor(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sellBread scans one demo loaf and pays for it in cash.
func sellBread(t *testing.T, term *Terminal) pos.Sale {
	t.Helper()
	if _, err := term.Till.Scan(demoBarcode, 0); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	total := term.Till.Cart().Totals().Total
	sale, err := term.Till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: total + 3710}})
	if err != nil {
		t.Fatalf("Pay: %v", err)
	}
	if sale.Status != pos.SaleFiscalised || sale.Fiscal == nil {
		t.Fatalf("sale %s is %s", sale.ID, sale.Status)
	}
	return sale
}

// hubSales counts the demo store's sales at the hub by id.
func hubSales(h *EmbeddedHub) (map[string][]hub.StoredSale, error) {
	list, err := h.Storage.Sales("demo-store")
	if err != nil {
		return nil, err
	}
	out := map[string][]hub.StoredSale{}
	for _, s := range list {
		out[s.Sale.ID] = append(out[s.Sale.ID], s)
	}
	return out, nil
}

// checkAtHub asserts that every journal sale is at the hub exactly once, as the journal has it.
func checkAtHub(t *testing.T, term *Terminal, sales []pos.Sale) {
	t.Helper()
	byID, err := hubSales(term.Hub)
	if err != nil {
		t.Fatal(err)
	}
	if len(byID) != len(sales) {
		t.Errorf("hub holds %d sales, want %d", len(byID), len(sales))
	}
	for _, s := range sales {
		got := byID[s.ID]
		if len(got) != 1 {
			t.Errorf("sale %s is at the hub %d times", s.ID, len(got))
			continue
		}
		j, err := term.Store.Sale(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		w := got[0].Sale
		if w.Total != int64(j.Total) || w.Change != int64(j.Change) || w.Terminal != "till-1" {
			t.Errorf("hub has total %d change %d from %q, journal %s %s", w.Total, w.Change, w.Terminal, j.Total, j.Change)
		}
		f := j.Fiscal
		if w.Fiscal.FDNumber != f.FDNumber || w.Fiscal.FiscalSign != f.FiscalSign || w.Fiscal.FNSerial != f.FNSerial ||
			!w.Fiscal.At.Equal(f.At) || w.Fiscal.QR != f.QR(j.Total) {
			t.Errorf("hub fiscal %+v, journal %+v", w.Fiscal, *f)
		}
	}
}

func unsent(t *testing.T, st *store.Store) int {
	t.Helper()
	s, err := st.OutboxStats()
	if err != nil {
		t.Fatal(err)
	}
	return s.Unsent
}

func TestDemoSellsThroughANetworkOutage(t *testing.T) {
	dir := t.TempDir()
	term, stop := openDemo(t, dir)
	ctx := context.Background()

	n, err := term.Store.ProductCount()
	if err != nil || n < 300 {
		t.Fatalf("demo catalog: %d products, %v", n, err)
	}
	if term.Hub == nil || term.HubURL != term.Hub.URL {
		t.Fatalf("no embedded hub (url %q)", term.HubURL)
	}
	if info, err := os.Stat(filepath.Join(dir, "token")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, %v", info, err)
	}
	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatalf("OpenShift: %v", err)
	}
	sales := []pos.Sale{sellBread(t, term)}
	waitFor(t, "the first sale at the hub and the outbox empty", func() (bool, error) {
		byID, err := hubSales(term.Hub)
		return len(byID) == 1 && unsent(t, term.Store) == 0, err
	})
	checkAtHub(t, term, sales)

	t.Run("second open of a running terminal's folder", func(t *testing.T) {
		again, err := Open(ctx, demoOptions(dir))
		if !errors.Is(err, store.ErrLocked) {
			t.Errorf("Open of a folder in use = %v, %v; want store.ErrLocked", again, err)
		}
	})

	// Pull the network: the till keeps selling into its outbox.
	if err := term.Hub.Stop(); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		sales = append(sales, sellBread(t, term))
		if got := unsent(t, term.Store); got != i {
			t.Errorf("after %d sales offline the outbox holds %d events", i, got)
		}
	}
	waitFor(t, "the replayer to notice the hub is gone", func() (bool, error) {
		return !term.Replayer.Status().Online, nil
	})

	if err := term.Hub.Restart(); err != nil {
		t.Fatal(err)
	}
	term.Replayer.SyncNow() // the cashier's button: skip the rest of the backoff
	waitFor(t, "the replayer to catch up", func() (bool, error) {
		byID, err := hubSales(term.Hub)
		return len(byID) == len(sales) && unsent(t, term.Store) == 0 && term.Replayer.Status().Online, err
	})
	checkAtHub(t, term, sales)
	lastFD := term.Register.Emulator.Snapshot().LastFD
	stop()

	// The same folder again: nothing loaded twice, the register's shift and counters where they were.
	term, _ = openDemo(t, dir)
	if again, err := term.Store.ProductCount(); err != nil || again != n {
		t.Errorf("reopened catalog has %d products (%v), want %d", again, err, n)
	}
	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatalf("Recover after reopening: %v", err)
	}
	if sh, open := term.Till.Shift(); !open || sh.Number != 1 {
		t.Errorf("shift after reopening: %+v open %v", sh, open)
	}
	if st := term.Register.Emulator.Snapshot(); !st.ShiftOpen || st.LastFD != lastFD {
		t.Errorf("emulator reopened with shift open %v, last FD %d; want open, %d", st.ShiftOpen, st.LastFD, lastFD)
	}
	next := sellBread(t, term)
	if next.Fiscal.FDNumber != lastFD+1 {
		t.Errorf("first FD after reopening %d, want %d", next.Fiscal.FDNumber, lastFD+1)
	}
	sales = append(sales, next)
	waitFor(t, "the sale after reopening at the hub", func() (bool, error) {
		byID, err := hubSales(term.Hub)
		return len(byID) == len(sales) && unsent(t, term.Store) == 0, err
	})
	checkAtHub(t, term, sales)
}

func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name  string
		token func(t *testing.T, dir string) string // writes the token file as the case needs and returns its path
		demo  bool
		want  []string
		is    error
	}{
		{
			name:  "token readable by others",
			token: func(t *testing.T, dir string) string { return writeToken(t, dir, 0o644) },
			want:  []string{"readable by others", "chmod 600"},
		},
		{
			name: "token made readable by others after the demo hub issued it",
			token: func(t *testing.T, dir string) string {
				_, stop := openDemo(t, dir)
				stop()
				path := filepath.Join(dir, "token")
				if err := os.Chmod(path, 0o644); err != nil {
					t.Fatal(err)
				}
				return path
			},
			demo: true,
			want: []string{"readable by others", "chmod 600"},
		},
		{
			name:  "token file missing",
			token: func(t *testing.T, dir string) string { return filepath.Join(dir, "token") },
			want:  []string{"token file"},
			is:    fs.ErrNotExist,
		},
		{
			name:  "no token file configured",
			token: func(*testing.T, string) string { return "" },
			want:  []string{"no token file configured"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			o := demoOptions(dir)
			o.Demo, o.TokenFile = tt.demo, tt.token(t, dir)
			if !tt.demo {
				o.HubURL = "http://127.0.0.1:1" // never dialled: Open does not touch the network
			}
			term, err := Open(context.Background(), o)
			if err == nil {
				term.Close()
				t.Fatal("Open succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Open = %q, want it to say %q", err, w)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Open = %v, want it to wrap %v", err, tt.is)
			}
			// A refused Open releases what it opened: the folder opens again at once.
			st, err := store.Open(filepath.Join(dir, "kassa.db"), store.Options{LockTimeout: 50 * time.Millisecond})
			if err != nil {
				t.Fatalf("store left locked after a refused Open: %v", err)
			}
			st.Close()
		})
	}
}

func TestOpenNeedsAHubOutsideTheDemo(t *testing.T) {
	dir := t.TempDir()
	o := demoOptions(dir)
	o.Demo, o.TokenFile = false, writeToken(t, dir, 0o600)
	_, err := Open(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "no hub url") {
		t.Errorf("Open without a hub url = %v", err)
	}
}

func writeToken(t *testing.T, dir string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, "token")
	if err := os.WriteFile(path, []byte("0123456789abcdef\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func TestDemoTokenLost(t *testing.T) {
	dir := t.TempDir()
	_, stop := openDemo(t, dir)
	stop()
	if err := os.Remove(filepath.Join(dir, "token")); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), demoOptions(dir))
	if !errors.Is(err, hub.ErrTerminalExists) {
		t.Fatalf("Open with the demo token lost = %v, want hub.ErrTerminalExists", err)
	}
	// The advice must name the hub's folder, not the data folder that holds the sales journal.
	if want := "delete " + filepath.Join(dir, "hub") + " "; !strings.Contains(err.Error(), want) {
		t.Errorf("Open = %q, want it to say %q", err, want)
	}
}
