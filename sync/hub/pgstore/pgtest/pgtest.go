// Package pgtest gives tests a PostgreSQL database of their own. A test binary's TestMain calls Main; the
// first test that asks for a database starts a throw-away cluster with scripts/pg.sh (Debian's postgresql
// binaries, a temporary folder, a loopback port), and Main stops it when the tests end. With KASSA_PG_DSN
// set, that server is used instead and nothing is started. Every DSN call creates a fresh database, dropped
// when the test ends, so tests never see each other's data.
//
// Without PostgreSQL binaries the tests that need them are skipped with a loud message, except under CI
// (CI set), where a missing server is a failure: scripts/deps.sh test installs it there.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names an existing server to use instead of starting one: a DSN whose user may create databases.
const EnvDSN = "KASSA_PG_DSN"

var (
	once     sync.Once
	adminDSN string
	folder   string // the cluster's folder when this process started it
	startErr error
	missing  bool // no binaries: skip, unless under CI
	serial   atomic.Int64
	warnOnce sync.Once
)

// Main runs the tests and stops the cluster they started.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops the cluster this process started, if any. Main calls it; a benchmark program may too.
func Stop() {
	if folder == "" {
		return
	}
	script, err := scriptPath()
	if err == nil {
		err = exec.Command(script, "stop", folder).Run()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: stop %s: %v\n", folder, err)
	}
	folder = ""
}

func scriptPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "scripts", "pg.sh"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("pgtest: no go.mod above the working folder")
		}
		dir = parent
	}
}

func start() {
	if adminDSN = os.Getenv(EnvDSN); adminDSN != "" {
		return
	}
	script, err := scriptPath()
	if err != nil {
		startErr = err
		return
	}
	if err := exec.Command(script, "bindir").Run(); err != nil {
		missing = true
		startErr = errors.New("no PostgreSQL binaries: apt-get install postgresql (scripts/deps.sh test does), or set " + EnvDSN)
		return
	}
	var stderr bytes.Buffer
	cmd := exec.Command(script, "start")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		startErr = fmt.Errorf("pgtest: scripts/pg.sh start: %w: %s", err, stderr.String())
		return
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 {
		startErr = fmt.Errorf("pgtest: scripts/pg.sh start printed %q", out)
		return
	}
	adminDSN, folder = lines[0], lines[1]
}

// ServerDSN returns the DSN of the test server's maintenance database, starting the server if needed, or
// skips (fails under CI) without PostgreSQL.
func ServerDSN(t testing.TB) string {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		if missing && os.Getenv("CI") == "" {
			warnOnce.Do(func() { fmt.Fprintf(os.Stderr, "\n*** pgtest: SKIPPING PostgreSQL tests: %v ***\n\n", startErr) })
			t.Skipf("SKIPPED: %v", startErr)
		}
		t.Fatal(startErr)
	}
	return adminDSN
}

// DSN creates a fresh, empty schema for the test and returns a DSN whose search_path is that schema, so
// everything the test creates lands there. The schema is dropped when the test ends; close pools on it
// before (a t.Cleanup registered after DSN runs first). A schema costs milliseconds where a database costs
// a second of fsyncs.
func DSN(t testing.TB) string {
	t.Helper()
	admin := ServerDSN(t)
	name := fmt.Sprintf("kassa_t%d_%d", os.Getpid(), serial.Add(1))
	exec := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := exec("DROP SCHEMA " + name + " CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema: %v", err)
		}
	})
	return withParam(admin, "search_path", name)
}

// withParam adds a run-time parameter to a URL or key=value DSN.
func withParam(dsn, key, value string) string {
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + key + "=" + value
	}
	return dsn + " " + key + "=" + value
}
