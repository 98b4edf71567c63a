package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/kassa-pos/kassa/pos"
)

// scanSink is the stand's hidden input: an invisible focusable widget that collects what a keyboard-wedge
// scanner types until Enter, and passes Ctrl/Alt shortcuts on. The canvas sends it the keys too when a
// tap took the focus away.
type scanSink struct {
	widget.BaseWidget
	buf        []rune
	onScan     func(text string)
	onShortcut func(fyne.Shortcut) bool
	// onKey may take a key first (the on-screen keypad's view takes digits, Enter and Backspace).
	onKey func(key fyne.KeyName, r rune) bool
}

// maxSinkRunes bounds what waits for Enter: above the longest code the kiosk reads (a basket QR).
const maxSinkRunes = 2048

func newScanSink(onScan func(string), onShortcut func(fyne.Shortcut) bool) *scanSink {
	k := &scanSink{onScan: onScan, onShortcut: onShortcut}
	k.ExtendBaseWidget(k)
	return k
}

func (k *scanSink) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}
func (k *scanSink) MinSize() fyne.Size { return fyne.NewSize(0, 0) }
func (k *scanSink) FocusGained()       {}
func (k *scanSink) FocusLost()         {}

func (k *scanSink) TypedRune(r rune) {
	if k.onKey != nil && k.onKey("", r) {
		return
	}
	if len(k.buf) < maxSinkRunes {
		k.buf = append(k.buf, r)
	}
}

func (k *scanSink) TypedKey(ev *fyne.KeyEvent) {
	if len(k.buf) == 0 && k.onKey != nil && k.onKey(ev.Name, 0) {
		return
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		text := string(k.buf)
		k.buf = k.buf[:0]
		if text != "" {
			k.onScan(text)
		}
	case fyne.KeyBackspace:
		if len(k.buf) > 0 {
			k.buf = k.buf[:len(k.buf)-1]
		}
	case fyne.KeyEscape:
		k.buf = k.buf[:0]
	}
}

func (k *scanSink) TypedShortcut(s fyne.Shortcut) { k.onShortcut(s) }

// tapArea is an invisible tappable area: the background (a tap anywhere) and the manager's corner.
type tapArea struct {
	widget.BaseWidget
	min   fyne.Size
	onTap func()
}

func newTapArea(min fyne.Size, onTap func()) *tapArea {
	a := &tapArea{min: min, onTap: onTap}
	a.ExtendBaseWidget(a)
	return a
}

func (a *tapArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
func (a *tapArea) MinSize() fyne.Size               { return a.min }
func (a *tapArea) Tapped(*fyne.PointEvent)          { a.onTap() }
func (a *tapArea) TappedSecondary(*fyne.PointEvent) { a.onTap() }

// cornerSize is the manager's hidden corner, kept clear of buttons.
var cornerSize = fyne.NewSize(96, 96)

// build lays out the window: a background that catches taps, the header, the current view, the idle
// banner, the corner and the sink; all under the kiosk theme.
func (s *KioskScreen) build() {
	s.sink = newScanSink(s.Scan, s.route)
	s.sink.onKey = s.keyboardKeypad
	s.corner = newTapArea(cornerSize, s.tapCorner)
	s.header = container.NewStack()
	s.body = container.NewStack()
	s.bannerText = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.bannerText.Wrapping = fyne.TextWrapWord
	// The countdown bar is a plain rectangle: widget.ProgressBar draws its rounded ends with the theme's
	// input radius, which the kiosk's large radius makes wider than the bar when it is nearly empty.
	s.bannerBar = canvas.NewRectangle(kioskBlue)
	s.banner = container.NewStack(canvas.NewRectangle(kioskWarnBanner),
		container.NewPadded(container.NewVBox(s.bannerText, container.NewHBox(s.bannerBar))))
	s.banner.Hide()
	s.main = container.NewBorder(s.header, s.banner, nil, nil, s.body)
	main := s.main
	corner := container.NewBorder(container.NewHBox(layout.NewSpacer(), s.corner), nil, nil, nil)
	// The window's own background follows the app's theme (the till's dark one): the stand paints its own.
	ground := canvas.NewRectangle(s.theme.Color(theme.ColorNameBackground, theme.VariantLight))
	// The sink keeps a zero size: a focusable object under the pointer takes the desktop driver's clicks.
	root := container.NewStack(ground, newTapArea(fyne.NewSize(0, 0), s.tapBackground), main, corner,
		container.NewWithoutLayout(s.sink))
	s.over = container.NewThemeOverride(root, s.theme)
	// No window padding: it showed the app theme's dark background as a frame around the stand's own.
	s.w.SetPadded(false)
	s.w.SetContent(s.over)
	s.w.Canvas().SetOnTypedRune(s.sink.TypedRune)
	s.w.Canvas().SetOnTypedKey(s.sink.TypedKey)
	s.w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt},
		func(sc fyne.Shortcut) { s.route(sc) })
}

// render draws the current view afresh: a kiosk view is small, and rebuilding it keeps every view in step
// with the language and text size the customer chose.
func (s *KioskScreen) render() {
	s.buttons = map[string]*widget.Button{}
	var view fyne.CanvasObject
	switch s.view {
	case kioskAttract:
		view = s.attractView()
	case kioskCard:
		view = s.cardView()
	case kioskOnline:
		view = s.onlineView()
	case kioskBasket:
		view = s.basketView()
	case kioskBasketQR:
		view = s.basketQRView()
	case kioskCode, kioskPIN:
		view = s.keypadView(s.view == kioskPIN)
	case kioskManager:
		view = s.managerView()
	default:
		view = s.messageView()
	}
	s.header.Objects = nil
	if s.view != kioskAttract {
		s.header.Objects = []fyne.CanvasObject{s.headerBar()}
	}
	// An empty header left visible still gets the border layout's padding: a white strip above the attract
	// view's blue.
	s.header.Hidden = len(s.header.Objects) == 0
	s.body.Objects = []fyne.CanvasObject{view}
	s.over.Refresh() // the new widgets take the kiosk theme (container.ThemeOverride)
	// Wrapped labels know their height only once laid out at their width: lay the view out again.
	s.body.Refresh()
	s.focusSink()
}

// headerBar: back on the left; the basket, larger type and the language on the right, short of the corner.
func (s *KioskScreen) headerBar() fyne.CanvasObject {
	left := s.button("back", s.l.T("kiosk.back"), widget.MediumImportance, s.back)
	left.SetIcon(theme.NavigateBackIcon())
	var right []fyne.CanvasObject
	if n := s.session.Count(); n > 0 && s.view != kioskBasket && s.view != kioskPIN && s.view != kioskManager {
		right = append(right, s.button("basket", s.l.T("kiosk.basket.btn", n), widget.HighImportance, s.openBasket))
	}
	size := "kiosk.larger"
	if s.Larger() {
		size = "kiosk.smaller"
	}
	right = append(right, s.button("larger", s.l.T(size), widget.LowImportance, s.toggleSize),
		s.button("lang", s.l.T("kiosk.lang"), widget.LowImportance, s.toggleLang))
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(cornerSize.Width, 1))
	right = append(right, gap)
	var middle fyne.CanvasObject
	if s.view == kioskCard { // the card's article and barcode, where the header has room: the card has none
		p := s.card.Product
		meta := s.l.T("kiosk.article", p.ID)
		if len(p.Barcodes) > 0 {
			meta += " · " + p.Barcodes[0]
		}
		m := label(meta, theme.SizeNameCaptionText, false)
		m.Wrapping = fyne.TextWrapOff
		middle = container.NewCenter(m)
	}
	return container.NewPadded(container.NewBorder(nil, nil, left, container.NewHBox(right...), middle))
}

func (s *KioskScreen) back() {
	switch s.view {
	case kioskOnline, kioskPIN, kioskManager:
		if s.prev != "" && s.prev != s.view {
			s.show(s.prev)
			return
		}
	case kioskBasketQR:
		s.show(kioskBasket)
		return
	case kioskBasket:
		if s.card.Product.ID != "" {
			s.show(kioskCard)
			return
		}
	}
	s.show(kioskAttract)
}

func (s *KioskScreen) toggleSize() {
	if s.Larger() {
		s.theme.scale = 1
	} else {
		s.theme.scale = kioskLarge
	}
	s.render()
}

// Larger reports whether the customer chose the larger type.
func (s *KioskScreen) Larger() bool { return s.theme.scale > 1 }

func (s *KioskScreen) toggleLang() {
	if s.l == English {
		s.l = Russian
	} else {
		s.l = English
	}
	s.render()
}

// Language is the language on screen.
func (s *KioskScreen) Language() Lang { return s.l }

// button makes a large button of the current view, registered under id; its tap counts as activity.
func (s *KioskScreen) button(id, text string, imp widget.Importance, f func()) *widget.Button {
	b := widget.NewButton(text, s.act(f))
	b.Importance = imp
	s.buttons[id] = b
	return b
}

// label is wrapped text of a theme size.
func label(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = size
	l.TextStyle = fyne.TextStyle{Bold: bold}
	return l
}

// centered is a wrapped label centred across the width it gets.
func centered(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := label(text, size, bold)
	l.Alignment = fyne.TextAlignCenter
	return l
}

// big is a price or a headline line: larger than any theme size, in its own colour.
func (s *KioskScreen) big(text string, size float32, c color.Color) *canvas.Text {
	t := canvas.NewText(text, c)
	t.TextSize = size * s.theme.scale
	t.TextStyle = fyne.TextStyle{Bold: true}
	return t
}

// inset lines a big text up with the labels beside it, which keep the theme's inner padding.
func inset(o fyne.CanvasObject) fyne.CanvasObject {
	return insetBy(o, kioskSizes[theme.SizeNameInnerPadding])
}

// insetBy lines a big text up with labels of inner padding pad (kioskDense).
func insetBy(o fyne.CanvasObject, pad float32) fyne.CanvasObject {
	return container.New(layout.NewCustomPaddedLayout(0, 0, pad, pad), o)
}

// panel puts content on a coloured ground.
func panel(bg color.Color, content fyne.CanvasObject) fyne.CanvasObject {
	r := canvas.NewRectangle(bg)
	r.CornerRadius = 12
	return container.NewStack(r, container.NewPadded(container.NewPadded(content)))
}

// showQR draws text as a QR code of side px and remembers it for the tests.
func (s *KioskScreen) showQR(text string, px float32) fyne.CanvasObject {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return label(s.l.T("kiosk.error"), theme.SizeNameText, true)
	}
	// Drawn at its on-screen size: go-qrcode gives every module a whole number of pixels, where a larger
	// bitmap scaled down would make modules uneven and phones and scanners misread the code.
	img := canvas.NewImageFromImage(code.Image(int(px)))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScalePixels
	img.SetMinSize(fyne.NewSize(px, px))
	s.qr, s.qrText = img, text
	return container.NewCenter(img)
}

// money is an amount with the rouble sign.
func money(m pos.Money) string { return m.String() + " ₽" }
