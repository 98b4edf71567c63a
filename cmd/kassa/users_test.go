package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/pos/store"
)

// cheapPINs makes the tests' argon2id hashes fast; the format is the production one.
func cheapPINs(t *testing.T) {
	old := staffParams
	staffParams = staff.Params{Time: 1, Memory: 64, Threads: 1, KeyLen: 32, SaltLen: 16}
	t.Cleanup(func() { staffParams = old })
}

func userCmd(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code = userMain(args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestUserCommands: `kassa user add` reads the PIN twice from stdin (never a flag), refuses a mismatch,
// a bad role or INN and a PIN already taken; once there is an administrator, add and disable need an
// administrator's PIN first; `list` shows the users; `disable` stops one.
func TestUserCommands(t *testing.T) {
	cheapPINs(t)
	data := t.TempDir()
	tests := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"2222\n2222\n", []string{"add", "--data", data, "--name", "Петрова М.", "--role", "senior", "--inn", "500100732259"}, 0, "(senior)"},
		{"0000\n0000", []string{"add", "--data", data, "--name", "Администратор", "--role", "admin"}, 0, "(admin)"},
		{"0000\n1111\n1112\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier"}, 1, "the two PINs differ"},
		{"0000\n2222\n2222\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier"}, 1, "another active user has this pin"},
		{"0000\n1111\n1111\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "boss"}, 2, "role is cashier, senior or admin"},
		{"0000\n1111\n1111\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier", "--inn", "123"}, 1, "inn"},
		{"0000\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier"}, 1, "read the PIN"},
		{"", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier"}, 1, "read the PIN"},
		{"0000\n", []string{"add", "--data", data, "--role", "cashier"}, 2, "--name and --role are required"},
		{"2222\n1111\n1111\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier"}, 1, "may not do this"}, // a senior
		{"9999\n1111\n1111\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier"}, 1, "wrong pin"},
		{"0000\n1111\n1111\n", []string{"add", "--data", data, "--name", "Иванова", "--role", "cashier"}, 0, "(cashier)"},
		{"0000\n", []string{"disable", "--data", data, "Иванова"}, 0, "disabled"},
		{"0000\n", []string{"disable", "--data", data, "Никто"}, 1, "no such user"},
		{"", []string{"remove"}, 2, "usage"},
	}
	for _, tc := range tests {
		code, out, errOut := userCmd(t, tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("kassa user %q: code %d, out %q, err %q; want %d and %q", tc.args, code, out, errOut, tc.code, tc.want)
		}
		if strings.Contains(out+errOut, "1111") || strings.Contains(out+errOut, "2222") || strings.Contains(out+errOut, "0000") {
			t.Errorf("kassa user %q echoed a PIN: %q %q", tc.args, out, errOut)
		}
	}
	code, out, _ := userCmd(t, "", "list", "--data", data)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") ||
		!strings.Contains(lines[1], "Администратор") || !strings.Contains(lines[2], "500100732259") ||
		!strings.Contains(lines[3], "Иванова") || !strings.Contains(lines[3], "disabled") {
		t.Errorf("list:\n%s", out)
	}
	st, err := store.Open(filepath.Join(data, "kassa.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	audit, _ := st.AuditEntries(0)
	granted := 0
	for _, e := range audit {
		if e.Action == staff.ActManageUsers && e.Outcome == staff.OutcomeGranted && e.AuthoriserName == "Администратор" {
			granted++
		}
	}
	if granted != 7 {
		t.Errorf("%d granted user-management entries in the audit log, want 7", granted)
	}
	users, _ := st.Users()
	for _, u := range users {
		if !strings.HasPrefix(u.PINHash, "$argon2id$v=19$m=64,t=1,p=1$") {
			t.Errorf("%s's PIN is stored as %q", u.Name, u.PINHash)
		}
	}
}

// TestOpenStaff: the demo seeds its three users once; a real till without users refuses to start with
// the command that fixes it.
func TestOpenStaff(t *testing.T) {
	cheapPINs(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := openStaff(st, false); !errors.Is(err, staff.ErrNoUsers) || !strings.Contains(err.Error(), "kassa user add") {
		t.Errorf("a till without users: %v", err)
	}
	for range 2 { // a restart does not seed again
		if _, err := openStaff(st, true); err != nil {
			t.Fatal(err)
		}
	}
	users, _ := st.Users()
	if len(users) != len(demoUsers) {
		t.Fatalf("%d demo users", len(users))
	}
	svc, _ := staff.New(staff.Config{Store: st})
	for _, d := range demoUsers {
		u, err := svc.Login(d.pin)
		if err != nil || u.Name != d.name || u.Role != d.role || !strings.Contains(demoHint, d.pin) {
			t.Errorf("demo PIN %s: %+v %v", d.pin, u, err)
		}
	}
}
