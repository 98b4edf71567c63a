package staff

import (
	"errors"
	"testing"
	"time"
)

// testParams keep tests fast; the format and the comparison are the same as with DefaultParams.
var testParams = Params{Time: 1, Memory: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

// memStore is the service's storage in memory.
type memStore struct {
	users   []User
	lim     LimiterState
	audit   []AuditEntry
	failPut error
}

func (m *memStore) Users() ([]User, error) { return append([]User(nil), m.users...), nil }
func (m *memStore) PutUser(u User) error {
	if m.failPut != nil {
		return m.failPut
	}
	for i := range m.users {
		if m.users[i].ID == u.ID {
			m.users[i] = u
			return nil
		}
	}
	m.users = append(m.users, u)
	return nil
}
func (m *memStore) PINLimiter() (LimiterState, error)    { return m.lim, nil }
func (m *memStore) SavePINLimiter(st LimiterState) error { m.lim = st; return nil }
func (m *memStore) RecordAudit(e AuditEntry) error       { m.audit = append(m.audit, e); return nil }

func TestPermissionTable(t *testing.T) {
	for _, c := range []struct {
		a                      Action
		cashier, senior, admin bool
	}{
		{ActLogin, true, true, true},
		{ActSell, true, true, true},
		{ActLock, true, true, true},
		{ActRefund, false, true, true},
		{ActStornoSubtotal, false, true, true},
		{ActCashOut, false, true, true},
		{ActCloseShift, false, true, true},
		{ActDeviceSettings, false, true, true},
		{ActLeaveKiosk, false, true, true},
		{ActManageUsers, false, false, true},
		{Action("format_disk"), false, false, true}, // not in the table: administrators only
	} {
		for _, r := range []struct {
			role Role
			want bool
		}{{RoleCashier, c.cashier}, {RoleSenior, c.senior}, {RoleAdmin, c.admin}} {
			if got := (User{Role: r.role}).Can(c.a); got != r.want {
				t.Errorf("%s can %s = %v, want %v", r.role, c.a, got, r.want)
			}
		}
		if (User{Role: RoleAdmin, Disabled: true}).Can(c.a) {
			t.Errorf("a disabled admin can %s", c.a)
		}
	}
	for _, a := range Actions() {
		if _, ok := permissions[a]; !ok {
			t.Errorf("Actions lists %s, which the table lacks", a)
		}
	}
}

func TestParseRole(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Role
		ok   bool
	}{
		{"cashier", RoleCashier, true}, {"Senior", RoleSenior, true}, {"senior_cashier", RoleSenior, true},
		{"admin", RoleAdmin, true}, {"administrator", RoleAdmin, true}, {"root", 0, false}, {"", 0, false},
	} {
		got, err := ParseRole(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseRole(%q) = %v, %v", c.in, got, err)
		}
		if c.ok && got.String() == "" {
			t.Errorf("%v has no name", got)
		}
	}
}

func TestValidINN(t *testing.T) {
	for _, c := range []struct {
		inn string
		ok  bool
	}{
		{"", true},
		{"500100732259", true}, // a valid personal INN (both check digits)
		{"500100732258", false},
		{"500100732249", false},
		{"7707083893", false}, // a company's 10-digit INN is not a person's
		{"50010073225a", false},
	} {
		if err := ValidINN(c.inn); (err == nil) != c.ok {
			t.Errorf("ValidINN(%q) = %v, want ok %v", c.inn, err, c.ok)
		}
	}
}

func TestValidNameAndPIN(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{{"Иванова А.", true}, {"  ", false}, {"a\x00b", false}, {string(make([]rune, 65)), false}} {
		if err := ValidName(c.name); (err == nil) != c.ok {
			t.Errorf("ValidName(%q) = %v", c.name, err)
		}
	}
	for _, c := range []struct {
		pin string
		ok  bool
	}{{"1111", true}, {"12345678", true}, {"123", false}, {"123456789", false}, {"12a4", false}, {"", false}} {
		if err := ValidPIN(c.pin); (err == nil) != c.ok {
			t.Errorf("ValidPIN(%q) = %v", c.pin, err)
		}
	}
}

func TestDisableAndList(t *testing.T) {
	st := &memStore{}
	svc, err := New(Config{Store: st, Params: testParams})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := svc.NewUser("Иванова", RoleCashier, "", "1111")
	b, _ := svc.NewUser("Администратор", RoleAdmin, "", "0000")
	list, _ := svc.Users()
	if len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("users %+v, want the admin first", list)
	}
	if _, err := svc.Disable("Иванова"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Login("1111"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("a disabled user logged in: %v", err)
	}
	if _, err := svc.NewUser("Сидорова", RoleCashier, "", "1111"); err != nil {
		t.Errorf("the PIN of a disabled user is free again: %v", err)
	}
	if _, err := svc.Disable("nobody"); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("Disable(nobody) = %v", err)
	}
}

func TestNewUserRefusals(t *testing.T) {
	st := &memStore{}
	svc, _ := New(Config{Store: st, Params: testParams})
	if _, err := svc.NewUser("Петрова", RoleSenior, "500100732259", "2222"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, inn, pin string
		role           Role
		want           error
	}{
		{"Иванова", "", "2222", RoleCashier, ErrPINTaken},
		{"", "", "3333", RoleCashier, ErrBadName},
		{"Иванова", "123", "3333", RoleCashier, ErrBadINN},
		{"Иванова", "", "33", RoleCashier, ErrBadPIN},
		{"Иванова", "", "3333", Role(9), ErrBadRole},
	} {
		if _, err := svc.NewUser(c.name, c.role, c.inn, c.pin); !errors.Is(err, c.want) {
			t.Errorf("NewUser(%q, %v, %q, %q) = %v, want %v", c.name, c.role, c.inn, c.pin, err, c.want)
		}
	}
	if len(st.users) != 1 {
		t.Errorf("%d users stored, want 1", len(st.users))
	}
}

func TestLockedErrorText(t *testing.T) {
	err := error(&LockedError{Until: time.Unix(100, 0), Left: 30 * time.Second})
	if !errors.Is(err, ErrLocked) || err.Error() == "" {
		t.Errorf("%v", err)
	}
}
