package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/sync/wire"
)

// staffRig is the till of uiRig with users: Иванова (cashier, 1111), Петрова (senior, 2222),
// Администратор (admin, 0000), so it starts at «Вход кассира».
type staffRig struct {
	uiRig
	svc    *staff.Service
	clock  time.Time
	signed []staff.User // what OnCashier heard
}

func newStaffRig(t *testing.T) *staffRig {
	t.Helper()
	st := testStore(t, "till-1", products)
	r := &staffRig{clock: testNow}
	r.svc = newTestStaff(t, st, func() time.Time { return r.clock },
		testUser{"Иванова", staff.RoleCashier, "", "1111"}, testUser{"Петрова", staff.RoleSenior, "500100732259", "2222"},
		testUser{"Администратор", staff.RoleAdmin, "", "0000"})
	ctx, dev, host, reg := testRegister(t, emulator.Config{})
	till := openTestTill(ctx, t, checkout.Config{Store: st, Register: reg}, "Иванова")
	w := testWindow(t)
	screen := NewTill(w, TillDeps{Till: till, Lang: Russian, Cashier: "Кассир", Tape: dev,
		Now: func() time.Time { return testNow }, Staff: r.svc, LoginHint: "Демо: 1111", Cash: reg,
		OnCashier: func(u staff.User) { r.signed = append(r.signed, u); reg.SetCashier(u.Name, u.INN) }})
	r.uiRig = uiRig{screen: screen, store: st, w: w, dev: dev, cable: host}
	return r
}

// cash picks item of the F12 menu (Внесение, Изъятие) and enters amount.
func (r *staffRig) cash(t *testing.T, item fyne.KeyName, amount string) {
	t.Helper()
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	r.focusedKey(t, item)
	test.Type(r.focusedEntry(t), amount)
	r.focusedKey(t, fyne.KeyReturn)
}

// typePIN types a PIN into the focused PIN field and presses Enter.
func (r *staffRig) typePIN(t *testing.T, pin string) {
	t.Helper()
	e := r.focusedEntry(t)
	if !e.Password {
		t.Fatalf("the focused field is not a PIN field (text %q); message %q", e.Text, r.screen.Message())
	}
	test.Type(e, pin)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func (r *staffRig) login(t *testing.T, pin string) {
	t.Helper()
	r.typePIN(t, pin)
	if r.screen.Locked() {
		t.Fatalf("still locked after PIN %s: %q", pin, strings.Join(visibleText(r.w.Content()), " | "))
	}
}

// lastAudit is the newest audit entry, checked to have its outbox event.
func (r *staffRig) lastAudit(t *testing.T) staff.AuditEntry {
	t.Helper()
	es, err := r.store.AuditEntries(1)
	if err != nil || len(es) != 1 {
		t.Fatalf("audit %v, %v", es, err)
	}
	evs, err := r.store.PeekEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.ID == es[0].ID && ev.Type == wire.TypeAudit {
			return es[0]
		}
	}
	t.Fatalf("audit entry %s has no outbox event", es[0].ID)
	return staff.AuditEntry{}
}

// TestLoginScreen: the till opens at «Вход кассира» with the PIN masked; keys do nothing to the cart; a
// wrong PIN says so; the right one shows the cashier's name, and the receipt carries it.
func TestLoginScreen(t *testing.T) {
	r := newStaffRig(t)
	if !r.screen.Locked() {
		t.Fatal("the till did not start at the login")
	}
	shown := strings.Join(visibleText(r.w.Content()), " | ")
	if !strings.Contains(shown, "Вход кассира") || !strings.Contains(shown, "Демо: 1111") {
		t.Errorf("login screen shows %q", shown)
	}
	r.screen.RouteKey(&fyne.KeyEvent{Name: fyne.KeyF4}) // a stray F-key while locked
	if r.w.Canvas().Overlays().Top() != nil {
		t.Error("F4 opened a dialog over the login screen")
	}
	r.typePIN(t, "9999")
	if !r.screen.Locked() || !strings.Contains(strings.Join(visibleText(r.w.Content()), " "), "Неверный PIN") {
		t.Fatalf("a wrong PIN: %q", strings.Join(visibleText(r.w.Content()), " | "))
	}
	r.login(t, "1111")
	if got := r.screen.userLabel.Text; !strings.Contains(got, "Иванова") {
		t.Errorf("header %q", got)
	}
	if !strings.Contains(r.screen.Message(), "Вход: Иванова (кассир)") {
		t.Errorf("message %q", r.screen.Message())
	}
	if len(r.signed) != 1 || r.signed[0].Name != "Иванова" {
		t.Errorf("OnCashier heard %+v", r.signed)
	}
	sale := r.sellForCash(t, "4607001771401")
	if sale.Cashier != "Иванова" {
		t.Errorf("sale cashier %q", sale.Cashier)
	}
	if e := r.lastAudit(t); e.Action != staff.ActLogin || e.Outcome != staff.OutcomeGranted || e.CashierName != "Иванова" {
		t.Errorf("last audit %+v", e)
	}
}

// TestChangeCashier: Ctrl+L locks the till with the receipt kept; the next cashier's name goes on the
// receipt with that cashier's INN (tags 1021 and 1203 on the register's tape).
func TestChangeCashier(t *testing.T) {
	r := newStaffRig(t)
	r.login(t, "1111")
	r.scan("4607001771401")
	r.screen.Input().TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierControl})
	if !r.screen.Locked() {
		t.Fatal("Ctrl+L did not lock the till")
	}
	if e := r.lastAudit(t); e.Action != staff.ActLock || e.CashierName != "Иванова" {
		t.Errorf("lock audited as %+v", e)
	}
	r.login(t, "2222")
	if len(r.screen.Lines()) != 1 {
		t.Fatalf("the receipt was lost across the change: %+v", r.screen.Lines())
	}
	tape := r.dev.Tape()
	sale := r.sellForCash(t)
	if sale.Cashier != "Петрова" {
		t.Errorf("sale cashier %q", sale.Cashier)
	}
	receipt := strings.TrimPrefix(r.dev.Tape(), tape)
	if !strings.Contains(receipt, "Петрова") || !strings.Contains(receipt, "500100732259") {
		t.Errorf("the receipt lacks the cashier's name or INN:\n%s", receipt)
	}
}

// TestPINLockout: three wrong PINs lock entry, with the seconds in Russian; the right PIN is refused
// meanwhile.
func TestPINLockout(t *testing.T) {
	r := newStaffRig(t)
	for range 3 {
		r.typePIN(t, "9999")
	}
	shown := strings.Join(visibleText(r.w.Content()), " ")
	if !strings.Contains(shown, "ввод заблокирован на 30 с") {
		t.Errorf("after three wrong PINs: %q", shown)
	}
	r.typePIN(t, "1111")
	if !r.screen.Locked() {
		t.Error("the right PIN opened a locked till")
	}
	r.clock = r.clock.Add(31 * time.Second)
	r.login(t, "1111")
}
