package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// kioskTheme is the stand's theme: light, for a bright sales floor, with type sized for reading at arm's
// length (UI.md §4: body ≥ 18 pt, headlines ≥ 36 pt at about a metre) and touch targets well above 48 dp.
// scale is the customer's "Aa+" choice.
type kioskTheme struct {
	base  fyne.Theme
	scale float32
}

// kioskLarge is how much "Aa+" enlarges the type.
const kioskLarge = 1.25

func newKioskTheme() *kioskTheme { return &kioskTheme{base: theme.DefaultTheme(), scale: 1} }

var kioskSizes = map[fyne.ThemeSizeName]float32{
	theme.SizeNameText:               24,
	theme.SizeNameSubHeadingText:     30,
	theme.SizeNameHeadingText:        40,
	theme.SizeNameCaptionText:        18,
	theme.SizeNamePadding:            6,
	theme.SizeNameInnerPadding:       14,
	theme.SizeNameInlineIcon:         32,
	theme.SizeNameScrollBar:          20,
	theme.SizeNameScrollBarSmall:     8,
	theme.SizeNameInputRadius:        10,
	theme.SizeNameSelectionRadius:    10,
	theme.SizeNameLineSpacing:        4,
	theme.SizeNameSeparatorThickness: 2,
}

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	if s, ok := kioskSizes[n]; ok {
		switch n {
		case theme.SizeNameText, theme.SizeNameSubHeadingText, theme.SizeNameHeadingText,
			theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
			return s * t.scale
		}
		return s
	}
	return t.base.Size(n)
}

func (t *kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.base.Color(n, theme.VariantLight)
}

func (t *kioskTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base.Font(s) }

func (t *kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

// kioskDense is the kiosk theme with a tighter inner padding (and, when text is set, another body size) for
// blocks of text: a label keeps its type size but not the button-sized margins around it.
type kioskDense struct {
	*kioskTheme
	pad  float32
	text float32 // 0: the kiosk's
}

// kioskDensePad is the inner padding of the card's text blocks.
const kioskDensePad = 4

func (t *kioskDense) Size(n fyne.ThemeSizeName) float32 {
	switch {
	case n == theme.SizeNameInnerPadding:
		return t.pad
	case n == theme.SizeNameText && t.text > 0:
		return t.text * t.scale
	}
	return t.kioskTheme.Size(n)
}

// Colours of the price boxes and the banners: dark enough for white text, the store's box neutral and
// the online box green, as shelf tags of Russian chains mark an online price.
var (
	kioskStoreBox   = color.NRGBA{R: 0xec, G: 0xef, B: 0xf1, A: 0xff}
	kioskOnlineBox  = color.NRGBA{R: 0xe3, G: 0xf4, B: 0xe4, A: 0xff}
	kioskAgeBox     = color.NRGBA{R: 0xfd, G: 0xe7, B: 0xe5, A: 0xff}
	kioskGreen      = color.NRGBA{R: 0x1b, G: 0x5e, B: 0x20, A: 0xff}
	kioskRed        = color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff}
	kioskInk        = color.NRGBA{R: 0x21, G: 0x21, B: 0x21, A: 0xff}
	kioskGrey       = color.NRGBA{R: 0x55, G: 0x5f, B: 0x66, A: 0xff}
	kioskWarnBanner = color.NRGBA{R: 0xff, G: 0xe0, B: 0x82, A: 0xff}
	kioskBlue       = color.NRGBA{R: 0x0d, G: 0x47, B: 0xa1, A: 0xff}
	kioskWhite      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)
