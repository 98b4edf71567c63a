// Package testbin builds this module's kassa and kassahub binaries for the tests that drive them as real
// processes (e2e/faults, e2e/soak), so each test binary runs against the tree it was built from.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Main is the TestMain of such a package: it builds the binaries into a fresh temporary folder, stores
// that folder in *bin, runs the tests and exits with their code after removing the folder. name prefixes
// the folder ("kassa-"+name) and the build error; root is the module's root relative to the package.
func Main(m *testing.M, name, root string, bin *string) {
	dir, err := os.MkdirTemp("", "kassa-"+name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*bin = dir
	code := 1
	if err := Build(root, dir); err != nil {
		fmt.Fprintln(os.Stderr, name+": build the binaries:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// Build compiles cmd/kassa and cmd/kassahub of the module at root into the folder out, with the tag the
// Makefile builds with.
func Build(root, out string) error {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		gocmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(gocmd, "build", "-tags", "migrated_fynedo", "-o", out+string(filepath.Separator),
		"./cmd/kassa", "./cmd/kassahub")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w\n%s", err, b)
	}
	return nil
}
