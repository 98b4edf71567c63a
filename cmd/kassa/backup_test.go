package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/pos/store"
)

func TestBackupRestoreCommands(t *testing.T) {
	data := t.TempDir()
	st, err := store.Open(filepath.Join(data, store.DBName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "till.backup")
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"usage", []string{"backup", "--data", data}, 2, "", "usage: kassa backup"},
		{"while the till runs", []string{"backup", "--data", data, "--to", file}, 1, "", "касса запущена"},
		{"restore while the till runs", []string{"restore", "--from", file, "--data", data}, 1, "", "касса запущена"},
		{"closed: backup", []string{"backup", "--data", data, "--to", file}, 0, "schema", ""},
		{"closed: restore", []string{"restore", "--from", file, "--data", data}, 0, "kassa.db.bak", ""},
		{"not a backup", []string{"restore", "--from", filepath.Join(data, store.DBName), "--data", data}, 1, "", "не является исправной резервной копией"},
	}
	for _, c := range tests {
		if strings.HasPrefix(c.name, "closed") && st != nil {
			st.Close()
			st = nil
		}
		var stdout, stderr bytes.Buffer
		code := Main(c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String(), c.out) || !strings.Contains(stderr.String(), c.err) {
			t.Errorf("%s: exit %d, want %d\nstdout %s\nstderr %s", c.name, code, c.code, stdout.String(), stderr.String())
		}
	}
}

func TestJournalConfig(t *testing.T) {
	tests := []struct {
		in      JournalConfig
		days    int // archive after, in days; -1 never, 0 the default
		minFree uint64
		bad     bool
	}{
		{JournalConfig{}, 0, 0, false},
		{JournalConfig{ArchiveAfterDays: 30, MinFreeMB: 100}, 30, 100 << 20, false},
		{JournalConfig{ArchiveAfterDays: -1}, -1, 0, false},
		{JournalConfig{ArchiveAfterDays: -2}, 0, 0, true},
		{JournalConfig{MinFreeMB: -1}, 0, 0, true},
	}
	for _, c := range tests {
		if err := c.in.validate(); (err != nil) != c.bad {
			t.Errorf("%+v: validate = %v", c.in, err)
			continue
		}
		if c.bad {
			continue
		}
		o := c.in.options()
		days := int(o.ArchiveAfter / (24 * 60 * 60 * 1e9))
		if c.days < 0 {
			days = int(o.ArchiveAfter)
		}
		if days != c.days || o.MinFree != c.minFree {
			t.Errorf("%+v: options %+v", c.in, o)
		}
	}
}

func TestJournalConfigFromTOML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kassa.toml")
	if err := os.WriteFile(path, []byte("[journal]\narchive_after_days = 90\nmin_free_mb = 128\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path)
	if err != nil || cfg.Journal.ArchiveAfterDays != 90 || cfg.Journal.MinFreeMB != 128 {
		t.Errorf("loadConfig = %+v, %v", cfg.Journal, err)
	}
}
