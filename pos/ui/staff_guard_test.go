package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/kassa-pos/kassa/pos/staff"
)

// focusedKey sends a key to whatever has the focus (an entry or a menu's key catcher).
func (r *staffRig) focusedKey(t *testing.T, name fyne.KeyName) {
	t.Helper()
	f := r.w.Canvas().Focused()
	if f == nil {
		t.Fatal("nothing has the focus")
	}
	f.TypedKey(&fyne.KeyEvent{Name: name})
}

type guardedCase struct {
	name    string
	action  staff.Action
	setup   func(t *testing.T, r *staffRig)
	trigger func(t *testing.T, r *staffRig)
	done    string // a dialog text that shows the action went ahead
}

// start logs in with pin and sets up and triggers the case's action.
func (c guardedCase) start(t *testing.T, pin string) *staffRig {
	t.Helper()
	r := newStaffRig(t)
	r.login(t, pin)
	if c.setup != nil {
		c.setup(t, r)
	}
	c.trigger(t, r)
	return r
}

var guardedCases = []guardedCase{
	{"F4 return", staff.ActRefund, nil,
		func(t *testing.T, r *staffRig) { r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF4}) },
		"Отсканируйте QR-код с чека покупателя"},
	{"storno after the subtotal", staff.ActStornoSubtotal,
		func(t *testing.T, r *staffRig) {
			r.scan("4607001771401")
			r.screen.Input().TypedRune('+') // Подытог
			r.focusedKey(t, fyne.KeyEscape) // back to the receipt
		},
		func(t *testing.T, r *staffRig) { r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF8}) },
		"Сторнировать позицию 1"},
	{"Z report", staff.ActCloseShift, nil,
		func(t *testing.T, r *staffRig) {
			r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
			r.focusedKey(t, fyne.Key2) // «Закрыть смену (Z-отчёт)»
		},
		"Закрыть смену (Z-отчёт)?"},
}

// TestGuardedActionsNeedASenior: each privileged action of a cashier asks for a senior's PIN: the
// cashier's own PIN is refused in Russian, a senior's allows the action without logging the cashier out,
// and both attempts are audited with their outbox events.
func TestGuardedActionsNeedASenior(t *testing.T) {
	for _, c := range guardedCases {
		t.Run(c.name, func(t *testing.T) {
			r := c.start(t, "1111")
			labels := r.dialogLabels()
			if !strings.Contains(labels, "Действие: "+actionTitle(Russian, c.action)) || strings.Contains(labels, c.done) {
				t.Fatalf("no senior's PIN dialog:\n%s", labels)
			}
			r.typePIN(t, "1111")
			if labels := r.dialogLabels(); !strings.Contains(labels, "Для этой роли действие не разрешено") {
				t.Fatalf("the cashier's own PIN:\n%s", labels)
			}
			if e := r.lastAudit(t); e.Action != c.action || e.Outcome != staff.OutcomeDenied || e.CashierName != "Иванова" {
				t.Errorf("refusal audited as %+v", e)
			}
			r.typePIN(t, "2222")
			if labels := r.dialogLabels(); !strings.Contains(labels, c.done) {
				t.Fatalf("a senior's PIN did not let the action go on:\n%s", labels)
			}
			e := r.lastAudit(t)
			if e.Action != c.action || e.Outcome != staff.OutcomeGranted || e.CashierName != "Иванова" ||
				e.AuthoriserName != "Петрова" || e.AuthoriserRole != staff.RoleSenior {
				t.Errorf("authorisation audited as %+v", e)
			}
			if got := r.screen.Cashier().Name; got != "Иванова" {
				t.Errorf("the cashier is now %q", got)
			}
			if c.action == staff.ActStornoSubtotal && (e.Line != 1 || !strings.Contains(e.Detail, "Молоко")) {
				t.Errorf("storno audited without its line: %+v", e)
			}
		})
	}
}

// TestSeniorNeedsNoSecondPIN: a senior cashier logged in does the same actions at once, and each is
// audited as authorised by the senior.
func TestSeniorNeedsNoSecondPIN(t *testing.T) {
	for _, c := range guardedCases {
		t.Run(c.name, func(t *testing.T) {
			r := c.start(t, "2222")
			if labels := r.dialogLabels(); !strings.Contains(labels, c.done) {
				t.Fatalf("the senior's own action did not go on:\n%s", labels)
			}
			if e := r.lastAudit(t); e.Action != c.action || e.Outcome != staff.OutcomeGranted || e.AuthoriserName != "Петрова" {
				t.Errorf("audited as %+v", e)
			}
		})
	}
}

// TestStornoBeforeSubtotalIsFree: a cashier voids a line freely until Подытог was opened.
func TestStornoBeforeSubtotalIsFree(t *testing.T) {
	r := newStaffRig(t)
	r.login(t, "1111")
	r.scan("4607001771401")
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF8})
	if labels := r.dialogLabels(); !strings.Contains(labels, "Сторнировать позицию 1") {
		t.Fatalf("storno before the subtotal:\n%s", labels)
	}
}

// TestCashOutNeedsASenior: F12 «Внесение» is the cashier's own; «Изъятие» asks for the amount, then a
// senior's PIN, and the audit entry carries the amount.
func TestCashOutNeedsASenior(t *testing.T) {
	r := newStaffRig(t)
	r.login(t, "1111")
	r.cash(t, fyne.Key5, "500") // Внесение (menu: open, close, resolve, status, cash in, cash out, change cashier)
	r.waitIdle(t)
	if !strings.Contains(r.screen.Message(), "Внесено: 500,00 ₽") {
		t.Fatalf("cash in: %q", r.screen.Message())
	}
	r.cash(t, fyne.Key6, "120,50") // Изъятие
	if labels := r.dialogLabels(); !strings.Contains(labels, "Действие: изъятие наличных") || !strings.Contains(labels, "120,50 ₽") {
		t.Fatalf("no senior's PIN for the withdrawal:\n%s", labels)
	}
	r.typePIN(t, "2222")
	r.waitIdle(t)
	if !strings.Contains(r.screen.Message(), "Изъято: 120,50 ₽") {
		t.Fatalf("cash out: %q", r.screen.Message())
	}
	if e := r.lastAudit(t); e.Action != staff.ActCashOut || e.Detail != "120,50 ₽" || e.AuthoriserName != "Петрова" {
		t.Errorf("audit %+v", e)
	}
	if !strings.Contains(r.dev.Tape(), "120,50") {
		t.Errorf("the register's tape has no withdrawal:\n%s", r.dev.Tape())
	}
}

// TestDeviceSettingsGuard: the guard an F12 entry that changes devices or settings goes through refuses a
// cashier's own PIN and runs once with an administrator's.
func TestDeviceSettingsGuard(t *testing.T) {
	r := newStaffRig(t)
	r.login(t, "1111")
	ran := 0
	r.screen.gate.guarded(staff.ActDeviceSettings, staff.Context{Detail: "весы: порт /dev/ttyUSB1"}, func() { ran++ })
	r.typePIN(t, "1111")
	if ran != 0 {
		t.Fatal("a cashier changed device settings")
	}
	r.typePIN(t, "0000")
	if ran != 1 {
		t.Fatalf("the administrator's PIN ran the change %d times", ran)
	}
	if e := r.lastAudit(t); e.Action != staff.ActDeviceSettings || e.AuthoriserRole != staff.RoleAdmin || e.Detail == "" {
		t.Errorf("audit %+v", e)
	}
}
