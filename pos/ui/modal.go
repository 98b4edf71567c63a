package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyCatcher is an invisible focusable widget that gives a dialog without an entry its Enter and Esc:
// Fyne has no Esc-to-close of its own (UI.md §4).
type keyCatcher struct {
	widget.BaseWidget
	onKey func(ev *fyne.KeyEvent)
}

func newKeyCatcher(onKey func(ev *fyne.KeyEvent)) *keyCatcher {
	k := &keyCatcher{onKey: onKey}
	k.ExtendBaseWidget(k)
	return k
}

func (k *keyCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}
func (k *keyCatcher) FocusGained()                {}
func (k *keyCatcher) FocusLost()                  {}
func (k *keyCatcher) TypedRune(rune)              {}
func (k *keyCatcher) TypedKey(ev *fyne.KeyEvent)  { k.onKey(ev) }
func (k *keyCatcher) MinSize() fyne.Size          { return fyne.NewSize(0, 0) }
func (k *keyCatcher) TypedShortcut(fyne.Shortcut) {}
func isEnter(ev *fyne.KeyEvent) bool              { return ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter }

// showModal shows content as a dialog without Fyne's buttons, focuses focus (or a key catcher that maps
// Enter/Esc to onEnter/onEsc) and gives the focus back to the input line when it closes.
func (s *TillScreen) showModal(title string, content fyne.CanvasObject, focus fyne.Focusable, onEnter, onEsc func()) dialog.Dialog {
	return showDialog(s.w, &s.modal, title, content, focus, onEnter, onEsc, 620, s.focusInput)
}

// showDialog is the screens' one way to show a dialog: at most one at a time (slot holds it), a key catcher
// when the content has nothing focusable, width wide enough for word-wrapped text, refocus when it closes.
func showDialog(w fyne.Window, slot *dialog.Dialog, title string, content fyne.CanvasObject, focus fyne.Focusable,
	onEnter, onEsc func(), width float32, refocus func()) dialog.Dialog {
	if *slot != nil {
		(*slot).Hide()
	}
	if focus == nil {
		content, focus = withKeyCatcher(content, func(ev *fyne.KeyEvent) {
			switch {
			case isEnter(ev) && onEnter != nil:
				onEnter()
			case ev.Name == fyne.KeyEscape && onEsc != nil:
				onEsc()
			}
		})
	}
	d := dialog.NewCustomWithoutButtons(title, content, w)
	d.SetOnClosed(func() {
		if *slot == d {
			*slot = nil
		}
		refocus()
	})
	*slot = d
	d.Show()
	d.Resize(fyne.NewSize(width, 0)) // at least its min size: word-wrapped texts get room to wrap
	w.Canvas().Focus(focus)
	return d
}

// withKeyCatcher adds an invisible focusable to content that hands it the keys. The catcher keeps a zero
// size: stretched over the dialog, a focusable widget under the pointer would take the clicks meant for the
// buttons (touch screens and mice).
func withKeyCatcher(content fyne.CanvasObject, onKey func(ev *fyne.KeyEvent)) (fyne.CanvasObject, *keyCatcher) {
	catcher := newKeyCatcher(onKey)
	return container.NewStack(content, container.NewWithoutLayout(catcher)), catcher
}

// menuItem is one numbered entry of a service menu.
type menuItem struct {
	key     string // text key
	f       func()
	enabled bool
}

// afterKey runs f once the key event being handled is over. A printable key arrives twice, as TypedKey and
// then as TypedRune; an item that opens an entry at once would receive the rune and start with the digit that
// picked it ("0" of the menu in the senior's PIN). fyne.Do queues f behind the rune on the desktop driver (the
// test driver runs it at once, which is the same for a test that sends TypedKey alone).
func afterKey(f func()) { fyne.Do(f) }

// menuKey is the key that picks the i-th item of a numbered menu: 1…9, then 0 (as on a numpad, the tenth),
// then A, B, … so that a long menu stays reachable from the keyboard.
func menuKey(i int) fyne.KeyName {
	switch {
	case i < 9:
		return fyne.KeyName(rune('1' + i))
	case i == 9:
		return fyne.Key0
	default:
		return fyne.KeyName(rune('A' + i - 10))
	}
}

// numberedMenu lays items out as buttons "1  …", "2  …" with a close button; their keys (menuKey) pick an
// item, Esc runs close. It returns the content and what to focus.
func numberedMenu(l Lang, items []menuItem, close func()) (fyne.CanvasObject, fyne.Focusable) {
	box := container.NewVBox()
	for i, it := range items {
		b := widget.NewButton(fmt.Sprintf("%s  %s", menuKey(i), l.T(it.key)), it.f)
		if !it.enabled {
			b.Disable()
		}
		box.Add(b)
	}
	box.Add(widget.NewButton(l.T("btn.close"), close))
	return withKeyCatcher(box, func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			close()
			return
		}
		for i, it := range items {
			if menuKey(i) == ev.Name && it.enabled {
				afterKey(it.f)
				return
			}
		}
	})
}

// closeModal hides the open dialog.
func (s *TillScreen) closeModal() {
	if s.modal != nil {
		s.modal.Hide()
	}
}

// buttonRow is the dialog's actions; each button names its key.
func buttonRow(buttons ...*widget.Button) fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(buttons))
	for i, b := range buttons {
		objs[i] = b
	}
	return container.NewGridWithColumns(len(objs), objs...)
}

// showError explains err in a dialog; retry (if not nil) runs on Enter.
func (s *TillScreen) showError(err error, retry func()) {
	m := Explain(s.l, err)
	text := widget.NewLabelWithStyle(m.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	action := widget.NewLabel(m.Action)
	action.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(text, action)
	if m.Detail != "" {
		detail := widget.NewLabel(m.Detail)
		detail.SizeName = theme.SizeNameCaptionText
		body.Add(detail)
	}
	back := widget.NewButton(s.l.T("btn.back"), s.closeModal)
	var buttons []*widget.Button
	onEnter := s.closeModal
	if retry != nil {
		onEnter = func() { s.closeModal(); retry() }
		buttons = append(buttons, widget.NewButton(s.l.T("btn.retry"), onEnter))
	}
	buttons = append(buttons, back)
	body.Add(buttonRow(buttons...))
	s.showModal(s.l.T("err.title"), body, nil, onEnter, s.closeModal)
}

// confirm asks a yes/no question: Enter = yes, Esc = no.
func (s *TillScreen) confirm(title, question string, yes func()) {
	q := widget.NewLabel(question)
	q.Wrapping = fyne.TextWrapWord
	ok := func() { s.closeModal(); yes() }
	body := container.NewVBox(q, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), ok),
		widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(title, body, nil, ok, s.closeModal)
}
