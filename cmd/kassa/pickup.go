package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"github.com/google/uuid"

	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/pos/ui"
	"github.com/kassa-pos/kassa/sync/wire"
)

// PickupConfig is the [pickup] section: the click&collect desk.
//
//	[pickup]
//	overdue_days = 3   # an order ready longer than this is flagged overdue before its storage time ends
type PickupConfig struct {
	OverdueDays int `toml:"overdue_days"`
}

// errNoStore: the pickup desk hands over the orders of its store only, so it must know which one it is.
var errNoStore = errors.New(`config: the pickup desk needs the store's name as the hub knows it: set store = "…"`)

// showPickup runs the click&collect desk until its window closes. Unfinished hand-overs a crash left are
// settled first (after the till's own recovery): finished when their settlement was fiscalised, dropped
// otherwise.
func (s session) showPickup() {
	cfg, term := s.cfg, s.term
	if term.StoreID == "" {
		s.log.Error("cannot start the pickup desk", "err", errNoStore)
		showStartupError(s.app, cfg.Language, errNoStore)
		return
	}
	layout, _ := cfg.Barcode.layout() // validated with the config
	desk := pickup.New(pickup.Config{
		Store: term.Store, Till: term.Till, Classifier: barcode.NewClassifier(layout), Keys: term.Keys.For(wire.QRPurposePickup),
		StoreID: term.StoreID, Staff: cfg.Cashier, Channel: term.Store,
		OverdueAfter: time.Duration(cfg.Pickup.OverdueDays) * 24 * time.Hour,
		Wedge:        barcode.WedgeRepair{GSSubstitute: cfg.Barcode.GSSubstitute, FixLayout: true},
		NewID:        func() string { return uuid.Must(uuid.NewV7()).String() },
	})
	rctx, cancel := context.WithTimeout(s.ctx, 2*time.Minute)
	rep, recErr := desk.Recover(rctx)
	cancel()
	if recErr == nil && s.recoverErr != nil {
		recErr = s.recoverErr
	}
	if recErr != nil {
		s.log.Error("pickup recovery at start", "err", recErr)
	}
	if n := len(rep.Finished) + len(rep.Dropped); n > 0 {
		s.log.Info("pickup recovery", "finished", len(rep.Finished), "dropped", len(rep.Dropped))
	}
	l := ui.Lang(cfg.Language)
	w := s.app.NewWindow(l.T("pk.title"))
	deps := ui.PickupDeps{Desk: desk, Till: term.Till, Lang: l, Sync: syncInfo(term), SyncNow: term.SyncNow,
		Recovery: rep, RecoverErr: recErr}
	if term.Tape != nil { // no typed nil in the interface
		deps.Tape = term.Tape
	}
	if term.Slips != nil {
		deps.Slips = term.Slips
	}
	if err := s.withStaff(&deps.Staff, &deps.LoginHint, &deps.OnCashier); err != nil { // staff.go
		s.log.Error("pickup desk cannot start", "err", err)
		showStartupError(s.app, cfg.Language, err)
		return
	}
	screen := ui.NewPickup(w, deps)
	screen.Start(s.ctx)
	s.watchDisk(w) // diskwatch.go: a full or read-only data folder blocks the desk
	s.log.Info("pickup desk ready", "store", term.StoreID, "staff", cfg.Cashier)
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
}

// validate checks the [pickup] section.
func (p PickupConfig) validate() error {
	if p.OverdueDays < 0 || p.OverdueDays > 365 {
		return fmt.Errorf("config: pickup.overdue_days %d: want 0 (the default, 3) to 365", p.OverdueDays)
	}
	return nil
}
