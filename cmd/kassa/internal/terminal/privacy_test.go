package terminal

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

var redactCases = []struct{ in, want string }{
	{"buyer +79000000001 set", "buyer +7 ••• •••-••-01 set"},
	{"phone 89000000001.", "phone +7 ••• •••-••-01."},
	{"phone=9000000001", "phone=+7 ••• •••-••-01"},
	{`"8 (900) 000-00-01"`, `"+7 ••• •••-••-01"`},
	{"+7 900 000-00-02 and +7 900 000-00-03", "+7 ••• •••-••-02 and +7 ••• •••-••-03"},
	{"mail anna.petrova@example.ru ok", "mail a•••@example.ru ok"},
	{"code 0104601234567893215UWtYHQ3hiHnm\x1d93dGVz scanned", "code 010460123456789321… scanned"},
	{`code "0104601234567893215UWtYHQ3hiHnm\x1d93dGVz"`, `code "010460123456789321…"`},
	// what must stay: ФН serials, barcodes, fiscal signs, sums, ids, times
	{"fn 9999078900012345 fd 163 sign 1776727275", "fn 9999078900012345 fd 163 sign 1776727275"},
	{"barcode 4601234567893 total 1234.50", "barcode 4601234567893 total 1234.50"},
	{"sale 0195a1b2-0000-7000-8000-000000000009 at 2026-03-02T14:05:00Z", "sale 0195a1b2-0000-7000-8000-000000000009 at 2026-03-02T14:05:00Z"},
	{"no digits here", "no digits here"},
	{`refused "+790000000010" typed`, `refused "+7 ••• •••-••-10" typed`},
}

func TestRedact(t *testing.T) {
	for _, c := range redactCases {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, c := range redactCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		if Redact(out) != out {
			t.Errorf("Redact is not idempotent on %q: %q", s, out)
		}
	})
}

// Whatever a log call carries (message, strings, errors, groups, attributes given once), the contact
// does not reach the log.
func TestRedactorHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewRedactor(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	err := fmt.Errorf("set buyer: %w: %q", pos.ErrBadBuyerContact, "89000000001x")
	log.With("customer", "+79000000001").Info("e-receipt to anna.petrova@example.ru", "err", err,
		slog.Group("sale", "buyer", "9000000001", "n", 3), "mark", []string{"0104601234567893215UWtYHQ3hiHnm\x1d93dGVz"})
	out := buf.String()
	for _, leak := range []string{"9000000001", "anna.petrova", "5UWtYHQ3hiHnm", "dGVz"} {
		if strings.Contains(out, leak) {
			t.Errorf("the log holds %q:\n%s", leak, out)
		}
	}
	if !strings.Contains(out, "n=3") || !strings.Contains(out, "+7 ••• •••-••-01") {
		t.Errorf("the log lost what it may keep:\n%s", out)
	}
}

func TestTightenPermissions(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	sub := filepath.Join(dir, "hub")
	os.Mkdir(sub, 0o755)
	files := []string{filepath.Join(dir, "kassa.log"), filepath.Join(sub, "hub.db")}
	for _, f := range files {
		os.WriteFile(f, []byte("x"), 0o644)
	}
	os.Symlink("/dev/null", filepath.Join(dir, "link"))
	token := filepath.Join(dir, "token")
	os.WriteFile(token, []byte("t"), 0o644)
	if err := TightenPermissions(dir, token); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(token); info.Mode().Perm() != 0o644 {
		t.Error("a secret others could read was quietly fixed instead of refused")
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, sub: 0o700, files[0]: 0o600, files[1]: 0o600} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v, %v; want %v", path, info.Mode().Perm(), err, want)
		}
	}
	if info, _ := os.Stat("/dev/null"); info.Mode().Perm()&0o066 != 0o066 {
		t.Error("a symbolic link's target was changed")
	}
}

func TestLoadBuyerKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", BuyerKeyName)
	key, err := LoadBuyerKey(path)
	if err != nil || len(key) != store.BuyerKeySize {
		t.Fatalf("first load: %d bytes, %v", len(key), err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v, %v", info, err)
	}
	again, err := LoadBuyerKey(path)
	if err != nil || !bytes.Equal(again, key) {
		t.Fatalf("second load differs: %v", err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadBuyerKey(path); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("a key others can read = %v", err)
	}
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte("short"), 0o600)
	if _, err := LoadBuyerKey(path); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestClassifyOS(t *testing.T) {
	if err := classifyOS(&os.PathError{Op: "write", Err: syscall.ENOSPC}); !errors.Is(err, pos.ErrDiskFull) {
		t.Errorf("ENOSPC = %v", err)
	}
}
