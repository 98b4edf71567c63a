package ui

import (
	"path/filepath"
	"testing"

	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/pos/store"
)

// TestKioskLeftWithStaffPIN: with staff PINs the way out of kiosk mode takes a senior's or an
// administrator's PIN; a cashier's is refused in Russian; each try is audited.
func TestKioskLeftWithStaffPIN(t *testing.T) {
	r := newKioskRig(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{Terminal: "kiosk-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.screen.d.Managers = newTestStaff(t, st, nil,
		testUser{"Иванова", staff.RoleCashier, "", "1111"}, testUser{"Администратор", staff.RoleAdmin, "", "0000"})
	r.screen.RequestExit()
	typePIN := func(pin string) {
		for _, d := range pin {
			r.tap(t, "key."+string(d))
		}
		r.tap(t, "key.ok")
	}
	typePIN("1111")
	if r.screen.View() != kioskPIN {
		t.Fatalf("a cashier's PIN opened the manager's menu: %s", r.screen.View())
	}
	r.has(t, "Для этой роли действие не разрешено.")
	typePIN("0000")
	if r.screen.View() != kioskManager {
		t.Fatalf("the administrator's PIN: %s (%s)", r.screen.View(), r.text())
	}
	es, _ := st.AuditEntries(0)
	if len(es) != 2 || es[0].Outcome != staff.OutcomeDenied || es[1].Outcome != staff.OutcomeGranted ||
		es[1].Action != staff.ActLeaveKiosk || es[1].AuthoriserName != "Администратор" {
		t.Errorf("audit %+v", es)
	}
}
