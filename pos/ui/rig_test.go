package ui

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/fiscal"
	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/pos/store"
)

// The screens' rigs share these parts: the real bbolt store, the emulated register behind the real
// Shtrih-M driver (over an in-memory pipe), a till on them and a 1280×800 test window.

// testStore starts the test app and opens terminal's store in a temporary folder with goods in its catalog.
func testStore(t testing.TB, terminal string, goods []pos.Product) *store.Store {
	t.Helper()
	test.NewTempApp(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{Terminal: terminal})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutProducts(goods); err != nil {
		t.Fatal(err)
	}
	return st
}

// testRegister serves the emulated register (cfg's FN serial and clock default to the tests') until the
// test ends; host is the driver's end of the line (closing it pulls the cable).
func testRegister(t testing.TB, cfg emulator.Config) (ctx context.Context, dev *emulator.Device, host net.Conn, reg *fiscal.Register) {
	t.Helper()
	if cfg.FNSerial == "" {
		cfg.FNSerial = "9999078900001234"
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	dev, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	host, device := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); host.Close(); device.Close() })
	go dev.Serve(ctx, device)
	return ctx, dev, host, fiscal.New(kkt.NewDriver(host, kkt.Config{Location: time.UTC}), fiscal.Config{})
}

// testIDs numbers the sales the way the golden files expect.
func testIDs() func() string {
	n := 0
	return func() string { n++; return "0190a3b4-0000-7000-8000-00000000000" + string(rune('0'+n)) }
}

// openTestTill builds the till of cfg (classifier, terminal "till-1", clock and ids default to the
// tests'), recovers it and, unless cashier is "", opens a shift for cashier.
func openTestTill(ctx context.Context, t testing.TB, cfg checkout.Config, cashier string) *checkout.Till {
	t.Helper()
	if cfg.Classifier == nil {
		cfg.Classifier = barcode.NewClassifier(barcode.DefaultWeightLayout())
	}
	if cfg.Terminal == "" {
		cfg.Terminal = "till-1"
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	if cfg.NewID == nil {
		cfg.NewID = testIDs()
	}
	till := checkout.New(cfg)
	if _, err := till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if cashier != "" {
		if err := till.OpenShift(ctx, cashier); err != nil {
			t.Fatal(err)
		}
	}
	return till
}

// testWindow is a window of the till's size, closed when the test ends.
func testWindow(t testing.TB) fyne.Window {
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	return w
}

type testUser struct {
	name string
	role staff.Role
	inn  string
	pin  string
}

// newTestStaff is the staff service on st with users, hashing PINs with the cheapest Argon2 parameters;
// now nil is the wall clock.
func newTestStaff(t testing.TB, st *store.Store, now func() time.Time, users ...testUser) *staff.Service {
	t.Helper()
	svc, err := staff.New(staff.Config{Store: st, Now: now,
		Params: staff.Params{Time: 1, Memory: 64, Threads: 1, KeyLen: 32, SaltLen: 16}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if _, err := svc.NewUser(u.name, u.role, u.inn, u.pin); err != nil {
			t.Fatal(err)
		}
	}
	return svc
}
