package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

// A full or read-only data folder covers the window with a blocking notice in Russian; when the probe
// finds the folder fine again the notice goes. (The probe's own loop is tested in the terminal package.)
func TestDiskNoticeBlocksTheWindow(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("till")
	w.Resize(fyne.NewSize(800, 600))
	notice := session{app: a, cfg: defaultConfig()}.diskNotice(w)
	shown := func() string {
		pop, ok := w.Canvas().Overlays().Top().(*widget.PopUp)
		if !ok || !pop.Visible() {
			return ""
		}
		var text string
		for _, o := range test.LaidOutObjects(pop) {
			if l, ok := o.(*widget.Label); ok {
				text += l.Text + "\n"
			}
		}
		return text
	}
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("data folder: %w: %w", pos.ErrDataReadOnly, &os.PathError{Op: "open", Err: syscall.EROFS}), "Папка данных только для чтения"},
		{fmt.Errorf("data folder: %w: 3 MB free, 64 MB needed", pos.ErrDiskFull), "Нет места на диске"},
		{nil, ""},
	}
	for _, c := range tests {
		notice(c.err)
		got := shown()
		if c.want == "" && got != "" {
			t.Errorf("after %v the notice stays: %q", c.err, got)
		}
		if c.want != "" && (!strings.Contains(got, c.want) || !strings.Contains(got, "Продажа невозможна")) {
			t.Errorf("notice for %v = %q, want %q", c.err, got, c.want)
		}
		if n := len(w.Canvas().Overlays().List()); n > 1 {
			t.Errorf("%d notices stacked", n)
		}
	}
}
