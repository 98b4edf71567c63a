package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos/staff"
)

// TestPickupDeskLogin: the desk opens at «Вход кассира»; the operator who logs in is the desk's staff
// (slips, receipts); Ctrl+L locks it; a cashier's Z report asks for a senior's PIN.
func TestPickupDeskLogin(t *testing.T) {
	r := newPickupRig(t)
	r.screen.d.Staff = newTestStaff(t, r.store, nil, // as cmd/kassa wires it
		testUser{"Иванова", staff.RoleCashier, "", "1111"}, testUser{"Петрова", staff.RoleSenior, "", "2222"})
	r.screen.startGate()
	typePIN := func(pin string) {
		t.Helper()
		e := r.screen.LoginPad()
		if e == nil {
			e, _ = r.w.Canvas().Focused().(*PosEntry)
		}
		if e == nil || !e.Password {
			t.Fatalf("no PIN field has the focus")
		}
		test.Type(e, pin)
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	if !r.screen.Locked() {
		t.Fatal("the desk did not start at the login")
	}
	typePIN("1111")
	if r.screen.Locked() || r.screen.desk.Staff() != "Иванова" || !strings.Contains(r.screen.staffLabel.Text, "Иванова") {
		t.Fatalf("after login: locked %v, staff %q", r.screen.Locked(), r.screen.desk.Staff())
	}
	ran := false // the F12 entry «Закрыть смену (Z-отчёт)» runs the Z report through this guard
	r.screen.gate.guarded(staff.ActCloseShift, staff.Context{}, func() { ran = true })
	if ran {
		t.Fatal("a cashier's Z report ran without a senior's PIN")
	}
	typePIN("2222")
	if !ran {
		t.Fatal("the senior's PIN did not run the Z report")
	}
	if es, _ := r.store.AuditEntries(1); len(es) != 1 || es[0].Action != staff.ActCloseShift || es[0].AuthoriserName != "Петрова" {
		t.Errorf("audit %+v", es)
	}
	r.screen.Input().TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierControl})
	if !r.screen.Locked() {
		t.Fatal("Ctrl+L did not lock the desk")
	}
	typePIN("2222")
	if r.screen.desk.Staff() != "Петрова" {
		t.Errorf("staff after the change: %q", r.screen.desk.Staff())
	}
}
