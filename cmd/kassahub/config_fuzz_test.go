package main

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadConfig reads arbitrary files as kassahub.toml: a bad file is an error naming the file, never a
// panic, and a file that loads gives a valid configuration with usable pickup options.
func FuzzLoadConfig(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("testdata", "kassahub.toml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{string(example), ``, `listne = "x"`, "[tls]\ncert = \"a.pem\"", `max_body = -1`,
		"[pickup]\nttl = \"a week\"", "[[pickup.keys]]\nid = \"k1\"\nsecret = \"zz\"", "[pickup]\nsign_with = \"k9\"",
		"[[stores]]\nid = \"s1\"\n[[stores]]\nid = \"s1\"", "[[terminals]]\nstore = \"s1\"\nname = \"t\"\ntoken_sha256 = \"nope\"",
		"[customers]\nphone_key = \"abcd\"", "[admin]\ntoken_sha256 = [\"abc\"]"} {
		f.Add(s)
	}
	path := filepath.Join(f.TempDir(), "kassahub.toml")
	f.Fuzz(func(t *testing.T, data string) {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := loadConfig(path)
		if err != nil {
			return
		}
		c = c.withDefaults()
		if err := c.validate(); err != nil {
			t.Fatalf("a loaded config does not validate with its defaults: %v", err)
		}
		_ = c.pickupOptions()
	})
}
