package staff

import (
	"errors"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(t *testing.T, st *memStore, c *clock) *Service {
	t.Helper()
	svc, err := New(Config{Store: st, Params: testParams, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func seed(t *testing.T, svc *Service) (cashier, senior, admin User) {
	t.Helper()
	var err error
	if cashier, err = svc.NewUser("Иванова", RoleCashier, "", "1111"); err != nil {
		t.Fatal(err)
	}
	if senior, err = svc.NewUser("Петрова", RoleSenior, "500100732259", "2222"); err != nil {
		t.Fatal(err)
	}
	if admin, err = svc.NewUser("Администратор", RoleAdmin, "", "0000"); err != nil {
		t.Fatal(err)
	}
	return
}

// TestLimiterDoublesAndSurvivesRestart: three wrong PINs lock entry for 30 s, the next three for 60 s,
// a service started over the same store is still locked, and a right PIN ends the series.
func TestLimiterDoublesAndSurvivesRestart(t *testing.T) {
	st := &memStore{}
	c := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	svc := newService(t, st, c)
	seed(t, svc)
	steps := []struct {
		pin      string
		advance  time.Duration
		restart  bool
		want     error
		left     int
		lockLeft time.Duration
	}{
		{pin: "9999", want: ErrWrongPIN, left: 2},
		{pin: "9998", want: ErrWrongPIN, left: 1},
		{pin: "9997", want: ErrLocked, lockLeft: 30 * time.Second},
		{pin: "1111", advance: 10 * time.Second, want: ErrLocked, lockLeft: 20 * time.Second}, // right, but locked
		{pin: "1111", advance: time.Second, restart: true, want: ErrLocked, lockLeft: 19 * time.Second},
		{pin: "9999", advance: 20 * time.Second, want: ErrWrongPIN, left: 2},
		{pin: "9999", want: ErrWrongPIN, left: 1},
		{pin: "9999", want: ErrLocked, lockLeft: time.Minute}, // the second lock doubles
		{pin: "9999", advance: time.Minute, restart: true, want: ErrWrongPIN, left: 2},
		{pin: "1111", want: nil},
		{pin: "9999", want: ErrWrongPIN, left: 2}, // the series ended: a fresh count
		{pin: "9999", want: ErrWrongPIN, left: 1},
		{pin: "9999", want: ErrLocked, lockLeft: 30 * time.Second},
	}
	for i, s := range steps {
		c.t = c.t.Add(s.advance)
		if s.restart {
			svc = newService(t, st, c)
		}
		u, err := svc.Login(s.pin)
		if !errors.Is(err, s.want) && !(s.want == nil && err == nil) {
			t.Fatalf("step %d: Login(%s) = %v, want %v", i, s.pin, err, s.want)
		}
		var wrong *WrongPINError
		if errors.As(err, &wrong) && wrong.Left != s.left {
			t.Errorf("step %d: %d tries left, want %d", i, wrong.Left, s.left)
		}
		var locked *LockedError
		if errors.As(err, &locked) && locked.Left != s.lockLeft {
			t.Errorf("step %d: locked for %v, want %v", i, locked.Left, s.lockLeft)
		}
		if s.want == nil && u.Name != "Иванова" {
			t.Errorf("step %d: logged in %+v", i, u)
		}
	}
}

func TestLockoutIsCapped(t *testing.T) {
	p := Policy{Tries: 1, Lockout: time.Minute, MaxLockout: 5 * time.Minute}
	var st LimiterState
	now := time.Unix(0, 0)
	var last time.Duration
	for range 10 {
		var err error
		st, err = p.fail(st, now)
		var l *LockedError
		if !errors.As(err, &l) {
			t.Fatal(err)
		}
		last = l.Left
	}
	if last != 5*time.Minute {
		t.Errorf("the tenth lock lasts %v, want the 5 min cap", last)
	}
}

// TestAuthoriseAudits: a guarded action of a cashier is allowed by a senior's PIN and refused with a
// cashier's, and each attempt leaves one audit entry naming both people.
func TestAuthoriseAudits(t *testing.T) {
	st := &memStore{}
	c := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	svc := newService(t, st, c)
	cashier, senior, _ := seed(t, svc)
	ctx := Context{Receipt: "sale-1", Line: 2, Detail: "Молоко"}

	if ok, err := svc.Permit(cashier, ActRefund, ctx); ok || err != nil {
		t.Fatalf("a cashier's own role permits a refund: %v %v", ok, err)
	}
	if len(st.audit) != 0 {
		t.Fatalf("Permit without the right audited %+v", st.audit)
	}
	for _, s := range []struct {
		pin  string
		want error
		out  Outcome
	}{
		{"1111", ErrNotAllowed, OutcomeDenied},
		{"7777", ErrWrongPIN, OutcomeWrongPIN},
		{"2222", nil, OutcomeGranted},
	} {
		st.audit = nil
		by, err := svc.Authorise(s.pin, ActStornoSubtotal, cashier, ctx)
		if !errors.Is(err, s.want) && !(s.want == nil && err == nil) {
			t.Fatalf("Authorise(%s) = %v, want %v", s.pin, err, s.want)
		}
		if len(st.audit) != 1 {
			t.Fatalf("Authorise(%s) left %d audit entries", s.pin, len(st.audit))
		}
		e := st.audit[0]
		if e.Outcome != s.out || e.Action != ActStornoSubtotal || e.Cashier != cashier.ID || e.Receipt != "sale-1" ||
			e.Line != 2 || e.Detail != "Молоко" || !e.At.Equal(c.t) {
			t.Errorf("Authorise(%s) audited %+v", s.pin, e)
		}
		if s.want == nil && (by.ID != senior.ID || e.Authoriser != senior.ID || e.AuthoriserRole != RoleSenior) {
			t.Errorf("authorised by %+v, audited %+v", by, e)
		}
	}
	st.audit = nil
	if ok, err := svc.Permit(senior, ActCloseShift, Context{}); !ok || err != nil || len(st.audit) != 1 ||
		st.audit[0].Authoriser != senior.ID {
		t.Errorf("a senior's own Z report: %v %v %+v", ok, err, st.audit)
	}
	if err := svc.Lock(cashier); err != nil || st.audit[len(st.audit)-1].Action != ActLock {
		t.Errorf("Lock: %v %+v", err, st.audit)
	}
}

func TestLoginAuditsEveryAttempt(t *testing.T) {
	st := &memStore{}
	svc := newService(t, st, &clock{t: time.Unix(1e9, 0)})
	seed(t, svc)
	_, _ = svc.Login("5555")
	u, err := svc.Login("0000")
	if err != nil || u.Role != RoleAdmin {
		t.Fatalf("Login(0000) = %+v, %v", u, err)
	}
	if len(st.audit) != 2 || st.audit[0].Outcome != OutcomeWrongPIN || st.audit[1].Outcome != OutcomeGranted ||
		st.audit[1].CashierName != "Администратор" {
		t.Errorf("audit %+v", st.audit)
	}
}

// TestDoneAudits: a finished action's follow-up entry is granted, names the cashier and the senior who
// authorised it, and carries the context known only at the end.
func TestDoneAudits(t *testing.T) {
	st := &memStore{}
	c := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	svc := newService(t, st, c)
	cashier, senior, _ := seed(t, svc)
	tests := []struct {
		name string
		a    Action
		ctx  Context
	}{
		{"device saved", ActDeviceSettingsSaved, Context{Detail: "device=kkt from=/dev/ttyACM0@115200 to=/dev/ttyKKT@57600"}},
		{"refund done", ActRefundDone, Context{Receipt: "sale-1", Detail: "refund=sale-2 amount=89.90"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st.audit = nil
			if err := svc.Done(tt.a, cashier, senior, tt.ctx); err != nil {
				t.Fatal(err)
			}
			if len(st.audit) != 1 {
				t.Fatalf("%d entries", len(st.audit))
			}
			e := st.audit[0]
			if e.Action != tt.a || e.Outcome != OutcomeGranted || e.Cashier != cashier.ID || e.Authoriser != senior.ID ||
				e.AuthoriserRole != RoleSenior || e.Receipt != tt.ctx.Receipt || e.Detail != tt.ctx.Detail || !e.At.Equal(c.t) {
				t.Errorf("audited %+v", e)
			}
		})
	}
}
