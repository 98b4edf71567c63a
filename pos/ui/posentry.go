package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// KeyRouter handles a key before the focused entry does; it reports whether it consumed the key.
type KeyRouter interface {
	RouteKey(ev *fyne.KeyEvent) bool
	RouteShortcut(s fyne.Shortcut) bool
	RouteRune(r rune, text string) bool
}

// PosEntry is the till's input line: a one-line Entry that offers F-keys, keypad keys, Esc and Ctrl/Shift
// combinations to a router first. Fyne delivers unmodified keys to the focused widget only, so a global
// shortcut cannot see them (UI.md §4).
type PosEntry struct {
	widget.Entry
	Router KeyRouter
}

// NewPosEntry returns an entry that routes keys to r.
func NewPosEntry(r KeyRouter) *PosEntry {
	e := &PosEntry{Router: r}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey routes the key, then falls back to the Entry.
func (e *PosEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.Router != nil && e.Router.RouteKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// TypedShortcut routes Ctrl/Shift/Alt combinations, then falls back to the Entry (copy, paste …).
func (e *PosEntry) TypedShortcut(s fyne.Shortcut) {
	if e.Router != nil && e.Router.RouteShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedRune lets the router take '*', '+' and '/' as commands.
func (e *PosEntry) TypedRune(r rune) {
	if e.Router != nil && e.Router.RouteRune(r, e.Text) {
		return
	}
	e.Entry.TypedRune(r)
}

// keyFunc adapts plain functions to KeyRouter for dialogs.
type keyFunc struct {
	key      func(ev *fyne.KeyEvent) bool
	shortcut func(s fyne.Shortcut) bool
}

func (k keyFunc) RouteKey(ev *fyne.KeyEvent) bool {
	return k.key != nil && k.key(ev)
}

func (k keyFunc) RouteShortcut(s fyne.Shortcut) bool {
	return k.shortcut != nil && k.shortcut(s)
}

func (k keyFunc) RouteRune(rune, string) bool { return false }
