package ui

import (
	"context"
	"image/color"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/staff"
)

// Message line backgrounds: dark enough for the light text of the theme to stay readable.
var (
	errorBackground  = color.NRGBA{R: 0x9b, G: 0x1c, B: 0x1c, A: 0xff}
	noticeBackground = color.NRGBA{R: 0x1b, G: 0x5e, B: 0x20, A: 0xff}
)

// shiftWarnAge is when the header starts warning that the 24-hour limit approaches.
const shiftWarnAge = 22 * time.Hour

// SyncInfo is the state of the sync with the backend, for the status bar.
type SyncInfo struct {
	Online       bool
	Unauthorized bool
	BadCert      bool // the hub's TLS certificate is not trusted
	Unsent       int
	Oldest       time.Time // the oldest unsent event
	DeadLetters  int
	LastSuccess  time.Time
}

// CardTerminal charges a bank card and returns the bank's approval code or RRN. An integrated terminal
// implements it; without one the cashier confirms a standalone terminal's approval by hand.
type CardTerminal interface {
	Charge(ctx context.Context, amount pos.Money) (approval string, err error)
}

// Tape is the emulated register's paper tape, shown beside the cart in demo mode.
type Tape interface {
	Tape() string
	OnTape(func(line string))
}

// TillDeps wires the till screen.
type TillDeps struct {
	Till     *checkout.Till
	Lang     Lang
	Cashier  string
	Sync     func() SyncInfo // may be nil
	SyncNow  func()          // may be nil
	Tape     Tape            // may be nil (a real register)
	Now      func() time.Time
	Recovery checkout.Recovery // what start-up recovery did, shown once
	Scale    Scale             // may be nil: weights come from labels or n*
	Display  CustomerDisplay   // may be nil
	// Card is an integrated bank terminal; nil means a standalone one whose approval the cashier types.
	Card CardTerminal
	// Slips prints the shift summary after the Z report and from F12; nil without a receipt printer.
	Slips SlipPrinter
	// Wedge repairs what a keyboard-wedge scanner types (its GS substitute, the Russian layout) before a
	// scan is classified; the zero value changes nothing, and marking codes always get the layout fix.
	Wedge barcode.WedgeRepair
	// RecoverErr is why start-up recovery could not finish (the register did not answer): the screen
	// says so and retries on Enter, and nothing is sold until it succeeds.
	RecoverErr error
	// DeadLetters lists and retries the events the backend rejected (F12); may be nil.
	DeadLetters DeadLetters
	// Staff is the users and their PINs (till_staff.go): a login first, a senior's PIN for refunds, storno
	// after Подытог, the Z report. Nil: no login, everything allowed. LoginHint is shown on the login screen;
	// OnCashier hears each login (the register's cashier INN).
	Staff     Staff
	LoginHint string
	OnCashier func(staff.User)
	// Cash registers Внесение and Изъятие (F12, cash.go); nil hides them.
	Cash CashDrawer
	// Devices is F12 «Настройки оборудования» (devices.go); nil hides it.
	Devices DeviceSettings
}

// TillScreen is the cashier's screen (UI.md §5.1).
type TillScreen struct {
	w    fyne.Window
	d    TillDeps
	l    Lang
	till *checkout.Till

	input      *PosEntry
	qtyLabel   *widget.Label
	message    *widget.Label
	messageBox *fyne.Container
	table      *widget.Table
	lines      []pos.Line
	selected   int
	modeLabel  *widget.Label
	shiftLabel *widget.Label
	userLabel  *widget.Label
	kktLabel   *widget.Label
	netLabel   *widget.Label
	clock      *widget.Label
	lastLabel  *widget.Label
	countLabel *widget.Label
	total      *canvas.Text
	change     *canvas.Text
	tapeText   *widget.TextGrid
	tapeScroll *container.Scroll

	pendingQty pos.Qty
	displayCh  chan [2]string
	busy       atomic.Int32 // device work running off the UI goroutine; while > 0 keys wait and the cart is not read
	jobs       atomic.Int32 // background jobs not yet drawn on screen (tests wait for 0)
	modal      dialog.Dialog
	regState   pos.RegisterState
	regErr     error
	regKnown   bool
	buyerLabel *widget.Label // the electronic receipt's contact (F9)
	loyalty    *loyaltyPanel // the loyalty customer (F9, loyalty.go)
	paper      paperPrompt   // the register waits for a new roll

	gated         // login, senior's PIN and the content kept behind the login (screen_gate.go)
	subtotal bool // Подытог was opened for this receipt: a storno needs a senior from now on
}

// NewTill builds the till screen in w.
func NewTill(w fyne.Window, d TillDeps) *TillScreen {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &TillScreen{w: w, d: d, l: d.Lang, till: d.Till, selected: -1}
	s.build()
	s.refresh()
	if !s.startGate() { // till_staff.go: the login comes first, recovery is reported after it
		s.reportRecovery(d.Recovery, d.RecoverErr)
	}
	return s
}

// Input is the scan field (tests type into it).
func (s *TillScreen) Input() *PosEntry { return s.input }

// Lines is what the cart table shows.
func (s *TillScreen) Lines() []pos.Line { return s.lines }

// Busy reports whether a payment is at the register.
func (s *TillScreen) Busy() bool { return s.jobs.Load() > 0 }

// Message is the text of the message line (errors and notices).
func (s *TillScreen) Message() string { return s.message.Text }

func (s *TillScreen) build() {
	s.input = NewPosEntry(s)
	s.input.SetPlaceHolder(s.l.T("input.hint"))
	s.qtyLabel = widget.NewLabel("")
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.TextStyle = fyne.TextStyle{Bold: true}
	s.messageBox = container.NewStack(canvas.NewRectangle(errorBackground), container.NewPadded(s.message))
	s.messageBox.Hide()

	s.modeLabel = widget.NewLabelWithStyle(s.l.T("mode.sale"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.shiftLabel = widget.NewLabel("")
	s.userLabel = widget.NewLabel("")
	s.kktLabel = widget.NewLabel(s.l.T("kkt.wait"))
	s.netLabel = widget.NewLabel("")
	s.clock = widget.NewLabel("")
	header := container.NewVBox(
		container.NewHBox(s.modeLabel, s.shiftLabel, s.userLabel),
		container.NewHBox(s.kktLabel, widget.NewSeparator(), s.netLabel, layoutSpacer(), s.clock),
	)

	s.table = s.newCartTable()
	s.lastLabel = widget.NewLabel("")
	s.countLabel = widget.NewLabel("")
	s.buyerLabel = widget.NewLabel("")
	s.buyerLabel.Hide()
	s.loyalty = s.newLoyaltyPanel()
	s.total = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.total.TextSize = 36
	s.total.TextStyle = fyne.TextStyle{Bold: true}
	s.total.Alignment = fyne.TextAlignTrailing
	s.change = canvas.NewText("", theme.Color(theme.ColorNameSuccess))
	s.change.TextSize = 28
	s.change.TextStyle = fyne.TextStyle{Bold: true}
	s.change.Alignment = fyne.TextAlignTrailing
	totals := container.NewPadded(container.NewBorder(nil, nil,
		container.NewVBox(s.lastLabel, s.countLabel, s.buyerLabel), nil,
		container.NewVBox(s.total, s.change)))

	inputRow := container.NewBorder(nil, nil,
		widget.NewLabelWithStyle(s.l.T("input"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.qtyLabel, s.input)
	bottom := container.NewVBox(widget.NewSeparator(), totals, s.loyalty.box, s.messageBox, inputRow, s.keyBar())

	center := fyne.CanvasObject(s.table)
	if s.d.Tape != nil {
		center = s.withTape(s.table)
	}
	s.w.SetContent(container.NewBorder(container.NewVBox(header, widget.NewSeparator()), bottom, nil, nil, center))
	if s.tapeScroll != nil {
		s.tapeScroll.ScrollToBottom()
	}
	s.w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { s.RouteKey(ev) })
	s.w.Canvas().Focus(s.input)
}

func layoutSpacer() fyne.CanvasObject { return container.NewStack() }

// keyBar is the bottom panel of hotkeys; each is also a button for touch screens. Two rows of five keep
// every label whole in a 1280-pixel window.
func (s *TillScreen) keyBar() fyne.CanvasObject {
	b := func(key string, f func()) *widget.Button {
		return widget.NewButton(s.l.T(key), func() { f(); s.focusInput() })
	}
	return container.NewGridWithColumns(5,
		b("key.help", s.showHelp),
		b("key.search", s.openSearch),
		b("key.refund", s.openRefund),
		b("key.deferred", s.openDeferred),
		b("key.defer", s.deferReceipt),
		b("key.discount", func() { s.openDiscount(false) }),
		b("key.storno", s.confirmStorno),
		b("key.customer", s.openCustomer),
		b("key.service", s.openService),
		widget.NewButtonWithIcon(s.l.T("key.pay"), theme.ConfirmIcon(), s.openPayment),
	)
}

// withTape puts the emulated register's paper tape beside the cart, in monospace like the real roll.
func (s *TillScreen) withTape(cart fyne.CanvasObject) fyne.CanvasObject {
	s.tapeText = widget.NewTextGridFromString(strings.TrimRight(s.d.Tape.Tape(), "\n"))
	// The grid scrolls by itself since Fyne 2.6; inside our scroller it must report its whole height, or
	// ScrollToBottom stops short of the lines just printed.
	s.tapeText.Scroll = fyne.ScrollNone
	s.tapeScroll = container.NewVScroll(s.tapeText)
	s.d.Tape.OnTape(func(line string) {
		fyne.Do(func() {
			s.tapeText.Append(line)
			s.tapeScroll.ScrollToBottom()
		})
	})
	title := widget.NewLabelWithStyle(s.l.T("tape.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	split := container.NewHSplit(cart, container.NewBorder(title, nil, nil, nil, s.tapeScroll))
	split.SetOffset(0.68)
	return split
}

// reportRecovery says what start-up recovery did, or offers to run it again.
func (s *TillScreen) reportRecovery(rep checkout.Recovery, err error) {
	if err != nil {
		s.showError(err, s.recoverAgain)
		return
	}
	if rep.Total() > 0 {
		s.info(s.l.T("recovered", len(rep.Completed), len(rep.Refiscalised), len(rep.Cancelled)))
	}
}

func (s *TillScreen) recoverAgain() {
	var rep checkout.Recovery
	s.background(s.l.T("service.resolve"), func(ctx context.Context) (err error) {
		rep, err = s.till.Recover(ctx)
		return err
	}, func(err error) { s.reportRecovery(rep, err) })
}

func (s *TillScreen) focusInput() { s.w.Canvas().Focus(s.input) }

// refresh redraws the cart, the totals and the header from the till, unless the register is working
// for the till on another goroutine. UI goroutine only.
func (s *TillScreen) refresh() {
	if s.busy.Load() > 0 { // the register or the scale is working for the till on another goroutine
		s.refreshHeader()
		return
	}
	s.redraw()
}

// redraw is refresh without the busy check, for the callbacks that end the register's work.
func (s *TillScreen) redraw() {
	s.showLoyalty() // first: it fits the customer's points to the receipt as it stands
	s.lines = s.till.Cart().Lines()
	s.subtotal = s.subtotal && !s.till.Cart().Empty()
	if s.selected >= len(s.lines) {
		s.selected = len(s.lines) - 1
	}
	t := s.till.Cart().Totals()
	s.total.Text = s.l.T("total") + "  " + t.Total.String() + " ₽"
	s.total.Refresh()
	s.countLabel.SetText(s.l.T("lines", t.Lines) + "   " + s.l.T("discount", t.Discount.String()))
	s.showBuyer()
	s.table.Refresh()
	if s.selected >= 0 {
		s.table.ScrollTo(widget.TableCellID{Row: s.selected, Col: 0})
	}
	s.refreshHeader()
}

func (s *TillScreen) refreshHeader() {
	now := s.d.Now()
	s.clock.SetText(now.Format("15:04"))
	sh, open := s.till.Shift()
	cashier := s.d.Cashier
	switch {
	case open && s.till.ShiftExpired():
		s.shiftLabel.Importance = widget.DangerImportance
		s.shiftLabel.SetText(s.l.T("shift.expired", sh.Number))
	case open:
		s.shiftLabel.Importance = widget.MediumImportance
		if now.Sub(sh.OpenedAt) > shiftWarnAge {
			s.shiftLabel.Importance = widget.WarningImportance
		}
		s.shiftLabel.SetText(s.l.T("shift.open", sh.Number, sh.OpenedAt.Format("02.01 15:04"), age(s.l, now.Sub(sh.OpenedAt))))
		cashier = sh.Cashier
	default:
		s.shiftLabel.Importance = widget.WarningImportance
		s.shiftLabel.SetText(s.l.T("shift.none"))
	}
	s.userLabel.SetText(s.l.T("cashier", cashier))
	showRegister(s.kktLabel, s.l, s.regKnown, s.regErr, s.regState)
}

// fail shows an error on the message line (scans) without a modal: the cashier keeps scanning.
func (s *TillScreen) fail(err error) {
	m := Explain(s.l, err)
	text := m.Text
	if m.Action != "" {
		text += " " + m.Action
	}
	if m.Detail != "" {
		text += "  [" + m.Detail + "]"
	}
	s.message.SetText(text)
	s.messageBox.Objects[0].(*canvas.Rectangle).FillColor = errorBackground
	s.messageBox.Refresh()
	s.messageBox.Show()
}

// info shows a notice on the message line.
func (s *TillScreen) info(text string) {
	s.message.SetText(text)
	s.messageBox.Objects[0].(*canvas.Rectangle).FillColor = noticeBackground
	s.messageBox.Refresh()
	s.messageBox.Show()
}

func (s *TillScreen) clearMessage() {
	s.messageBox.Hide()
	s.change.Text = ""
	s.change.Refresh()
}
