// Package kassa_test enforces the import rules of DESIGN.md, in the spirit of Go's own
// go/build/deps_test.go: every package of the module has an allow-list of what it may import.
// The standard library is open to all except where a rule says otherwise, test files are free,
// and a package that appears in no rule fails the test, so a new package must state its place.
package kassa_test

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/kassa-pos/kassa/"

// domain is what `pos` and its logic packages may use: the standard library minus the network.
var domainBanned = []string{"net", "net/http", "os/exec", "database/sql", "unsafe"}

type rule struct {
	allow     []string // module-relative packages and third-party import paths; a trailing /... is a prefix
	anyThird  bool     // cmd/*: wires everything
	stdBanned []string
}

var rules = map[string]rule{
	// Domain: stdlib only, and pos below everything.
	"pos":          {stdBanned: domainBanned},
	"pos/barcode":  {allow: []string{"pos"}, stdBanned: domainBanned},
	"pos/cart":     {allow: []string{"pos"}, stdBanned: domainBanned},
	"pos/catalog":  {allow: []string{"pos"}, stdBanned: domainBanned},
	"pos/checkout": {allow: []string{"pos", "pos/cart", "pos/barcode", "pos/loyalty", "pos/offers"}, stdBanned: domainBanned},
	// The loyalty programme: recognition and rules. sync/wire is the vocabulary of the pulled customers
	// and of the app's signed QR code it verifies offline.
	"pos/loyalty": {allow: []string{"pos", "pos/barcode", "pos/offers", "sync/wire"}, stdBanned: domainBanned},
	// A loyalty customer's personal offers applied to the receipt: pure arithmetic on lines.
	"pos/offers": {allow: []string{"pos"}, stdBanned: domainBanned},
	// The kiosk's logic: product cards with the online offer, the basket QR, the idle reset, the manager PIN.
	"pos/kiosk": {allow: []string{"pos", "pos/barcode"}, stdBanned: domainBanned},
	// People and permissions: users, argon2id PIN hashes, the permission table, the PIN rate limiter, audit.
	"pos/staff": {allow: []string{"golang.org/x/crypto/argon2"}, stdBanned: domainBanned},
	// The click&collect desk: the pulled orders, and the pickup QR it verifies offline with sync/wire.
	"pos/pickup": {allow: []string{"pos", "pos/barcode", "sync/wire"}, stdBanned: domainBanned},
	// The small adapter that maps domain receipts to the Shtrih-M driver's commands.
	"pos/fiscal": {allow: []string{"pos", "hardware/kkt"}, stdBanned: domainBanned},
	// The only package that touches bbolt on the terminal.
	"pos/store": {allow: []string{"pos", "pos/staff", "sync/outbox", "sync/wire", "go.etcd.io/bbolt/...", "github.com/google/uuid"},
		stdBanned: []string{"net/http"}},
	// A synthetic million-product catalog for the scale benchmarks, built through the store's catalog feed.
	"pos/store/synthcatalog": {allow: []string{"pos/store", "sync/wire"}, stdBanned: domainBanned},
	// Screens talk to the use cases only: no store, no hardware, no HTTP, and not fyne's GL app driver,
	// so the UI stays testable headless.
	"pos/ui": {allow: []string{"pos", "pos/cart", "pos/checkout", "pos/barcode", "pos/loyalty", "pos/kiosk",
		"pos/pickup", "pos/staff", "fyne.io/fyne/v2/...",
		"github.com/skip2/go-qrcode"}, stdBanned: []string{"net", "net/http", "os/exec"}},

	// Hardware speaks devices' languages over an io.ReadWriter and knows nothing of pos.
	"hardware/serialport":   {allow: []string{"github.com/tarm/serial", "golang.org/x/sys/unix", "github.com/creack/pty"}},
	"hardware/kkt":          {allow: []string{"golang.org/x/text/..."}, stdBanned: []string{"net/http"}},
	"hardware/kkt/emulator": {allow: []string{"hardware/kkt", "golang.org/x/text/..."}, stdBanned: []string{"net/http"}},
	"hardware/escpos":       {allow: []string{"golang.org/x/text/...", "github.com/skip2/go-qrcode/..."}, stdBanned: []string{"net/http"}},
	"hardware/scanner":      {stdBanned: []string{"net/http"}},
	"hardware/display":      {allow: []string{"golang.org/x/text/..."}, stdBanned: []string{"net/http"}},
	"hardware/scale":        {stdBanned: []string{"net/http"}},

	// Sync: wire is the shared vocabulary; the rest never sees the UI or the devices.
	"sync/wire":   {stdBanned: []string{"net", "net/http"}},
	"sync/outbox": {allow: []string{"sync/wire", "go.etcd.io/bbolt/..."}},
	"sync/client": {allow: []string{"sync/wire", "github.com/cenkalti/backoff/v4"}},
	"sync/hub":    {allow: []string{"sync/wire", "go.etcd.io/bbolt/..."}},
	// The hub's Prometheus observer and its 1C (CommerceML) catalog reader, kept out of sync/hub itself.
	"sync/hub/metrics":    {allow: []string{"sync/hub", "sync/wire", "github.com/prometheus/client_golang/..."}},
	"sync/hub/commerceml": {allow: []string{"sync/wire", "golang.org/x/text/..."}, stdBanned: []string{"net", "net/http"}},
	// The hub's storage on PostgreSQL, its test database helper, and the storage test suite both backends run.
	"sync/hub/pgstore":        {allow: []string{"sync/hub", "sync/wire", "github.com/jackc/pgx/v5/..."}},
	"sync/hub/pgstore/pgtest": {allow: []string{"github.com/jackc/pgx/v5/..."}},
	"sync/hub/storetest":      {allow: []string{"sync/hub", "sync/wire", "sync/client"}},

	"cmd/kassa":    {anyThird: true},
	"cmd/kassahub": {anyThird: true},
	"cmd/kktemu":   {anyThird: true},
	// The terminal's wiring without its window, shared by cmd/kassa, its tools and the crash tests.
	"cmd/kassa/internal/terminal": {anyThird: true},
	"cmd/kassa/internal/device":   {anyThird: true},
	// `kassa simulate`: a headless terminal selling and replaying to a hub (load and fault tests).
	"cmd/kassa/internal/simulate": {anyThird: true},
	"assets":                      {},
	// Builds kassa and kassahub for the tests that run them as processes (e2e/faults, e2e/soak).
	"e2e/internal/testbin": {},
}

// forbiddenEverywhere holds imports no non-cmd package may use.
var forbiddenEverywhere = []string{"fyne.io/fyne/v2/app"}

func TestImportRules(t *testing.T) {
	for _, dir := range packageDirs(t) {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				continue
			}
			t.Fatalf("%s: %v", dir, err)
		}
		rel := filepath.ToSlash(dir)
		if pkg.Name == "sync" {
			t.Errorf("%s: a package named sync shadows the standard library", rel)
		}
		r, ok := rules[rel]
		if !ok {
			if strings.HasPrefix(rel, "e2e") || strings.HasSuffix(rel, "/testdata") {
				continue
			}
			t.Errorf("%s: no import rule; add it to deps_test.go", rel)
			continue
		}
		for _, imp := range pkg.Imports {
			if msg := check(rel, r, imp); msg != "" {
				t.Errorf("%s imports %s: %s", rel, imp, msg)
			}
		}
	}
}

func check(pkg string, r rule, imp string) string {
	if slices.Contains(forbiddenEverywhere, imp) && !strings.HasPrefix(pkg, "cmd/") {
		return "only cmd/* may start the GL app driver"
	}
	if isStd(imp) {
		if slices.Contains(r.stdBanned, imp) {
			return "not allowed in this layer"
		}
		return ""
	}
	if r.anyThird {
		return ""
	}
	name := strings.TrimPrefix(imp, module)
	for _, a := range r.allow {
		if a == name || (strings.HasSuffix(a, "/...") && strings.HasPrefix(name+"/", strings.TrimSuffix(a, "...")) && !slices.Contains(forbiddenEverywhere, imp)) {
			return ""
		}
	}
	return "not in the allow-list of DESIGN.md's layering"
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func packageDirs(t *testing.T) []string {
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin") {
			return filepath.SkipDir
		}
		if path != "." {
			dirs = append(dirs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

func TestCheckCatchesViolations(t *testing.T) {
	for _, c := range []struct {
		pkg, imp string
		bad      bool
	}{
		{"pos", "go.etcd.io/bbolt", true},
		{"pos", "net/http", true},
		{"pos/cart", module + "pos", false},
		{"pos/ui", "fyne.io/fyne/v2/widget", false},
		{"pos/ui", "fyne.io/fyne/v2/app", true},
		{"pos/ui", module + "pos/store", true},
		{"hardware/kkt", module + "pos", true},
		{"hardware/serialport", "github.com/tarm/serial", false},
		{"cmd/kassa", "fyne.io/fyne/v2/app", false},
	} {
		msg := check(c.pkg, rules[c.pkg], c.imp)
		if (msg != "") != c.bad {
			t.Errorf("check(%s, %s) = %q, want violation %v", c.pkg, c.imp, msg, c.bad)
		}
	}
}
