package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

type fakeDeadLetters struct {
	list    []DeadLetter
	retried [][]string
	err     error
}

func (f *fakeDeadLetters) DeadLetters() ([]DeadLetter, error) { return f.list, f.err }

func (f *fakeDeadLetters) RetryDeadLetters(ids ...string) error {
	f.retried = append(f.retried, ids)
	return f.err
}

func TestDeadLettersDialog(t *testing.T) {
	rejected := []DeadLetter{
		{ID: "ev-3", Type: "sale", At: testNow.Add(-time.Hour), Reason: "sale total 100 differs from the sum of its lines 110"},
		{ID: "ev-7", Type: "shift_close", At: testNow.Add(-26 * time.Hour), Reason: "shift number must be positive"},
	}
	tests := []struct {
		name        string
		list        []DeadLetter
		err         error
		keys        []fyne.KeyName
		wantRetried [][]string
		wantMessage string
	}{
		{"enter retries the chosen one", rejected, nil, []fyne.KeyName{fyne.KeyDown, fyne.KeyReturn},
			[][]string{{"ev-7"}}, "Снова в очереди отправки: 1"},
		{"F5 retries all", rejected, nil, []fyne.KeyName{fyne.KeyF5},
			[][]string{{"ev-3", "ev-7"}}, "Снова в очереди отправки: 2"},
		{"esc retries nothing", rejected, nil, []fyne.KeyName{fyne.KeyEscape}, nil, ""},
		{"none", nil, nil, nil, nil, "Отклонённых событий нет"},
		{"the outbox cannot be read", nil, errors.New("disk gone"), nil, nil, "Операция не выполнена"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newUIRig(t, Russian)
			fake := &fakeDeadLetters{list: tt.list, err: tt.err}
			r.screen.d.DeadLetters = fake
			r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
			// The service menu: open, close, resolve, status, then the rejected events.
			r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.Key5})
			for _, k := range tt.keys {
				r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: k})
			}
			if !slices.EqualFunc(fake.retried, tt.wantRetried, slices.Equal) {
				t.Errorf("retried %q, want %q", fake.retried, tt.wantRetried)
			}
			if !strings.Contains(r.screen.Message(), tt.wantMessage) {
				t.Errorf("message %q, want %q", r.screen.Message(), tt.wantMessage)
			}
			if len(tt.keys) > 0 && r.w.Canvas().Focused() != r.screen.Input() {
				t.Error("focus did not come back to the scan field")
			}
		})
	}
}

func TestStatusBarSync(t *testing.T) {
	tests := []struct {
		name string
		info SyncInfo
		want string
	}{
		{"online", SyncInfo{Online: true, LastSuccess: testNow.Add(-time.Minute)},
			"Сеть ● онлайн · всё отправлено · обмен 10:29"},
		{"refused token", SyncInfo{Unauthorized: true, Unsent: 3, Oldest: testNow.Add(-90 * time.Minute),
			LastSuccess: testNow.Add(-25 * time.Hour)},
			"Сеть ● доступ запрещён · не отправлено: 3 (1 ч 30 мин) · обмен 22.11 09:30"},
		{"untrusted certificate", SyncInfo{BadCert: true, DeadLetters: 2},
			"Сеть ● сертификат не принят · всё отправлено · отклонено: 2"},
		{"offline", SyncInfo{Unsent: 1, Oldest: testNow}, "Сеть ● офлайн · не отправлено: 1 (0 ч 0 мин)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newUIRig(t, Russian)
			r.screen.showSync(tt.info)
			if got := r.screen.netLabel.Text; got != tt.want {
				t.Errorf("status %q\nwant     %q", got, tt.want)
			}
		})
	}
}
