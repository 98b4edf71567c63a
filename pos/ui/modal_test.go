package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The key catcher of a dialog without an entry must not cover the dialog: on the desktop driver a
// focusable widget under the pointer takes the click meant for a button (the headless driver does not
// show it, so the test checks the layout: the catcher has no area, the buttons still answer a tap).
func TestModalCatcherLeavesClicksToButtons(t *testing.T) {
	r := newUIRig(t, Russian)
	yes := 0
	r.screen.confirm("Вопрос", "Продолжить?", func() { yes++ })
	catcher, ok := r.w.Canvas().Focused().(*keyCatcher)
	if !ok {
		t.Fatalf("focused: %T, want the dialog's key catcher", r.w.Canvas().Focused())
	}
	if s := catcher.Size(); s.Width > 0 || s.Height > 0 {
		t.Errorf("key catcher covers %v of the dialog", s)
	}
	catcher.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if yes != 1 {
		t.Fatalf("Enter on the dialog: yes ran %d times, want 1", yes)
	}
	r.screen.confirm("Вопрос", "Продолжить?", func() { yes++ })
	b := findButton(r.w.Canvas().Overlays().Top(), r.screen.l.T("btn.ok"))
	if b == nil {
		t.Fatal("no OK button in the dialog")
	}
	test.Tap(b)
	if yes != 2 {
		t.Fatalf("tap on OK: yes ran %d times, want 2", yes)
	}
}

// findButton is the button labelled text among the laid-out objects of o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// A service menu longer than nine items stays reachable from the keyboard: 1…9, then 0, then letters, and
// each button shows its key.
func TestNumberedMenuKeysPastNine(t *testing.T) {
	picked := -1
	var items []menuItem
	for i := range 12 {
		items = append(items, menuItem{key: "btn.ok", f: func() { picked = i }, enabled: i != 11})
	}
	content, focus := numberedMenu(English, items, func() { picked = 99 })
	catcher := focus.(*keyCatcher)
	for _, tc := range []struct {
		key  fyne.KeyName
		want int
	}{
		{fyne.Key1, 0}, {fyne.Key9, 8}, {fyne.Key0, 9}, {fyne.KeyA, 10},
		{fyne.KeyB, -1}, // the twelfth item is disabled
		{fyne.KeyEscape, 99},
	} {
		picked = -1
		catcher.TypedKey(&fyne.KeyEvent{Name: tc.key})
		if picked != tc.want {
			t.Errorf("key %s picked %d, want %d", tc.key, picked, tc.want)
		}
	}
	label := English.T("btn.ok")
	for _, want := range []string{"9  " + label, "0  " + label, "A  " + label} {
		if findButton(content, want) == nil {
			t.Errorf("no button %q", want)
		}
	}
}
