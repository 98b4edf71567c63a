package terminal

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kassa-pos/kassa/pos/store"
)

// Personal data at the terminal (152-ФЗ). Everything the terminal writes is readable by its own user only
// (files 0600, folders 0700; TightenPermissions fixes a data folder made by an older version or by hand),
// the buyer's contact is sealed in the journal under the terminal's buyer key (pos/store/buyer.go), and
// the log goes through Redactor, which masks phone numbers, e-mail addresses and the crypto tails of
// marking codes whatever log call carries them.

// BuyerKeyName is the buyer key's file in the data folder unless Options.BuyerKeyFile names another.
const BuyerKeyName = "buyer.key"

// LoadBuyerKey reads the key that seals buyers' contacts in the journal, making one on first start. Like
// the token, a key file others can read is refused.
func LoadBuyerKey(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, store.BuyerKeySize)
		rand.Read(key)
		if err := writePrivate(path, key); err != nil {
			return nil, fmt.Errorf("buyer key: %w", err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("buyer key: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("buyer key %s is readable by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("buyer key: %w", err)
	}
	if len(key) != store.BuyerKeySize {
		return nil, fmt.Errorf("buyer key %s: %d bytes, want %d", path, len(key), store.BuyerKeySize)
	}
	return key, nil
}

// writePrivate writes a new file with mode 0600 through a synced temporary file and a rename.
func writePrivate(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*") // CreateTemp makes it 0600
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// TightenPermissions makes the data folder private: folders 0700, files 0600, wherever they are looser.
// Symbolic links are left alone (a device link is not ours to change), and so are the secrets named: a
// token or key others could read may have leaked, so it is refused with a message for a person to act
// on, not quietly fixed.
func TightenPermissions(dir string, secrets ...string) error {
	skip := map[string]bool{}
	for _, s := range secrets {
		if abs, err := filepath.Abs(s); err == nil {
			skip[abs] = true
		}
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		if abs, err := filepath.Abs(p); err == nil && skip[abs] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else if !info.Mode().IsRegular() {
			return nil
		}
		if perm := info.Mode().Perm(); perm&^want != 0 {
			if err := os.Chmod(p, perm&want); err != nil {
				return fmt.Errorf("make %s private: %w", p, err)
			}
		}
		return nil
	})
}

var (
	// A Russian mobile number however it is written: +7 900 000-00-01, 8 (900) 000 00 01, 79000000001,
	// 9000000001. The boundaries keep it off longer digit runs (ФН serials, barcodes, marking codes). A
	// ten-digit fiscal sign cannot start with 9 (it is below 2^32).
	phoneRE = regexp.MustCompile(`(^|[^\d+])((\+7|8|7)[\s\-(]*)?9\d{2}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}($|\D)`)
	// A mistyped one, a digit too many ("+790000000010" of a refused contact), still names the customer.
	phoneRunRE = regexp.MustCompile(`(^|[^\d+])(\+?[78]?9\d{9,10})($|\D)`)
	emailRE    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// A marking code: GTIN (01 + 14 digits), then serial (21 …) and the crypto tail (91/92/93 …). What
	// follows the GTIN is cut: the tail would let anyone print a valid code for this pack.
	markingRE = regexp.MustCompile(`01\d{14}21[^\s"'<>]+`)
)

// Redact masks personal data and marking-code tails in a log text.
func Redact(s string) string {
	if !strings.ContainsAny(s, "0123456789@") {
		return s
	}
	s = markingRE.ReplaceAllStringFunc(s, func(m string) string { return m[:16] + "21…" })
	s = emailRE.ReplaceAllStringFunc(s, func(m string) string { return store.MaskContact(m) })
	s = maskPhones(s, phoneRE, 4)
	return maskPhones(s, phoneRunRE, 3)
}

// maskPhones replaces each match of re but its boundary characters (group 1 before, group last after)
// with the mask of the number between them.
func maskPhones(s string, re *regexp.Regexp, last int) string {
	for {
		loc := re.FindStringSubmatchIndex(s)
		if loc == nil {
			return s
		}
		start, end := loc[3], loc[2*last]
		digits := onlyDigits(s[start:end])
		s = s[:start] + "+7 ••• •••-••-" + digits[len(digits)-2:] + s[end:]
	}
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Redactor is a slog.Handler that redacts the message and every attribute (strings, errors, anything
// printed) before the next handler sees them.
type Redactor struct{ next slog.Handler }

// NewRedactor wraps next.
func NewRedactor(next slog.Handler) *Redactor { return &Redactor{next: next} }

// Enabled reports whether the wrapped handler logs at level.
func (r *Redactor) Enabled(ctx context.Context, l slog.Level) bool { return r.next.Enabled(ctx, l) }

// Handle redacts the record and passes it on.
func (r *Redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return r.next.Handle(ctx, out)
}

// WithAttrs redacts the attributes given once for many records.
func (r *Redactor) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a)
	}
	return &Redactor{next: r.next.WithAttrs(red)}
}

// WithGroup passes the group on.
func (r *Redactor) WithGroup(name string) slog.Handler {
	return &Redactor{next: r.next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = redactAttr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		if v.Any() == nil {
			return a
		}
		// Errors, Stringers, structs: as the text handler would print them, redacted.
		return slog.String(a.Key, Redact(fmt.Sprint(v.Any())))
	default: // numbers, times, durations, bools carry no contact
		return slog.Attr{Key: a.Key, Value: v}
	}
}

// redacting returns log with its handler wrapped in a Redactor, once.
func redacting(log *slog.Logger) *slog.Logger {
	if _, ok := log.Handler().(*Redactor); ok {
		return log
	}
	return slog.New(NewRedactor(log.Handler()))
}
