//go:build e2e

// Package e2e drives the real Kassa window under Xvfb the way a store does: xdotool types a demo
// barcode like a keyboard-wedge scanner, pays, and the test checks that the sale reached the hub.
// Screenshots go to e2e/out for a person to look at. Run with `make e2e`.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/pos"
)

type session struct {
	t       *testing.T
	bin     string
	display string
	env     []string
	out     string
}

func newSession(t *testing.T) *session {
	bin := os.Getenv("KASSA_E2E_BIN")
	if bin == "" {
		t.Fatal("KASSA_E2E_BIN must name the folder with the kassa and kassahub binaries (make e2e sets it)")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make e2e`, which installs it", tool)
		}
	}
	out, _ := filepath.Abs("out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, bin: bin, out: out}
	s.startX()
	home := t.TempDir()
	s.env = append(os.Environ(), "DISPLAY="+s.display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"LANG=ru_RU.UTF-8", "LC_ALL=ru_RU.UTF-8")
	return s
}

// startX starts Xvfb on the first free display number.
func (s *session) startX() {
	for n := 90; n < 110; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			s.t.Fatal(err)
		}
		s.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		s.display = display
		s.waitFor("X server", 10*time.Second, func() bool {
			probe := exec.Command("xdotool", "getmouselocation")
			probe.Env = append(os.Environ(), "DISPLAY="+display)
			return probe.Run() == nil
		})
		return
	}
	s.t.Fatal("no free X display")
}

func (s *session) xdotool(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (s *session) screenshot(name string) {
	s.t.Helper()
	path := filepath.Join(s.out, name)
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = s.env
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("screenshot: %v\n%s", err, out)
	}
	s.t.Logf("screenshot %s", path)
}

func (s *session) waitFor(what string, limit time.Duration, ok func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			s.t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// demoBarcode is the first product of the demo catalog with a barcode, and its price line.
func demoBarcode(t *testing.T) (code, name, price string) {
	sc := bufio.NewScanner(bytes.NewReader(assets.DemoCatalogCSV))
	sc.Scan() // header
	for sc.Scan() {
		f := strings.Split(sc.Text(), ";")
		if len(f) >= 4 && f[1] != "" {
			return strings.Split(f[1], ",")[0], f[2], f[3]
		}
	}
	t.Fatal("the demo catalog has no product with a barcode")
	return
}

func TestTillSellsAndSyncs(t *testing.T) {
	s := newSession(t)
	data := t.TempDir()
	code, name, price := demoBarcode(t)
	t.Logf("selling %s (%s, %s ₽)", code, name, price)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	app := exec.CommandContext(ctx, filepath.Join(s.bin, "kassa"), "--demo", "--data", data)
	app.Env = s.env
	logBuf := &lockedBuffer{}
	app.Stdout, app.Stderr = logBuf, logBuf
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		if t.Failed() {
			t.Logf("kassa output:\n%s", logBuf.String())
		}
	}()

	s.waitFor("the till to be ready", 60*time.Second, func() bool { return strings.Contains(logBuf.String(), "terminal ready") })
	var win string
	s.waitFor("the till window", 30*time.Second, func() bool {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Kassa")
		cmd.Env = s.env
		out, err := cmd.Output()
		win = strings.TrimSpace(strings.Split(string(out), "\n")[0])
		return err == nil && win != ""
	})
	s.waitFor("the window to take the focus", 20*time.Second, func() bool {
		cmd := exec.Command("xdotool", "windowfocus", "--sync", win)
		cmd.Env = s.env
		return cmd.Run() == nil
	})
	time.Sleep(time.Second) // first frame
	s.screenshot("01-till-empty.png")

	// A keyboard-wedge scanner: fast characters, then Enter.
	s.xdotool("type", "--delay", "10", code)
	s.xdotool("key", "Return")
	time.Sleep(700 * time.Millisecond)
	s.screenshot("02-till-scanned.png")

	// Подытог. The demo starts with the shift closed: the till offers to open it (Enter), then pays.
	s.xdotool("key", "KP_Add")
	time.Sleep(700 * time.Millisecond)
	s.screenshot("03-open-shift.png")
	s.xdotool("key", "Return")
	time.Sleep(2 * time.Second)
	s.screenshot("04-payment.png")
	s.xdotool("type", "--delay", "20", "5000")
	s.xdotool("key", "Return")
	time.Sleep(3 * time.Second)
	s.screenshot("05-paid.png")

	// Let the replayer deliver, then close the till as a cashier would at the end of the day.
	time.Sleep(3 * time.Second)
	app.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("kassa exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("kassa did not exit on SIGTERM")
	}

	hub := exec.Command(filepath.Join(s.bin, "kassahub"), "sales", "--data", filepath.Join(data, "hub"), "--format", "json")
	out, err := hub.CombinedOutput()
	if err != nil {
		t.Fatalf("kassahub sales: %v\n%s", err, out)
	}
	var sales []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("kassahub sales line %q: %v", line, err)
		}
		sales = append(sales, m)
	}
	if len(sales) != 1 {
		t.Fatalf("the hub holds %d sales, want 1:\n%s", len(sales), out)
	}
	want, err := pos.ParseMoney(price)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := sales[0]["total"].(float64); pos.Money(got) != want {
		t.Fatalf("the hub's sale totals %v kopecks, want %d", sales[0]["total"], want)
	}
	t.Logf("the hub has the sale: %v", sales[0])
}
