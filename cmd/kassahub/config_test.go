package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const hashA = "5e2b5b6f9a3c3d1b0c6f7d2c4e1a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a"

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kassahub.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadExampleConfig(t *testing.T) {
	c, err := loadConfig(filepath.Join("testdata", "kassahub.toml"))
	if err != nil {
		t.Fatal(err)
	}
	c = c.withDefaults()
	if c.Listen != "0.0.0.0:8787" || c.Data != "/var/lib/kassahub" || c.LogFormat != "json" || c.MaxBody != 8<<20 ||
		c.TLS.Cert == "" || len(c.Admin.TokenSHA256) != 1 || len(c.Stores) != 2 || len(c.Terminals) != 1 {
		t.Errorf("config %+v", c)
	}
	opt := c.pickupOptions()
	if opt.KeyID != "2026a" || len(opt.Key) != 32 || opt.TTL != 168*time.Hour || len(opt.PhoneKey) != 32 {
		t.Errorf("pickup options %+v", opt)
	}
	if c.knowsStore("msk-02") != nil || c.knowsStore("spb-01") == nil {
		t.Error("knowsStore does not follow the stores list")
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty is fine", ``, ""},
		{"unknown key", `listne = "x"`, "unknown keys: listne"},
		{"unknown nested key", "[tls]\ncertificate = \"a\"", "unknown keys: tls.certificate"},
		{"not toml", `listen = `, "config"},
		{"wrong type", `max_body = "8MB"`, "config"},
		{"log level", `log_level = "loud"`, "log_level"},
		{"log format", `log_format = "xml"`, "log_format"},
		{"max body", `max_body = -1`, "max_body"},
		{"half tls", "[tls]\ncert = \"a.pem\"", "both cert and key"},
		{"admin hash", "[admin]\ntoken_sha256 = [\"abc\"]", "admin.token_sha256"},
		{"phone key short", "[customers]\nphone_key = \"abcd\"", "customers.phone_key"},
		{"ttl", "[pickup]\nttl = \"a week\"", "config"},
		{"key id", "[[pickup.keys]]\nid = \"k 1\"\nsecret = \"" + hashA + "\"", "pickup.keys id"},
		{"key secret", "[[pickup.keys]]\nid = \"k1\"\nsecret = \"zz\"", "secret"},
		{"sign with", "[pickup]\nsign_with = \"k9\"", "sign_with"},
		{"store twice", "[[stores]]\nid = \"s1\"\n[[stores]]\nid = \"s1\"", "twice"},
		{"terminal of unknown store", "[[stores]]\nid = \"s1\"\n[[terminals]]\nstore = \"s2\"\nname = \"t\"\ntoken_sha256 = \"" + hashA + "\"", "not in stores"},
		{"terminal hash", "[[terminals]]\nstore = \"s1\"\nname = \"t\"\ntoken_sha256 = \"nope\"", "token_sha256"},
		{"terminal twice", strings.Repeat("[[terminals]]\nstore = \"s1\"\nname = \"t\"\ntoken_sha256 = \""+hashA+"\"\n", 2), "declared twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(writeConfig(t, tc.text))
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("loadConfig = %v, want an error about %q", err, tc.want)
			}
		})
	}
	if _, err := loadConfig(filepath.Join(t.TempDir(), "missing.toml")); err == nil {
		t.Error("a missing config file loaded")
	}
}

// TestFlagsOverrideConfig: --data beats the file's data, which beats the default.
func TestFlagsOverrideConfig(t *testing.T) {
	path := writeConfig(t, "data = \"/from/config\"\nlisten = \"127.0.0.1:9\"\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--config", path}, "/from/config"},
		{[]string{"--config", path, "--data", "/from/flag"}, "/from/flag"},
		{[]string{"--data", "/from/flag"}, "/from/flag"},
		{nil, defaultData},
	}
	for _, tc := range tests {
		fl, com := newFlags("test", nil)
		if err := parse(fl, tc.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := com.load()
		if err != nil || cfg.Data != tc.want {
			t.Errorf("%q: data %q, %v; want %q", tc.args, cfg.Data, err, tc.want)
		}
	}
}
