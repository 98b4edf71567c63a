package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/sync/wire"
)

var staffNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestUsersRoundTrip(t *testing.T) {
	s := openTemp(t)
	if us, err := s.Users(); err != nil || len(us) != 0 {
		t.Fatalf("a fresh store has users %v, %v", us, err)
	}
	u := staff.User{ID: "u1", Name: "Петрова", Role: staff.RoleSenior, INN: "500100732259", PINHash: "$argon2id$…", Created: staffNow}
	for _, put := range []staff.User{u, {ID: "u2", Name: "Иванова", Role: staff.RoleCashier}} {
		if err := s.PutUser(put); err != nil {
			t.Fatal(err)
		}
	}
	u.Disabled = true
	if err := s.PutUser(u); err != nil {
		t.Fatal(err)
	}
	us, err := s.Users()
	if err != nil || len(us) != 2 || us[0] != u || us[1].Name != "Иванова" {
		t.Fatalf("users %+v, %v", us, err)
	}
	if err := s.PutUser(staff.User{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("PutUser without id = %v", err)
	}
}

// TestPINLimiterSurvivesReopen: the limiter's state is on disk, so a restart keeps a lockout.
func TestPINLimiterSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kassa.db")
	s, err := Open(path, Options{Terminal: "till-1"})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := s.PINLimiter(); err != nil || st != (staff.LimiterState{}) {
		t.Fatalf("fresh limiter %+v, %v", st, err)
	}
	want := staff.LimiterState{Wrong: 0, Lockouts: 2, Until: staffNow.Add(time.Minute)}
	if err := s.SavePINLimiter(want); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(path, Options{Terminal: "till-1"}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.PINLimiter()
	if err != nil || got.Lockouts != 2 || !got.Until.Equal(want.Until) {
		t.Errorf("after reopen %+v, %v; want %+v", got, err, want)
	}
}

// TestRecordAuditQueuesEventInSameTransaction: an entry and its outbox event are written together, and a
// write that fails leaves neither.
func TestRecordAuditQueuesEventInSameTransaction(t *testing.T) {
	s := openTemp(t)
	e := staff.AuditEntry{ID: "0190a3b4-0000-7000-8000-0000000000a1", At: staffNow, Action: staff.ActRefund,
		Outcome: staff.OutcomeGranted, Cashier: "u2", CashierName: "Иванова", Authoriser: "u1", AuthoriserName: "Петрова",
		AuthoriserRole: staff.RoleSenior, Receipt: "sale-1", Line: 1, Detail: "Молоко"}
	if err := s.RecordAudit(e); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAudit(e); !errors.Is(err, ErrInvalid) { // the same id again: the transaction fails
		t.Fatalf("a second entry of one id = %v", err)
	}
	if err := s.RecordAudit(staff.AuditEntry{At: staffNow}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an entry without action = %v", err)
	}
	entries, err := s.AuditEntries(0)
	if err != nil || len(entries) != 1 || entries[0] != e {
		t.Fatalf("audit %+v, %v", entries, err)
	}
	evs, err := s.PeekEvents(context.Background(), 10)
	if err != nil || len(evs) != 1 {
		t.Fatalf("outbox %+v, %v: want the one event of the one entry", evs, err)
	}
	ev := evs[0]
	var a wire.Audit
	if err := json.Unmarshal(ev.Payload, &a); err != nil {
		t.Fatal(err)
	}
	if ev.ID != e.ID || ev.Type != wire.TypeAudit || ev.Terminal != "T1" || !ev.At.Equal(staffNow) ||
		a.Action != "refund" || a.Outcome != wire.AuditGranted || a.AuthoriserRole != "senior" || a.Receipt != "sale-1" ||
		a.Line != 1 || a.CashierName != "Иванова" {
		t.Errorf("event %+v payload %+v", ev, a)
	}
	if err := s.RecordAudit(staff.AuditEntry{At: staffNow.Add(time.Second), Action: staff.ActLogin, Outcome: staff.OutcomeWrongPIN}); err != nil {
		t.Fatal(err)
	}
	if last, _ := s.AuditEntries(1); len(last) != 1 || last[0].Action != staff.ActLogin || last[0].ID == "" {
		t.Errorf("last entry %+v", last)
	}
}

// TestStaffServiceOnStore runs the staff service over the real store: users, a guarded action, the audit
// with its outbox event.
func TestStaffServiceOnStore(t *testing.T) {
	s := openTemp(t)
	svc, err := staff.New(staff.Config{Store: s, Now: func() time.Time { return staffNow },
		Params: staff.Params{Time: 1, Memory: 64, Threads: 1, KeyLen: 32, SaltLen: 16}})
	if err != nil {
		t.Fatal(err)
	}
	cashier, err := svc.NewUser("Иванова", staff.RoleCashier, "", "1111")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.NewUser("Петрова", staff.RoleSenior, "", "2222"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authorise("2222", staff.ActCashOut, cashier, staff.Context{Detail: "1 000,00"}); err != nil {
		t.Fatal(err)
	}
	evs, _ := s.PeekEvents(context.Background(), 10)
	entries, _ := s.AuditEntries(0)
	if len(evs) != 1 || len(entries) != 1 || evs[0].ID != entries[0].ID {
		t.Errorf("outbox %d, audit %d: want one each, same id", len(evs), len(entries))
	}
}
