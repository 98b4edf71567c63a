package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// DeadLetter is an event the backend refused for good, as the service menu lists it.
type DeadLetter struct {
	ID       string
	Type     string    // the event type: "sale", "refund", "shift_open" …
	At       time.Time // when it happened at the till
	Reason   string    // the backend's words
	Rejected time.Time
}

// DeadLetters lists the events the backend refused and queues them again, in their original order, once
// the cause is fixed (at the backend, usually). The wiring implements it over the outbox.
type DeadLetters interface {
	DeadLetters() ([]DeadLetter, error)
	RetryDeadLetters(ids ...string) error
}

var deadTexts = map[string][2]string{
	"service.dead":          {"Отклонённые события", "Rejected events"},
	"dead.none":             {"Отклонённых событий нет", "No rejected events"},
	"dead.hint":             {"Сервер отказался принять эти события. Устраните причину на сервере и нажмите «Повторить»: событие снова встанет в очередь отправки.", "The backend refused these events. Fix the cause at the backend and press Retry: the event is queued again."},
	"dead.item":             {"%s · %s · %s", "%s · %s · %s"},
	"dead.retry":            {"Enter — Повторить", "Enter — Retry"},
	"dead.retryall":         {"F5 — Повторить все", "F5 — Retry all"},
	"dead.retried":          {"Снова в очереди отправки: %d", "Queued again: %d"},
	"ev.sale":               {"Продажа", "Sale"},
	"ev.refund":             {"Возврат", "Refund"},
	"ev.shift_open":         {"Открытие смены", "Shift opened"},
	"ev.shift_close":        {"Закрытие смены", "Shift closed"},
	"ev.loyalty_accrual":    {"Начисление баллов", "Points earned"},
	"ev.loyalty_redemption": {"Списание баллов", "Points spent"},
	"ev.pickup_handover":    {"Выдача заказа", "Order handed over"},
	"net.cert":              {"Сеть ● сертификат не принят", "Network ● certificate not accepted"},
	"net.last":              {"обмен %s", "exchanged %s"},
}

func init() {
	for k, v := range deadTexts {
		texts[k] = v
	}
}

// eventName is an event type as the cashier reads it.
func (l Lang) eventName(typ string) string {
	if _, ok := texts["ev."+typ]; ok {
		return l.T("ev." + typ)
	}
	return typ
}

// stamp is a time in the status bar and lists: "14:05" today, "21.11 14:05" on another day.
func stamp(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("02.01 15:04")
}

// openDeadLetters lists the rejected events with their reasons: ↑/↓ choose, Enter retries the chosen one,
// F5 retries all of them (in the order they were made), Esc closes.
func (s *TillScreen) openDeadLetters() {
	list, err := s.d.DeadLetters.DeadLetters()
	if err != nil {
		s.fail(err)
		return
	}
	if len(list) == 0 {
		s.info(s.l.T("dead.none"))
		return
	}
	retry := func(ids ...string) {
		s.closeModal()
		if err := s.d.DeadLetters.RetryDeadLetters(ids...); err != nil {
			s.fail(err)
			return
		}
		s.info(s.l.T("dead.retried", len(ids)))
	}
	now := s.d.Now()
	pl := newPickList(func() int { return len(list) }, func(i int) string {
		d := list[i]
		return s.l.T("dead.item", s.l.eventName(d.Type), stamp(d.At, now), d.Reason)
	}, func(int) {}) // a tap only chooses; the button or Enter retries
	retryChosen := func(i int) {
		if i >= 0 && i < len(list) {
			retry(list[i].ID)
		}
	}
	retryAll := func() {
		ids := make([]string, len(list))
		for i, d := range list {
			ids[i] = d.ID
		}
		retry(ids...)
	}
	router := pl.routeKeys(retryChosen, s.closeModal, nil)
	catcher := NewPosEntry(keyFunc{key: func(ev *fyne.KeyEvent) bool {
		if ev.Name == fyne.KeyF5 {
			retryAll()
			return true
		}
		return router.RouteKey(ev)
	}})
	hint := widget.NewLabel(s.l.T("dead.hint"))
	hint.Wrapping = fyne.TextWrapWord
	buttons := buttonRow(
		widget.NewButton(s.l.T("dead.retry"), func() { retryChosen(pl.selected) }),
		widget.NewButton(s.l.T("dead.retryall"), retryAll),
		widget.NewButton(s.l.T("btn.close"), s.closeModal))
	body := container.NewBorder(container.NewVBox(catcher, hint), buttons, nil, nil, pl.list)
	s.showModal(s.l.T("service.dead"), container.NewGridWrap(fyne.NewSize(720, 420), body), catcher, nil, nil)
}
