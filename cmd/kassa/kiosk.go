package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/hardware/scanner"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/kiosk"
	"github.com/kassa-pos/kassa/pos/ui"
	"github.com/kassa-pos/kassa/sync/wire"
)

// KioskConfig is [kiosk]: the customers' price checker (kassa --mode kiosk).
type KioskConfig struct {
	IdleSeconds int `toml:"idle_seconds"` // no touch this long resets the stand; 45 when zero
	WarnSeconds int `toml:"warn_seconds"` // the countdown shown before the reset; 15 when zero
	// OnlineURL is the "continue online" link of a product: {id}, {barcode}, {url} (the offer's page) and
	// {store} are filled in, URL-escaped. BasketURL is the basket's: {items} ("id:qty,…"), {basket}, {store}.
	OnlineURL   string `toml:"online_url"`
	BasketURL   string `toml:"basket_url"`
	BasketHours int    `toml:"basket_hours"` // how long the tills honour a kiosk basket; 24 when zero
	// ManagerPINHash is the manager's PIN as `kassa kiosk-pin` prints it (PBKDF2-SHA256 with a salt). Without
	// one only the demo starts, with the PIN 1234.
	ManagerPINHash string `toml:"manager_pin_hash"`
	PrintSlip      *bool  `toml:"print_slip"`   // print the basket QR on the receipt printer; true when absent
	KeyID          string `toml:"key_id"`       // the [[keys.qr]] id baskets are signed with; the last one when empty
	ScannerPort    string `toml:"scanner_port"` // a serial scanner; empty: a keyboard-wedge scanner types in
	ScannerBaud    int    `toml:"scanner_baud"` // 9600 when zero
	Windowed       bool   `toml:"windowed"`     // a window instead of full screen (setting up, screenshots)
}

// demoPIN is the manager's PIN of the demo stand.
const demoPIN = "1234"

func (k KioskConfig) validate() error {
	if k.IdleSeconds != 0 && (k.IdleSeconds < 10 || k.IdleSeconds > 600) {
		return fmt.Errorf("config: kiosk idle_seconds %d is not 10 to 600", k.IdleSeconds)
	}
	idle := k.IdleSeconds
	if idle == 0 {
		idle = int(ui.DefaultKioskIdle / time.Second)
	}
	if k.WarnSeconds < 0 || k.WarnSeconds >= idle {
		return fmt.Errorf("config: kiosk warn_seconds %d must be below idle_seconds", k.WarnSeconds)
	}
	if k.BasketHours < 0 || k.BasketHours > 7*24 {
		return fmt.Errorf("config: kiosk basket_hours %d is not 1 to 168", k.BasketHours)
	}
	for name, tmpl := range map[string]string{"online_url": k.OnlineURL, "basket_url": k.BasketURL} {
		if tmpl == "" {
			continue
		}
		if u, err := url.Parse(strings.ReplaceAll(tmpl, "{url}", "https://x")); err != nil || u.Host == "" && !strings.HasPrefix(tmpl, "{url}") {
			return fmt.Errorf("config: kiosk %s %q is not an absolute URL template", name, tmpl)
		}
	}
	if k.ManagerPINHash != "" {
		if err := kiosk.ParsePINHash(k.ManagerPINHash); err != nil {
			return fmt.Errorf("config: kiosk manager_pin_hash: %w", err)
		}
	}
	if k.KeyID != "" && !wire.ValidKeyID(k.KeyID) {
		return fmt.Errorf("config: kiosk key_id %q is not a key id", k.KeyID)
	}
	return nil
}

// showKiosk runs the price checker until the manager closes it.
func (s session) showKiosk() {
	cfg, term := s.cfg, s.term
	kc := cfg.Kiosk
	l := ui.Lang(cfg.Language)
	w := s.app.NewWindow(l.T("kiosk.title"))
	managers := s.kioskManagers() // staff.go: seniors' and administrators' PINs when the terminal has users
	var guard *kiosk.PINGuard
	var err error
	if managers == nil {
		guard, err = s.kioskPIN()
	}
	if err != nil {
		s.log.Error("kiosk cannot start", "err", err)
		showStartupError(s.app, cfg.Language, err)
		return
	}
	layout, _ := cfg.Barcode.layout()
	k := kiosk.New(kiosk.Config{
		Catalog: terminal.KioskCatalog{Store: term.Store}, Classifier: barcode.NewClassifier(layout),
		Signer: s.kioskSigner(), Events: term.Store, Store: term.StoreID,
		ProductURL: kc.OnlineURL, BasketURL: kc.BasketURL, BasketTTL: time.Duration(kc.BasketHours) * time.Hour,
	})
	deps := ui.KioskDeps{
		Kiosk: k, Lang: l, PIN: guard, Exit: s.app.Quit, SyncNow: term.SyncNow, Shop: cfg.Printer.Shop,
		Idle: time.Duration(kc.IdleSeconds) * time.Second, Warning: time.Duration(kc.WarnSeconds) * time.Second,
		Wedge: barcode.WedgeRepair{GSSubstitute: cfg.Barcode.GSSubstitute, FixLayout: true},
		Staff: func() { s.log.Warn("kiosk: a customer calls an assistant", "terminal", cfg.Terminal) },
	}
	if term.Printer != nil && (kc.PrintSlip == nil || *kc.PrintSlip) {
		deps.Print = func(ctx context.Context, b kiosk.Basket, payload string) error {
			err := terminal.PrintBasket(ctx, term.Printer, b, payload,
				terminal.SlipHeader{Shop: cfg.Printer.Shop, Terminal: cfg.Terminal, Printed: time.Now()})
			if err != nil {
				s.log.Warn("kiosk: basket slip not printed", "basket", b.ID, "err", err)
			}
			return err
		}
	}
	if managers != nil { // no typed nil in the interface
		deps.Managers = managers
	}
	screen := ui.NewKiosk(w, deps)
	screen.Start(s.ctx)
	w.SetCloseIntercept(screen.RequestExit) // Alt+F4 and the close button ask for the manager's PIN
	if kc.ScannerPort != "" {
		go s.readScanner(kc, screen)
	}
	w.Resize(fyne.NewSize(1280, 800))
	if !kc.Windowed {
		w.SetFullScreen(true)
	}
	w.ShowAndRun()
}

// kioskPIN guards the way out with the configured PIN hash; the demo without one uses demoPIN.
func (s session) kioskPIN() (*kiosk.PINGuard, error) {
	hash := s.cfg.Kiosk.ManagerPINHash
	if hash == "" {
		if s.term.Hub == nil { // only the demo embeds its hub
			return nil, errors.New("kiosk: set [kiosk] manager_pin_hash (make one with `kassa kiosk-pin`)")
		}
		var err error
		if hash, err = kiosk.HashPINWithCost(demoPIN, 10_000); err != nil {
			return nil, err
		}
		s.log.Warn("kiosk: demo manager PIN " + demoPIN + " (Ctrl+Alt+K or five taps on the top-right corner)")
	}
	return kiosk.NewPINGuard(hash, kiosk.SystemClock{})
}

// kioskSigner signs baskets with the configured key id, else the ring's newest (the last [[keys.qr]]),
// else the demo kiosk's own; nil when the stand has no key that may sign baskets or no store to sign for.
func (s session) kioskSigner() kiosk.BasketSigner {
	kid := s.cfg.Kiosk.KeyID
	if kid == "" && len(s.cfg.Keys.QR) > 0 {
		kid = s.cfg.Keys.QR[len(s.cfg.Keys.QR)-1].ID
	}
	if kid == "" {
		kid = terminal.DemoKioskKeyID
	}
	if !s.term.Keys.Allows(kid, wire.QRPurposeBasket) || s.term.StoreID == "" {
		s.log.Warn("kiosk: no basket QR codes: no QR key or no store", "key_id", kid, "store", s.term.StoreID)
		return nil
	}
	return terminal.KioskSigner{Keys: s.term.Keys, KeyID: kid}
}

// readScanner passes a serial scanner's codes to the screen, reopening the port after a pulled cable.
func (s session) readScanner(kc KioskConfig, screen *ui.KioskScreen) {
	baud := kc.ScannerBaud
	if baud == 0 {
		baud = 9600
	}
	port, err := serialport.OpenReconnecting(serialport.Config{Path: kc.ScannerPort, Baud: baud}, serialport.ReconnectConfig{
		OnState: func(online bool, err error) {
			s.log.Info("kiosk scanner port", "port", kc.ScannerPort, "online", online, "err", err)
		},
	})
	if err != nil {
		s.log.Error("kiosk scanner", "port", kc.ScannerPort, "err", err)
		return
	}
	defer port.Close()
	for s.ctx.Err() == nil {
		r := scanner.NewReader(port, scanner.Config{LineTimeout: 500 * time.Millisecond})
		for {
			sc, err := r.Next(s.ctx)
			if errors.Is(err, scanner.ErrTooLong) || errors.Is(err, scanner.ErrIncomplete) {
				continue
			}
			if err != nil {
				break
			}
			text := sc.Symbology + sc.Data
			fyne.Do(func() { screen.Scan(text) })
		}
		if err := port.WaitOnline(s.ctx); err != nil {
			return
		}
		select { // a port that is up but keeps failing reads must not spin
		case <-s.ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// kioskPINMain is `kassa kiosk-pin`: it reads a PIN (4 to 12 digits) from stdin and prints the
// manager_pin_hash line for [kiosk].
func kioskPINMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: kassa kiosk-pin < pin.txt   (or type the PIN and Enter)")
		return 2
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(stderr, "kassa kiosk-pin:", err)
		return 1
	}
	hash, err := kiosk.HashPIN(strings.TrimSpace(line))
	if err != nil {
		fmt.Fprintln(stderr, "kassa kiosk-pin:", err)
		return 2
	}
	fmt.Fprintf(stdout, "manager_pin_hash = %q\n", hash)
	return 0
}
