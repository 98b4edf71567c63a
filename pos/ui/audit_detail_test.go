package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/sync/wire"
)

// auditEvent is the outbox payload of the audit entry with id, so a test sees what the hub will get.
func (r *staffRig) auditEvent(t *testing.T, id string) wire.Audit {
	t.Helper()
	evs, err := r.store.PeekEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.ID == id && ev.Type == wire.TypeAudit {
			var a wire.Audit
			if err := json.Unmarshal(ev.Payload, &a); err != nil {
				t.Fatal(err)
			}
			return a
		}
	}
	t.Fatalf("no outbox event for audit entry %s", id)
	return wire.Audit{}
}

// checkDone checks the newest audit entry and its outbox event: the follow-up action, granted, by the
// logged-in cashier and authoriser, with the receipt and detail.
func (r *staffRig) checkDone(t *testing.T, a staff.Action, cashier, by, receipt, detail string) {
	t.Helper()
	e := r.lastAudit(t)
	if e.Action != a || e.Outcome != staff.OutcomeGranted || e.CashierName != cashier || e.AuthoriserName != by ||
		e.Receipt != receipt || e.Detail != detail {
		t.Errorf("audit entry %+v; want %s by %s for %s, receipt %q, detail %q", e, a, by, cashier, receipt, detail)
	}
	w := r.auditEvent(t, e.ID)
	if w.Action != string(a) || w.Outcome != wire.AuditGranted || w.CashierName != cashier || w.AuthoriserName != by ||
		w.AuthoriserRole != e.AuthoriserRole.String() || w.Receipt != receipt || w.Detail != detail {
		t.Errorf("outbox payload %+v", w)
	}
}

// TestDeviceSaveAudited: «Сохранить» leaves an entry naming the device, the old and new port and speed,
// and the senior whose PIN opened the settings (or the senior logged in); a refused save leaves none.
func TestDeviceSaveAudited(t *testing.T) {
	tests := []struct {
		name, login, senior string
		saveErr             error
		want                bool
	}{
		{"cashier with a senior's PIN", "1111", "2222", nil, true},
		{"senior logged in", "2222", "", nil, true},
		{"save refused", "2222", "", fmt.Errorf("config: %w", ErrNoConfigFile), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, dev := devicesRig(t, tt.login)
			dev.saveErr = tt.saveErr
			r.openDevices(t)
			if tt.senior != "" {
				r.typePIN(t, tt.senior)
			}
			opened := r.lastAudit(t)
			r.focusedKey(t, fyne.Key1) // the ККТ
			port := r.focusedEntry(t)
			port.SetText("")
			test.Type(port, "/dev/ttyKKT")
			port.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // 115200 → 57600
			port.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			if !tt.want {
				if e := r.lastAudit(t); e.ID != opened.ID {
					t.Errorf("a refused save was audited: %+v", e)
				}
				return
			}
			cashier := map[string]string{"1111": "Иванова", "2222": "Петрова"}[tt.login]
			r.checkDone(t, staff.ActDeviceSettingsSaved, cashier, "Петрова", "",
				"device=kkt from=/dev/ttyACM0@115200 to=/dev/ttyKKT@57600")
		})
	}
}

// TestRefundDoneAudited: a fiscalised return, started by the receipt's QR (a cashier, a senior's PIN) or
// by F4 (a senior), leaves refund_done naming the original sale, the return's id, amount and ФД, and who
// authorised it; the first entry (PIN before the scan) stays as it was.
func TestRefundDoneAudited(t *testing.T) {
	tests := []struct {
		name, login, senior string
		f4                  bool
	}{
		{"QR scan, senior's PIN", "1111", "2222", false},
		{"F4, senior logged in", "2222", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newStaffRig(t)
			r.login(t, tt.login)
			sale := r.sellForCash(t, "4607001771401", "2*4601234500012")
			qr := sale.Fiscal.QR(sale.Total)
			if tt.f4 {
				r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF4})
			} else {
				r.scan(qr)
			}
			if tt.senior != "" {
				r.typePIN(t, tt.senior)
			}
			asked := r.lastAudit(t)
			if asked.Action != staff.ActRefund || asked.Receipt != "" {
				t.Fatalf("the return's PIN entry %+v", asked)
			}
			if tt.f4 {
				e := r.focusedEntry(t)
				e.SetText(qr)
				e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			}
			r.key(t, fyne.KeyDown) // the bread
			test.Type(r.focusedEntry(t), "1")
			r.key(t, fyne.KeyReturn)
			r.key(t, fyne.KeyReturn) // to paying back
			r.key(t, fyne.KeyReturn) // in cash
			r.waitIdle(t)
			recent, err := r.store.RecentSales(1)
			if err != nil || len(recent) != 1 || recent[0].Kind != pos.KindRefund || recent[0].Fiscal == nil {
				t.Fatalf("refund %+v, %v; message %q", recent, err, r.screen.Message())
			}
			ref := recent[0]
			cashier := map[string]string{"1111": "Иванова", "2222": "Петрова"}[tt.login]
			r.checkDone(t, staff.ActRefundDone, cashier, "Петрова", sale.ID,
				fmt.Sprintf("refund=%s amount=55.00 fd=%d", ref.ID, ref.Fiscal.FDNumber))
			es, err := r.store.AuditEntries(2)
			if err != nil || len(es) != 2 || es[0].ID != asked.ID || es[0].Receipt != "" {
				t.Errorf("entries before refund_done %+v, %v", es, err)
			}
		})
	}
}

// TestAuditDetails: the follow-up entries' context; a return without the receipt has no original sale,
// and a device without a port is "none".
func TestAuditDetails(t *testing.T) {
	refunds := []struct {
		name string
		sale pos.Sale
		want staff.Context
	}{
		{"by receipt", pos.Sale{ID: "r1", RefundOf: "s1", Total: 12345, Fiscal: &pos.FiscalResult{FDNumber: 7}},
			staff.Context{Receipt: "s1", Detail: "refund=r1 amount=123.45 fd=7"}},
		{"without receipt, not fiscalised", pos.Sale{ID: "r2", Total: 100},
			staff.Context{Detail: "refund=r2 amount=1.00"}},
	}
	for _, tt := range refunds {
		t.Run(tt.name, func(t *testing.T) {
			if got := refundAudit(tt.sale); got != tt.want {
				t.Errorf("refundAudit = %+v, want %+v", got, tt.want)
			}
		})
	}
	devices := []struct {
		name    string
		was, to DevicePort
		want    string
	}{
		{"port added", DevicePort{Kind: DeviceDisplay}, DevicePort{Kind: DeviceDisplay, Port: "/dev/ttyUSB3", Baud: 9600},
			"device=display from=none to=/dev/ttyUSB3@9600"},
		{"port removed", DevicePort{Kind: DeviceScale, Port: EmulatorPort, Baud: 9600}, DevicePort{Kind: DeviceScale, Baud: 9600},
			"device=scale from=emulator@9600 to=none"},
	}
	for _, tt := range devices {
		t.Run(tt.name, func(t *testing.T) {
			if got := deviceChange(tt.was, tt.to); got != tt.want {
				t.Errorf("deviceChange = %q, want %q", got, tt.want)
			}
		})
	}
}
