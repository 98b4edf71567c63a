// Package terminal wires a Kassa terminal without its window: the store, the fiscal register (a serial
// port, or the emulator in-process), the replayer to the hub (or a hub embedded for the demo) and the
// till's use cases. cmd/kassa puts a window on it; tests and headless tools use it as it is.
package terminal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/catalog"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/fiscal"
	"github.com/kassa-pos/kassa/pos/loyalty"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/client"
)

// Options is what the terminal needs to start.
type Options struct {
	Terminal    string
	Store       string // the store's name at the hub: basket QR codes of another store are refused
	Data        string // folder of kassa.db and the emulator's state
	Demo        bool   // load the demo catalog into an empty store, embed a hub when HubURL is empty
	KKTPort     string // "emulator" or a serial device
	KKTBaud     int
	Password    uint32
	TaxCodes    fiscal.Config
	Layout      barcode.WeightLayout
	HubURL      string
	TokenFile   string
	CAFile      string
	Logger      *slog.Logger
	Step        func(checkout.Step) // crash tests
	ScalePort   string              // "" none, "emulator", or a serial device
	DisplayPort string              // "" none, or a serial device
	DisplayMode string              // "cd5220" (default) or "epson"
	Printer     PrinterOptions      // the receipt printer for slips; Port "" for none
	// Keys verify signed QR codes and hash phones offline; demo mode uses DemoKeys when it has none.
	Keys Keys
	// SyncIdlePoll overrides how often the replayer looks at the queue without being woken.
	SyncIdlePoll time.Duration
	SyncBatch    int           // events per POST; 0: the replayer's default
	PullInterval time.Duration // between pulls of the feeds; 0: the puller's default

	// Loyalty configures the loyalty programme at the till (loyalty.go).
	Loyalty LoyaltyOptions
	// Journal bounds the journal (archive) and guards the disk it is on (journal.go).
	Journal JournalOptions
}

// Terminal is a wired terminal. Close releases everything in reverse order.
type Terminal struct {
	Store    *store.Store
	Till     *checkout.Till
	Replayer *client.Replayer
	Puller   *client.Puller
	Register *Register
	Hub      *EmbeddedHub     // nil unless the demo embeds one
	Scale    *Scale           // nil without a scale
	Display  *CustomerDisplay // nil without a display
	Printer  *Printer         // nil without a receipt printer
	Slips    *Slips           // nil without a receipt printer
	Tape     *Tape            // the demo's paper: the emulated register's tape and slips; nil with a real register
	HubURL   string
	Keys     Keys   // the chain's QR and phone keys (DemoKeys in demo mode without configured ones)
	StoreID  string // the store this terminal belongs to at the hub (DemoStore in demo mode without one)

	// Loyalty is the loyalty programme at the till; nil when it is off.
	Loyalty *loyalty.Service

	// Disk watches the data folder: a full or read-only disk stops selling (disk.go).
	Disk *DiskProbe

	log          *slog.Logger
	closers      []func() error
	archiveAfter time.Duration // journal.go
	archiveKick  chan struct{}
	displayPort  *serialport.Reconnecting // the customer display's port, for the device settings (devices.go)
}

// Open wires a terminal; it does not run recovery (call Till.Recover) nor the replayer (call Run).
func Open(ctx context.Context, o Options) (_ *Terminal, err error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Logger = redacting(o.Logger) // privacy.go: no phones, e-mails or marking tails in the log
	if o.Demo && len(o.Keys.QR) == 0 && o.Keys.Phone == nil {
		o.Keys = DemoKeys()
	}
	if o.Demo && o.Store == "" {
		o.Store = DemoStore
	}
	t := &Terminal{log: o.Logger, Keys: o.Keys, StoreID: o.Store}
	defer func() {
		if err != nil {
			t.Close() // whatever was opened before the failure
		}
	}()
	if err := os.MkdirAll(o.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	t.Store, err = t.openStore(o) // journal.go: private folder, buyer key, disk probe
	if err != nil {
		return nil, err
	}
	t.closers = append(t.closers, t.Store.Close)
	if o.Demo {
		if err := loadDemoCatalog(t.Store); err != nil {
			return nil, err
		}
	}
	t.Register, err = OpenRegister(ctx, o)
	if err != nil {
		return nil, err
	}
	t.closers = append(t.closers, t.Register.Close)
	if t.Register.Emulator != nil {
		t.Tape = newTape(t.Register.Emulator)
	}
	if err := t.openPrinter(ctx, o); err != nil {
		return nil, err
	}
	if o.ScalePort != "" {
		if t.Scale, err = OpenScale(ctx, o.ScalePort, o.Logger); err != nil {
			return nil, err
		}
		t.closers = append(t.closers, t.Scale.Close)
	}
	if o.DisplayPort != "" {
		d, c, err := OpenDisplay(o.DisplayPort, o.DisplayMode, o.Logger)
		if err != nil {
			return nil, err
		}
		t.Display = d
		t.displayPort, _ = c.(*serialport.Reconnecting)
		t.closers = append(t.closers, c.Close)
	}

	t.HubURL, err = t.hub(o)
	if err != nil {
		return nil, err
	}
	token, err := readToken(o.TokenFile)
	if err != nil {
		return nil, err
	}
	httpClient, err := hubClient(o.CAFile)
	if err != nil {
		return nil, err
	}
	t.Replayer = client.NewReplayer(t.Store, client.Config{
		BaseURL: t.HubURL, Token: token, HTTPClient: httpClient, Logger: o.Logger, IdlePoll: o.SyncIdlePoll,
		BatchSize: o.SyncBatch,
	})
	t.Puller = newPuller(t.Store, o, t.HubURL, token, httpClient)
	classifier := barcode.NewClassifier(o.Layout)
	programme, err := t.openLoyalty(o.Loyalty, classifier)
	if err != nil {
		return nil, err
	}
	t.Till = checkout.New(checkout.Config{
		Store:      t.tillStore(), // disk.go: refuses a sale on a full or read-only disk
		Register:   t.Register.Fiscal,
		Classifier: classifier,
		Terminal:   o.Terminal,
		NewID:      func() string { return uuid.Must(uuid.NewV7()).String() },
		Notify:     t.Replayer.Notify,
		Step:       o.Step,
		StoreID:    o.Store,
		Baskets:    BasketOpener{Keys: t.Keys, Offers: t.Store},
		Channel:    t.Store,
		Loyalty:    programme,
	})
	return t, nil
}

// DemoStore is the store of demo mode: the embedded hub's terminal, demo orders and QR codes belong to it.
const DemoStore = "demo-store"

// hub returns the hub's URL, starting the embedded one for the demo.
func (t *Terminal) hub(o Options) (string, error) {
	if o.HubURL != "" {
		return o.HubURL, nil
	}
	if !o.Demo {
		return "", errors.New("no hub url configured (set [hub] url in the config)")
	}
	h, err := StartEmbeddedHub(filepath.Join(o.Data, "hub"), o.Store, o.Terminal, o.TokenFile, o.Logger)
	if err != nil {
		return "", err
	}
	t.Hub = h
	t.closers = append(t.closers, h.Close)
	return h.URL, nil
}

// Close stops the register link, the embedded hub and the store.
func (t *Terminal) Close() error {
	var errs []error
	for i := len(t.closers) - 1; i >= 0; i-- {
		errs = append(errs, t.closers[i]())
	}
	t.closers = nil
	return errors.Join(errs...)
}

func loadDemoCatalog(st *store.Store) error {
	empty, err := st.CatalogEmpty() // not ProductCount: that reads every page of a large catalog
	if err != nil || !empty {
		return err
	}
	products, err := catalog.ReadCSV(bytes.NewReader(assets.DemoCatalogCSV))
	if err != nil {
		return fmt.Errorf("demo catalog: %w", err)
	}
	return st.PutProducts(products)
}

// readToken reads the terminal's token and refuses a file others can read.
func readToken(path string) (string, error) {
	if path == "" {
		return "", errors.New("no token file configured")
	}
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("token file %s is readable by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	return string(bytes.TrimSpace(b)), nil
}
