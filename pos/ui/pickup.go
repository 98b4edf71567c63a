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
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/pos/staff"
)

// PickupSlipPrinter prints the pickup slip (the customer's acknowledgment) on the receipt printer. Its errors
// are those of SlipPrinter.
type PickupSlipPrinter interface {
	PrintPickupSlip(ctx context.Context, s pickup.Slip) error
}

// PickupDeps wires the pickup desk's screen.
type PickupDeps struct {
	Desk    *pickup.Desk
	Till    *checkout.Till // the register's state and the shift (F12)
	Lang    Lang
	Sync    func() SyncInfo // may be nil
	SyncNow func()          // may be nil
	Tape    Tape            // may be nil (a real register)
	Slips   PickupSlipPrinter
	Now     func() time.Time
	// Recovery is what the desk's start-up recovery did with unfinished hand-overs; RecoverErr why it failed.
	Recovery   pickup.Recovery
	RecoverErr error
	// Staff, LoginHint, OnCashier: the login of the desk's operator (pickup_staff.go), as TillDeps.
	Staff     Staff
	LoginHint string
	OnCashier func(staff.User)
}

// PickupScreen is the click&collect desk (UI.md §5.3): the orders waiting, the scan field for the
// customer's QR or the order number, and the order's lines with scanned/ordered counts.
type PickupScreen struct {
	w    fyne.Window
	d    PickupDeps
	l    Lang
	desk *pickup.Desk

	input      *PosEntry
	message    *widget.Label
	messageBox *fyne.Container
	staffLabel *widget.Label
	shiftLabel *widget.Label
	kktLabel   *widget.Label
	netLabel   *widget.Label
	countLabel *widget.Label
	clock      *widget.Label
	hint       *widget.Label
	summary    *widget.Label
	orderTitle *widget.Label
	orderInfo  *widget.Label
	orderPay   *widget.Label
	orderWarn  *widget.Label
	listTable  *widget.Table
	lineTable  *widget.Table
	listView   fyne.CanvasObject
	orderView  fyne.CanvasObject

	listing  pickup.Listing
	selOrder int
	v        *pickup.Verification
	selLine  int
	last     *handedOver // the last hand-over, for F9

	modal    dialog.Dialog
	jobs     atomic.Int32
	regState pos.RegisterState
	regErr   error
	regKnown bool

	gated // login, senior's PIN and the content kept behind the login (screen_gate.go)
}

type handedOver struct {
	res   pickup.Result
	order pickup.Order
}

// NewPickup builds the pickup desk's screen in w.
func NewPickup(w fyne.Window, d PickupDeps) *PickupScreen {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &PickupScreen{w: w, d: d, l: d.Lang, desk: d.Desk}
	s.build()
	s.reload()
	if !s.startGate() { // pickup_staff.go: the login first, recovery reported after it
		s.reportRecovery(d.Recovery, d.RecoverErr)
	}
	return s
}

// Input is the scan field (tests type into it).
func (s *PickupScreen) Input() *PosEntry { return s.input }

// Message is the text of the message line.
func (s *PickupScreen) Message() string { return s.message.Text }

// Verification is the order on the desk, nil when none is open.
func (s *PickupScreen) Verification() *pickup.Verification { return s.v }

// Listing is the list of orders waiting as last read.
func (s *PickupScreen) Listing() pickup.Listing { return s.listing }

// Busy reports whether the register is working for the desk.
func (s *PickupScreen) Busy() bool { return s.jobs.Load() > 0 }

func (s *PickupScreen) build() {
	s.input = NewPosEntry(s)
	s.input.SetPlaceHolder(s.l.T("pk.input.hint"))
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.TextStyle = fyne.TextStyle{Bold: true}
	s.messageBox = container.NewStack(canvas.NewRectangle(errorBackground), container.NewPadded(s.message))
	s.messageBox.Hide()

	mode := widget.NewLabelWithStyle(s.l.T("pk.mode"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.staffLabel = widget.NewLabel(s.l.T("pk.staff", s.desk.Staff()))
	s.shiftLabel = widget.NewLabel("")
	s.kktLabel = widget.NewLabel(s.l.T("kkt.wait"))
	s.netLabel = widget.NewLabel("")
	s.countLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.clock = widget.NewLabel("")
	header := container.NewVBox(
		container.NewHBox(mode, s.staffLabel, s.shiftLabel, layoutSpacer(), s.countLabel),
		container.NewHBox(s.kktLabel, widget.NewSeparator(), s.netLabel, layoutSpacer(), s.clock),
	)
	s.hint = widget.NewLabel("")
	s.hint.SizeName = theme.SizeNameCaptionText
	inputRow := container.NewBorder(nil, s.hint,
		widget.NewLabelWithStyle(s.l.T("pk.input"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, s.input)

	s.listTable = s.newListTable()
	s.lineTable = s.newLineTable()
	s.orderTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.orderInfo = widget.NewLabel("")
	s.orderPay = widget.NewLabel("")
	s.orderWarn = widget.NewLabel("")
	s.orderWarn.Importance = widget.WarningImportance
	s.listView = fitted(s.listTable, listColumns)
	s.orderView = container.NewBorder(container.NewVBox(s.orderTitle, s.orderInfo, s.orderPay, s.orderWarn,
		widget.NewSeparator()), nil, nil, nil, fitted(s.lineTable, lineColumns))
	center := container.NewStack(s.listView, s.orderView)
	if s.d.Tape != nil {
		center = container.NewStack(s.withTape(center))
	}
	s.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bottom := container.NewVBox(widget.NewSeparator(), s.summary, s.messageBox, s.keyBar())
	top := container.NewVBox(header, widget.NewSeparator(), inputRow, widget.NewSeparator())
	s.w.SetContent(container.NewBorder(top, bottom, nil, nil, center))
	s.w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { s.RouteKey(ev) })
	s.focusInput()
}

// withTape puts the emulated register's tape beside the desk, as on the till, at the width of a receipt
// line. The tape scrolls both ways inside that width: a vertical-only scroll took the widest line printed as
// its least width, and the panel grew over the desk's columns after the first receipt.
func (s *PickupScreen) withTape(main fyne.CanvasObject) fyne.CanvasObject {
	grid := widget.NewTextGridFromString(strings.TrimRight(s.d.Tape.Tape(), "\n"))
	grid.Scroll = fyne.ScrollNone
	scroll := container.NewScroll(grid)
	s.d.Tape.OnTape(func(line string) {
		fyne.Do(func() {
			grid.Append(line)
			scroll.ScrollToBottom()
		})
	})
	title := widget.NewLabelWithStyle(s.l.T("tape.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(tapeWidth(), 0))
	// The title sits above a separator: lines scrolled half out of the tape's top no longer run into it.
	tape := container.NewStack(width, container.NewBorder(container.NewVBox(title, widget.NewSeparator()), nil, nil, nil, scroll))
	return container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewSeparator(), tape), main)
}

// tapeColumns is the width of the emulated register's tape, in characters (a 57 mm roll).
const tapeColumns = 36

// tapeWidth is the width of a tape line in the text grid's monospace type, with the scroll bar beside it.
func tapeWidth() float32 {
	w := fyne.MeasureText(strings.Repeat("0", tapeColumns), theme.TextSize(), fyne.TextStyle{Monospace: true}).Width
	return w + theme.ScrollBarSize() + 2*theme.Padding()
}

func (s *PickupScreen) keyBar() fyne.CanvasObject {
	b := func(key string, f func()) *widget.Button {
		return widget.NewButton(s.l.T(key), func() {
			if !s.Busy() {
				f()
			}
			s.focusInput()
		})
	}
	return container.NewGridWithColumns(6,
		b("pk.key.list", s.showList),
		b("pk.key.refuse", s.openRefuse),
		b("pk.key.print", s.reprint),
		b("pk.key.handover", s.handOver),
		b("pk.key.service", s.openService),
		b("pk.key.cancel", s.escape),
	)
}

func (s *PickupScreen) focusInput() { s.w.Canvas().Focus(s.input) }

// reload reads the waiting orders again and redraws.
func (s *PickupScreen) reload() {
	l, err := s.desk.Waiting()
	if err != nil {
		s.fail(err)
	} else {
		s.listing = l
	}
	if s.selOrder >= len(s.listing.Orders) {
		s.selOrder = len(s.listing.Orders) - 1
	}
	s.redraw()
}

// redraw shows the list or the open order, the summary and the header.
func (s *PickupScreen) redraw() {
	if s.v == nil {
		s.orderView.Hide()
		s.listView.Show()
		s.hint.SetText(s.l.T("pk.list.hint"))
		s.summary.SetText("")
		if len(s.listing.Orders) == 0 {
			s.summary.SetText(s.l.T("pk.empty"))
		}
		s.listTable.Refresh()
	} else {
		s.listView.Hide()
		s.orderView.Show()
		s.hint.SetText(s.l.T("pk.scan.hint"))
		s.showOrder()
		s.lineTable.Refresh()
	}
	s.refreshHeader()
}

func (s *PickupScreen) refreshHeader() {
	now := s.d.Now()
	s.clock.SetText(now.Format("15:04"))
	txt := s.l.T("pk.count", len(s.listing.Orders))
	if s.listing.Overdue > 0 {
		txt += "   " + s.l.T("pk.overdue", s.listing.Overdue)
	}
	if s.listing.ExpiringToday > 0 {
		txt += "   " + s.l.T("pk.today", s.listing.ExpiringToday)
	}
	s.countLabel.SetText(txt)
	if s.d.Till != nil {
		sh, open := s.d.Till.Shift()
		switch {
		case open && s.d.Till.ShiftExpired():
			s.shiftLabel.Importance = widget.DangerImportance
			s.shiftLabel.SetText(s.l.T("shift.expired", sh.Number))
		case open:
			s.shiftLabel.Importance = widget.MediumImportance
			s.shiftLabel.SetText(s.l.T("shift.open", sh.Number, sh.OpenedAt.Format("02.01 15:04"), age(s.l, now.Sub(sh.OpenedAt))))
		default:
			s.shiftLabel.Importance = widget.MediumImportance
			s.shiftLabel.SetText(s.l.T("shift.none"))
		}
	}
	showRegister(s.kktLabel, s.l, s.regKnown, s.regErr, s.regState)
}

// Start polls the register, the sync state and the pulled orders until ctx ends.
func (s *PickupScreen) Start(ctx context.Context) {
	ask := func(n int) bool { return n%5 == 0 && !s.Busy() && s.d.Till != nil }
	register := func(ctx context.Context) (pos.RegisterState, error) { return s.d.Till.RegisterState(ctx) }
	pollStatus(ctx, s.d.Sync, ask, register, func(n int, info *SyncInfo, reg *registerAnswer) {
		if reg != nil {
			s.regState, s.regErr, s.regKnown = reg.st, reg.err, true
		}
		if info != nil {
			s.showSync(*info)
		}
		if n%5 == 0 && s.v == nil && s.modal == nil && !s.Busy() {
			s.reload() // orders pulled meanwhile
			return
		}
		s.refreshHeader()
	})
}

func (s *PickupScreen) showSync(i SyncInfo) {
	txt := s.l.T("net.online")
	s.netLabel.Importance = widget.SuccessImportance
	switch {
	case i.Unauthorized:
		txt, s.netLabel.Importance = s.l.T("net.unauth"), widget.DangerImportance
	case i.BadCert:
		txt, s.netLabel.Importance = s.l.T("net.cert"), widget.DangerImportance
	case !i.Online:
		txt, s.netLabel.Importance = s.l.T("net.offline"), widget.WarningImportance
	}
	if i.Unsent > 0 {
		txt += " · " + s.l.T("net.unsent", i.Unsent, age(s.l, s.d.Now().Sub(i.Oldest)))
	} else {
		txt += " · " + s.l.T("net.allsent")
	}
	s.netLabel.SetText(txt)
}

// fail shows an error on the message line; the staff keeps scanning.
func (s *PickupScreen) fail(err error) {
	m := explainPickup(s.l, err)
	text := m.Text
	if m.Action != "" {
		text += " " + m.Action
	}
	if m.Detail != "" {
		text += "  [" + m.Detail + "]"
	}
	s.setMessage(text, errorBackground)
}

// info shows a notice on the message line.
func (s *PickupScreen) info(text string) { s.setMessage(text, noticeBackground) }

func (s *PickupScreen) setMessage(text string, bg color.Color) {
	s.message.SetText(text)
	s.messageBox.Objects[0].(*canvas.Rectangle).FillColor = bg
	s.messageBox.Refresh()
	s.messageBox.Show()
}

func (s *PickupScreen) clearMessage() { s.messageBox.Hide() }

func (s *PickupScreen) reportRecovery(rep pickup.Recovery, err error) {
	if err != nil {
		s.fail(err)
		return
	}
	if n := len(rep.Finished) + len(rep.Dropped); n > 0 {
		s.info(s.l.T("pk.recovered", len(rep.Finished), len(rep.Dropped)))
	}
}
