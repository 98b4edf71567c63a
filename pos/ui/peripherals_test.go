package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos"
)

type fakeScale struct {
	grams int64
	err   error
}

func (f fakeScale) StableWeight(context.Context, time.Duration) (int64, error) { return f.grams, f.err }

func TestWeighedGoods(t *testing.T) {
	for _, c := range []struct {
		name    string
		scale   Scale
		keys    func(r *uiRig)
		wantQty pos.Qty
		wantMsg string
	}{
		{"PLU typed, weight from the scale", fakeScale{grams: 734}, func(r *uiRig) { r.scan("12345") }, 734, ""},
		{"slash reads the scale first", fakeScale{grams: 1500}, func(r *uiRig) {
			r.screen.Input().TypedRune('/')
			r.waitIdle(t)
			r.scan("12345")
		}, 1500, ""},
		{"weight typed with n*", nil, func(r *uiRig) { r.scan("0,5*12345") }, 500, ""},
		{"no scale", nil, func(r *uiRig) { r.scan("12345") }, 0, "Товар весовой"},
		{"unstable", fakeScale{err: pos.ErrScaleUnstable}, func(r *uiRig) { r.scan("12345") }, 0, "Вес не успокоился"},
		{"overload", fakeScale{err: pos.ErrScaleOverload}, func(r *uiRig) { r.scan("12345") }, 0, "перегружены"},
		{"scale offline", fakeScale{err: pos.ErrScaleOffline}, func(r *uiRig) { r.scan("12345") }, 0, "Весы не отвечают"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newUIRig(t, Russian)
			r.screen.d.Scale = c.scale
			c.keys(r)
			r.waitIdle(t)
			lines := r.screen.Lines()
			if c.wantQty == 0 {
				if len(lines) != 0 || !strings.Contains(r.screen.Message(), c.wantMsg) {
					t.Fatalf("lines %+v, message %q; want none and %q", lines, r.screen.Message(), c.wantMsg)
				}
				return
			}
			if len(lines) != 1 || lines[0].Qty != c.wantQty || lines[0].ProductID != "2001" {
				t.Fatalf("lines = %+v, want apples × %s", lines, c.wantQty)
			}
		})
	}
}

type fakeDisplay struct {
	mu    sync.Mutex
	shown [][2]string
}

func (f *fakeDisplay) Show(_ context.Context, upper, lower string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shown = append(f.shown, [2]string{upper, lower})
	return nil
}

func (f *fakeDisplay) last() [2]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.shown) == 0 {
		return [2]string{}
	}
	return f.shown[len(f.shown)-1]
}

func TestCustomerDisplay(t *testing.T) {
	r := newUIRig(t, Russian)
	disp := &fakeDisplay{}
	r.screen.d.Display = disp
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.screen.startDisplay(ctx)
	waitShown := func(want [2]string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for disp.last() != want {
			if time.Now().After(deadline) {
				t.Fatalf("display shows %q, want %q", disp.last(), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitShown([2]string{"ДОБРО ПОЖАЛОВАТЬ!", ""})
	r.scan("4607001771401")
	waitShown([2]string{"Молоко Просток 89,90", "ИТОГО          89,90"})
	r.screen.Input().TypedRune('+')
	amount := r.focusedEntry(t)
	test.Type(amount, "100")
	amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.waitIdle(t)
	waitShown([2]string{"СПАСИБО ЗА ПОКУПКУ!", "СДАЧА          10,10"})
}

func TestDisplayLine(t *testing.T) {
	for _, c := range []struct{ left, right, want string }{
		{"ИТОГО", "89,90", "ИТОГО          89,90"},
		{"Молоко Простоквашино 3,2%", "109,90", "Молоко Просто 109,90"},
		{"", "12345678901234567890123", "12345678901234567890"},
	} {
		got := displayLine(c.left, c.right)
		if got != c.want || len([]rune(got)) != displayCols {
			t.Errorf("displayLine(%q, %q) = %q, want %q", c.left, c.right, got, c.want)
		}
	}
}
