package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// tillTheme is Fyne's default theme held to its dark variant: the message line's colours, the big totals
// and the paper tape are designed for light text on a dark ground, whatever the OS prefers.
type tillTheme struct{ fyne.Theme }

// Theme returns the till's theme.
func Theme() fyne.Theme { return tillTheme{theme.DefaultTheme()} }

func (t tillTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantDark)
}
