package ui

import (
	"context"
	"errors"
	"image"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/kiosk"
)

// Kiosk defaults (UI.md §2: reset after 30–60 s idle, with a 10–15 s visible countdown first).
const (
	DefaultKioskIdle    = 45 * time.Second
	DefaultKioskWarning = 15 * time.Second
	kioskSlideEvery     = 8 * time.Second
	kioskCornerTaps     = 5               // taps on the top-right corner that open the manager's PIN
	kioskCornerWindow   = 3 * time.Second // within this long
	kioskMaxCode        = 14              // digits of a typed code (GTIN-14)
	kioskBarWidth       = 1000            // the idle countdown bar when full, in pixels
)

// KioskDeps wires the stand's screen.
type KioskDeps struct {
	Kiosk   *kiosk.Kiosk
	Lang    Lang
	Idle    time.Duration   // no touch this long resets the stand; DefaultKioskIdle when zero
	Warning time.Duration   // the countdown shown before; DefaultKioskWarning when zero
	PIN     *kiosk.PINGuard // the manager's PIN; the way out and to the manager's menu
	Exit    func()          // closes the kiosk after the manager's PIN
	SyncNow func()          // pulls prices and stock now (manager's menu); may be nil
	Print   BasketPrinter   // prints the basket QR on the slip printer; nil without one
	Staff   func()          // calls an assistant (a pager, the log); may be nil
	Wedge   barcode.WedgeRepair
	Shop    string // the store's name on the attract screen

	// Managers, when set, checks staff PINs instead (a senior cashier or administrator; kiosk_staff.go).
	Managers KioskManagers
}

// BasketPrinter prints a kiosk basket's slip with its QR code.
type BasketPrinter func(ctx context.Context, b kiosk.Basket, payload string) error

// The stand's views.
const (
	kioskAttract  = "attract"
	kioskCard     = "card"
	kioskOnline   = "online"
	kioskBasket   = "basket"
	kioskBasketQR = "basketqr"
	kioskCode     = "code"
	kioskPIN      = "pin"
	kioskManager  = "manager"
	kioskMessage  = "message"
)

// KioskScreen is the customers' price checker (UI.md §5.2): full screen, touch first, in large type. A
// scanner types into a hidden focused sink; everything else is a tap. It keeps the visit in memory only
// and forgets it at the idle reset.
type KioskScreen struct {
	w       fyne.Window
	d       KioskDeps
	l       Lang
	k       *kiosk.Kiosk
	clock   kiosk.Clock
	session *kiosk.Session
	idle    *kiosk.Idle
	theme   *kioskTheme
	ctx     context.Context

	over               *container.ThemeOverride
	main, header, body *fyne.Container
	banner             *fyne.Container
	bannerText         *widget.Label
	bannerBar          *canvas.Rectangle
	sink               *scanSink
	corner             *tapArea

	view, prev   string
	buttons      map[string]*widget.Button
	card         kiosk.Card
	onlineURL    string // the "continue online" link on screen
	onlineBasket bool   // of the basket, not of the card's product
	notice       string
	qr           *canvas.Image
	qrText       string
	basketQR     kiosk.Basket
	code         string // typed on the keypad
	keypadNote   string
	message      [2]string
	printNote    string
	printing     bool // a slip is on its way to the printer
	lastTouch    time.Time
	cornerTaps   []time.Time
	slide        int
	stopSlide    func() bool
	jobs         atomic.Int32 // prints not yet drawn (tests wait for 0)
}

// NewKiosk builds the stand's screen in w, on its attract view.
func NewKiosk(w fyne.Window, d KioskDeps) *KioskScreen {
	if d.Idle <= 0 {
		d.Idle = DefaultKioskIdle
	}
	if d.Warning <= 0 {
		d.Warning = DefaultKioskWarning
	}
	s := &KioskScreen{w: w, d: d, l: d.Lang, k: d.Kiosk, clock: d.Kiosk.Clock(), theme: newKioskTheme(),
		ctx: context.Background()}
	s.session = s.k.NewSession()
	s.idle = kiosk.NewIdle(s.clock, d.Idle, d.Warning,
		func(left time.Duration) { fyne.Do(func() { s.warn(left) }) },
		func() { fyne.Do(s.idleReset) })
	s.build()
	s.show(kioskAttract)
	return s
}

// Start gives the screen the context its background work (printing) runs under.
func (s *KioskScreen) Start(ctx context.Context) { s.ctx = ctx }

// View names what the stand shows: "attract", "card", "online", "basket", "basketqr", "code", "pin",
// "manager" or "message".
func (s *KioskScreen) View() string { return s.view }

// Sink is the hidden input a keyboard-wedge scanner types into (tests type into it).
func (s *KioskScreen) Sink() fyne.Focusable { return s.sink }

// Button returns a button of the current view by its id ("add", "continue", "basket", "key.1" …), or nil.
func (s *KioskScreen) Button(id string) *widget.Button { return s.buttons[id] }

// Corner is the hidden top-right tap area of the manager's gesture.
func (s *KioskScreen) Corner() fyne.Tappable { return s.corner }

// QR is the QR code on screen and the text it encodes, or nil.
func (s *KioskScreen) QR() (image.Image, string) {
	if s.qr == nil {
		return nil, ""
	}
	return s.qr.Image, s.qrText
}

// Basket is the visit's basket.
func (s *KioskScreen) Basket() []kiosk.BasketLine { return s.session.Lines() }

// Banner is the idle countdown's text, "" when hidden.
func (s *KioskScreen) Banner() string {
	if !s.banner.Visible() {
		return ""
	}
	return s.bannerText.Text
}

// Busy reports whether a print is still running.
func (s *KioskScreen) Busy() bool { return s.jobs.Load() > 0 }

// Scan shows the product of a scanned code: from the sink, or from a serial scanner through fyne.Do.
func (s *KioskScreen) Scan(text string) {
	s.touch()
	text = s.d.Wedge.Repair(text)
	card, err := s.k.Scan(text)
	if err != nil {
		s.fail(err)
		return
	}
	s.showCard(card)
}

func (s *KioskScreen) showCard(c kiosk.Card) {
	s.card = c
	s.notice = ""
	s.show(kioskCard)
}

// fail explains a scan that found nothing, kindly, with a way to a human.
func (s *KioskScreen) fail(err error) {
	switch {
	case errors.Is(err, pos.ErrInvalidBarcode):
		s.message = [2]string{s.l.T("kiosk.misread"), s.l.T("kiosk.misread.hint")}
	case errors.Is(err, pos.ErrUnknownBarcode), errors.Is(err, pos.ErrProductNotFound):
		s.message = [2]string{s.l.T("kiosk.unknown"), s.l.T("kiosk.unknown.hint")}
	case errors.Is(err, kiosk.ErrBasketCode):
		s.message = [2]string{s.l.T("kiosk.basketcode"), s.l.T("kiosk.basketcode.hint")}
	case errors.Is(err, kiosk.ErrNotProduct):
		s.message = [2]string{s.l.T("kiosk.notproduct"), s.l.T("kiosk.unknown.hint")}
	default:
		s.message = [2]string{s.l.T("kiosk.error"), s.l.T("kiosk.unknown.hint")}
	}
	s.show(kioskMessage)
}

// RequestExit asks for the manager's PIN (the window's close button, Alt+F4).
func (s *KioskScreen) RequestExit() {
	s.touch()
	s.openPIN()
}

func (s *KioskScreen) openPIN() {
	if s.view != kioskPIN && s.view != kioskManager {
		s.prev = s.view
	}
	s.code, s.keypadNote = "", ""
	s.show(kioskPIN)
}

// touch is the customer's activity: the idle countdown starts again and its warning goes.
func (s *KioskScreen) touch() {
	s.lastTouch = s.clock.Now()
	if s.banner.Visible() {
		s.banner.Hide()
		s.main.Refresh()
	}
	if s.view != kioskAttract {
		s.idle.Touch()
	}
}

// act wraps a button's action: it counts as a touch, and the scanner keeps the focus.
func (s *KioskScreen) act(f func()) func() {
	return func() {
		s.touch()
		f()
		s.focusSink()
	}
}

func (s *KioskScreen) focusSink() { s.w.Canvas().Focus(s.sink) }

// warn shows the countdown; a warning overtaken by a touch is dropped.
func (s *KioskScreen) warn(left time.Duration) {
	if s.clock.Now().Sub(s.lastTouch) < s.d.Idle-s.d.Warning || s.view == kioskAttract {
		return
	}
	s.bannerText.SetText(s.l.T("kiosk.idle", int((left+time.Second-1)/time.Second)))
	s.bannerBar.SetMinSize(fyne.NewSize(kioskBarWidth*float32(left)/float32(s.d.Warning), 12))
	s.bannerBar.Refresh()
	if !s.banner.Visible() {
		s.banner.Show()
		s.main.Refresh()
	}
}

func (s *KioskScreen) idleReset() {
	if s.clock.Now().Sub(s.lastTouch) < s.d.Idle || s.view == kioskAttract {
		return
	}
	s.reset()
}

// reset forgets the visit: basket, language, text size, the product on screen. Nothing of it is kept.
func (s *KioskScreen) reset() {
	s.session.Clear()
	s.card, s.basketQR = kiosk.Card{}, kiosk.Basket{}
	s.code, s.keypadNote, s.notice, s.printNote, s.prev = "", "", "", "", ""
	s.printing = false
	s.qr, s.qrText = nil, ""
	s.l = s.d.Lang
	s.theme.scale = 1
	s.banner.Hide()
	s.idle.Stop()
	s.show(kioskAttract)
}

// show switches to a view and draws it.
func (s *KioskScreen) show(view string) {
	if view != s.view && view != kioskOnline && view != kioskBasketQR {
		s.qr, s.qrText = nil, ""
	}
	s.view = view
	if view == kioskAttract {
		s.idle.Stop()
		s.scheduleSlide()
	} else if !s.idle.Running() {
		s.idle.Touch()
	}
	s.render()
}

// route is what the scanner sink and the canvas do with a shortcut: Ctrl+Alt+K opens the manager's PIN.
func (s *KioskScreen) route(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	if !ok || cs.KeyName != fyne.KeyK || cs.Modifier != fyne.KeyModifierControl|fyne.KeyModifierAlt {
		return false
	}
	s.touch()
	s.openPIN()
	return true
}

// tapCorner counts the manager's taps on the hidden corner.
func (s *KioskScreen) tapCorner() {
	now := s.clock.Now()
	s.touch()
	kept := s.cornerTaps[:0]
	for _, t := range s.cornerTaps {
		if now.Sub(t) < kioskCornerWindow {
			kept = append(kept, t)
		}
	}
	s.cornerTaps = append(kept, now)
	if len(s.cornerTaps) >= kioskCornerTaps {
		s.cornerTaps = nil
		s.openPIN()
	}
}

// tapBackground is a tap on no button: on the attract view it opens the keypad.
func (s *KioskScreen) tapBackground() {
	s.touch()
	if s.view == kioskAttract {
		s.openCode()
	}
	s.focusSink()
}

func (s *KioskScreen) openCode() {
	s.code, s.keypadNote = "", ""
	s.show(kioskCode)
}

// scheduleSlide turns the attract view's tip after kioskSlideEvery.
func (s *KioskScreen) scheduleSlide() {
	if s.stopSlide != nil {
		s.stopSlide()
	}
	s.stopSlide = s.clock.AfterFunc(kioskSlideEvery, func() {
		fyne.Do(func() {
			if s.view != kioskAttract {
				return
			}
			s.slide = (s.slide + 1) % 3
			s.render()
			s.scheduleSlide()
		})
	})
}
