// Command kassa is the Kassa terminal: the till with its window, wired to the local store, the fiscal
// register and the hub. `kassa --demo` runs it with the emulated register and an embedded hub.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/cmd/kassa/internal/device"
	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/fiscal"
	"github.com/kassa-pos/kassa/pos/ui"
)

func main() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) }

// Main runs the terminal (or `kassa device …`) and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "simulate" {
		return simulateMain(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "backup" {
		return backupMain(args[1:], stdout, stderr) // backup.go
	}
	if len(args) > 0 && args[0] == "restore" {
		return restoreMain(args[1:], stdout, stderr) // backup.go
	}
	if len(args) > 0 && args[0] == "demo-qr" {
		return demoQRMain(args[1:], stdout, stderr) // demoqr.go
	}
	if len(args) > 0 && args[0] == "user" {
		return userMain(args[1:], os.Stdin, stdout, stderr) // users.go
	}
	if len(args) > 0 && args[0] == "kiosk-pin" {
		return kioskPINMain(args[1:], os.Stdin, stdout, stderr) // kiosk.go
	}
	if len(args) > 0 && args[0] == "device" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		switch err := device.Run(ctx, args[1:], stdout, stderr); {
		case errors.Is(err, device.ErrUsage):
			if err.Error() != device.ErrUsage.Error() { // the usage text was printed already otherwise
				fmt.Fprintln(stderr, "kassa device:", err)
			}
			return 2
		case err != nil:
			fmt.Fprintln(stderr, "kassa device:", err)
			return 1
		}
		return 0
	}
	args, readyReportFile = takeReadyReport(args) // readyreport.go: the hidden start-up measurement
	fs := flag.NewFlagSet("kassa", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file (TOML)")
	data := fs.String("data", "", "data folder (overrides the config)")
	demo := fs.Bool("demo", false, "demo mode: demo catalog, emulated ККТ, embedded hub")
	mode := fs.String("mode", "", "the terminal's face: till, kiosk or pickup (overrides the config)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, "kassa:", err)
		return 2
	}
	if *data != "" {
		cfg.Data = *data
	}
	if *mode != "" {
		cfg.Mode = *mode
		if err := cfg.validate(); err != nil {
			fmt.Fprintln(stderr, "kassa:", err)
			return 2
		}
	}
	if *demo {
		cfg.KKT.Port = "emulator"
		if cfg.Scale.Port == "" {
			cfg.Scale.Port = "emulator"
		}
		if cfg.Printer.Port == "" {
			cfg.Printer.Port = "emulator" // its slips go to printer.txt in the data folder and to the tape
		}
		if cfg.Cashier == defaultConfig().Cashier {
			cfg.Cashier = "Иванова А. (демо)"
		}
	}
	if err := run(cfg, *demo, stderr); err != nil {
		fmt.Fprintln(stderr, "kassa:", err)
		return 1
	}
	return 0
}

func run(cfg Config, demo bool, stderr io.Writer) error {
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return err
	}
	logFile, err := os.OpenFile(filepath.Join(cfg.Data, "kassa.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := slog.New(terminal.NewRedactor(slog.NewTextHandler(io.MultiWriter(logFile, stderr), &slog.HandlerOptions{Level: slog.LevelInfo})))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	layout, _ := cfg.Barcode.layout()
	tokenFile := cfg.Hub.TokenFile
	if tokenFile == "" {
		tokenFile = filepath.Join(cfg.Data, "token")
	}
	taxCodes := fiscal.Config{TaxSystem: cfg.KKT.TaxSystem, Password: cfg.KKT.Password, CashierINN: cfg.KKT.CashierINN,
		TextWidth: cfg.KKT.fiscalTextWidth()}
	if cfg.KKT.VAT22 != 0 || cfg.KKT.VAT22_122 != 0 {
		taxCodes.TaxCodes = vat22Codes(cfg.KKT.VAT22, cfg.KKT.VAT22_122)
	}
	keys, _ := cfg.Keys.keys() // validated with the config
	loyaltyOpts, _ := cfg.Loyalty.options()
	term, err := terminal.Open(ctx, terminal.Options{
		Terminal: cfg.Terminal, Store: cfg.Store, Data: cfg.Data, Demo: demo, KKTPort: cfg.KKT.Port, KKTBaud: cfg.KKT.Baud,
		Password: cfg.KKT.Password, TaxCodes: taxCodes, Layout: layout, HubURL: cfg.Hub.URL,
		TokenFile: tokenFile, CAFile: cfg.Hub.CAFile, Logger: log,
		ScalePort: cfg.Scale.Port, DisplayPort: cfg.Display.Port, DisplayMode: cfg.Display.Mode,
		Printer: terminal.PrinterOptions(cfg.Printer), Keys: keys,
		Loyalty: loyaltyOpts, Journal: cfg.Journal.options(),
	})
	a := app.NewWithID("ru.kassa.till")
	a.Settings().SetTheme(ui.Theme())
	a.SetIcon(fyne.NewStaticResource("Icon.png", assets.IconPNG))
	if err != nil {
		log.Error("cannot start", "err", err)
		showStartupError(a, cfg.Language, err)
		return err
	}
	defer term.Close()
	go term.RunSync(ctx)    // replay and pull until the window closes; it logs what stopped them
	go term.RunArchive(ctx) // journal.go: old acknowledged sales to data/archive, never on the UI thread
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	// cash operations first: their proof is the document counter, which the sale recovery may move
	if _, err := term.CashBook().ResolvePending(rctx, log); err != nil {
		log.Error("cash recovery at start", "err", err)
	}
	recovery, recErr := term.Till.Recover(rctx)
	cancel()
	if recErr != nil {
		log.Error("recovery at start", "err", recErr)
	}
	log.Info("terminal ready", "mode", cfg.Mode, "terminal", cfg.Terminal, "data", cfg.Data, "hub", term.HubURL,
		"recovered", recovery.Total())

	s := session{ctx: ctx, app: a, cfg: cfg, term: term, log: log, recovery: recovery, recoverErr: recErr}
	go func() {
		<-ctx.Done() // SIGTERM or SIGINT: close the window like the cashier would
		fyne.Do(a.Quit)
	}()
	switch cfg.Mode {
	case modePickup:
		s.showPickup()
	case modeKiosk:
		s.showKiosk()
	default:
		s.showTill()
	}
	stop()
	log.Info("terminal closed", "mode", cfg.Mode)
	return nil
}

// session is a started terminal with its app, which one of the faces (till, kiosk, pickup) shows.
type session struct {
	ctx        context.Context
	app        fyne.App
	cfg        Config
	term       *terminal.Terminal
	log        *slog.Logger
	recovery   checkout.Recovery
	recoverErr error
}

// showTill runs the cashier's till until its window closes.
func (s session) showTill() {
	cfg, term := s.cfg, s.term
	w := s.app.NewWindow(ui.Lang(cfg.Language).T("app.title"))
	deps := ui.TillDeps{
		Till: term.Till, Lang: ui.Lang(cfg.Language), Cashier: cfg.Cashier,
		Sync: syncInfo(term), SyncNow: term.SyncNow, Recovery: s.recovery, RecoverErr: s.recoverErr,
		DeadLetters: deadLetters{term},
		Wedge:       barcode.WedgeRepair{GSSubstitute: cfg.Barcode.GSSubstitute, FixLayout: true},
	}
	if term.Tape != nil { // no typed nil in the interface
		deps.Tape = term.Tape
	}
	if term.Slips != nil {
		deps.Slips = term.Slips
	}
	if term.Scale != nil { // no typed nil in the interface: the till asks "is there a scale?"
		deps.Scale = term.Scale
	}
	if term.Display != nil {
		deps.Display = term.Display
	}
	if term.Register != nil && term.Register.Fiscal != nil {
		deps.Cash = term.CashBook() // F12 Внесение / Изъятие, journalled (cashbook.go)
	}
	// F12 Настройки оборудования (devices.go)
	deps.Devices = newDeviceSettings(cfg, term)
	if err := s.withStaff(&deps.Staff, &deps.LoginHint, &deps.OnCashier); err != nil { // staff.go
		s.log.Error("till cannot start", "err", err)
		showStartupError(s.app, cfg.Language, err)
		return
	}
	screen := ui.NewTill(w, deps)
	term.Register.Fiscal.SetAwaitPaper(screen.AwaitPaper) // paper out mid-receipt: ask the cashier, then go on
	screen.Start(s.ctx)
	s.watchDisk(w) // diskwatch.go: a full or read-only data folder blocks the till
	w.Resize(fyne.NewSize(1280, 800))
	reportWhenReady(s.app, w, func(err error) { s.log.Error("ready report", "err", err) }) // readyreport.go
	w.ShowAndRun()
}

// syncInfo reads the replayer's link state and the outbox for the status bar.
func syncInfo(t *terminal.Terminal) func() ui.SyncInfo {
	return func() ui.SyncInfo {
		st := t.LinkStatus()
		info := ui.SyncInfo{Online: st.Online, Unauthorized: st.Unauthorized, BadCert: st.BadCertificate,
			LastSuccess: st.LastSuccess}
		if ob, err := t.Store.OutboxStats(); err == nil {
			info.Unsent, info.Oldest, info.DeadLetters = ob.Unsent, ob.Oldest, ob.DeadLetters
		}
		return info
	}
}
