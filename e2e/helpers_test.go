//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/pos"
)

// session is one test's X server and the environment its programs run in.
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
// startX starts a private Xvfb on a display it picks itself (-displayfd), so sockets left behind by an
// earlier killed server never make the tests fail.
func (s *session) startX() {
	r, w, err := os.Pipe()
	if err != nil {
		s.t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	w.Close()
	s.t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }) // SIGTERM: Xvfb removes its socket
	var n int
	if _, err := fmt.Fscan(bufio.NewReader(r), &n); err != nil {
		s.t.Fatalf("Xvfb did not tell its display: %v", err)
	}
	display := fmt.Sprintf(":%d", n)
	s.display = display
	s.waitFor("X server", 10*time.Second, func() bool {
		probe := exec.Command("xdotool", "getmouselocation")
		probe.Env = append(os.Environ(), "DISPLAY="+display)
		return probe.Run() == nil
	})
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

// scan types code and Enter the way a keyboard-wedge scanner does: fast characters, then Return (a "\n"
// would arrive as Linefeed, which Fyne ignores).
func (s *session) scan(code string) {
	s.t.Helper()
	s.xdotool("type", "--delay", "10", code)
	s.xdotool("key", "Return")
}

// tap clicks the left button at p, as a finger on the touch screen would.
func (s *session) tap(p image.Point) {
	s.t.Helper()
	s.xdotool("mousemove", strconv.Itoa(p.X), strconv.Itoa(p.Y), "click", "1")
}

// screenshot saves the whole screen as out/name.
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

// capture grabs the screen for the test to look at.
func (s *session) capture() image.Image {
	s.t.Helper()
	cmd := exec.Command("import", "-window", "root", "png:-")
	cmd.Env = s.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("screenshot: %v\n%s", err, stderr.String())
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		s.t.Fatalf("screenshot: %v", err)
	}
	return img
}

// save writes a captured screen to out/name: the picture the test checked is the one a person sees.
func (s *session) save(name string, img image.Image) {
	s.t.Helper()
	path := filepath.Join(s.out, name)
	f, err := os.Create(path)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		s.t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Logf("screenshot %s", path)
}

// waitScreen captures the screen until ok accepts it and returns that capture.
func (s *session) waitScreen(what string, limit time.Duration, ok func(image.Image) bool) image.Image {
	s.t.Helper()
	var img image.Image
	s.waitFor(what, limit, func() bool {
		img = s.capture()
		return ok(img)
	})
	return img
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

// run runs a command-line tool of bin/ (kassa demo-qr, kassahub …) and returns its standard output.
func (s *session) run(tool string, args ...string) string {
	s.t.Helper()
	cmd := exec.Command(filepath.Join(s.bin, tool), args...)
	cmd.Env = s.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("%s %v: %v\n%s%s", tool, args, err, out, stderr.String())
	}
	return string(out)
}

// jsonLines decodes a tool's JSON-lines output (kassahub sales, kassahub loyalty ledger).
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("JSON line %q: %v", line, err)
		}
		rows = append(rows, m)
	}
	return rows
}

// reportTotals is the one store's totals row of `kassahub report --format json`.
func reportTotals(t *testing.T, out string) map[string]float64 {
	t.Helper()
	var r struct {
		Totals []map[string]any `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("kassahub report: %v\n%s", err, out)
	}
	if len(r.Totals) != 1 {
		t.Fatalf("kassahub report has %d stores, want 1:\n%s", len(r.Totals), out)
	}
	totals := map[string]float64{}
	for k, v := range r.Totals[0] {
		if f, ok := v.(float64); ok {
			totals[k] = f
		}
	}
	return totals
}

// terminal is a running `kassa` process with its log.
type terminal struct {
	s      *session
	data   string
	cmd    *exec.Cmd
	log    *lockedBuffer
	exited chan error
	win    string
}

// startKassa starts bin/kassa with args and --data, in a fresh data folder. If the test fails, the
// terminal's output goes to the test log; a terminal still running at the end is killed.
func (s *session) startKassa(args ...string) *terminal {
	s.t.Helper()
	k := &terminal{s: s, data: s.t.TempDir(), log: &lockedBuffer{}, exited: make(chan error, 1)}
	k.cmd = exec.Command(filepath.Join(s.bin, "kassa"), append(args, "--data", k.data)...)
	k.cmd.Env = s.env
	k.cmd.Stdout, k.cmd.Stderr = k.log, k.log
	if err := k.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	go func() { k.exited <- k.cmd.Wait() }()
	s.t.Cleanup(func() {
		select {
		case <-k.exited:
		default:
			k.cmd.Process.Kill()
			<-k.exited
		}
		if s.t.Failed() {
			s.t.Logf("kassa %v output:\n%s", args, k.log.String())
		}
	})
	return k
}

// waitLog waits for a line of the terminal's log that contains text.
func (k *terminal) waitLog(text string, limit time.Duration) {
	k.s.t.Helper()
	k.s.waitFor(fmt.Sprintf("%q in the log", text), limit, func() bool { return strings.Contains(k.log.String(), text) })
}

// waitWindow waits for the terminal's window (every face's title starts with "Kassa") and gives it the
// keyboard; no window manager runs, so windowfocus, not windowactivate.
func (k *terminal) waitWindow() {
	k.s.t.Helper()
	k.s.waitFor("the window", 30*time.Second, func() bool {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Kassa")
		cmd.Env = k.s.env
		out, err := cmd.Output()
		k.win = strings.TrimSpace(strings.Split(string(out), "\n")[0])
		return err == nil && k.win != ""
	})
	k.s.waitFor("the window to take the focus", 20*time.Second, func() bool {
		cmd := exec.Command("xdotool", "windowfocus", "--sync", k.win)
		cmd.Env = k.s.env
		return cmd.Run() == nil
	})
	time.Sleep(time.Second) // first frame
}

// demoCashierPIN is Иванова А.'s PIN, one of the three users the demo seeds (cmd/kassa/users.go).
const demoCashierPIN = "1111"

// login types a PIN on «Вход кассира», which the till and the pickup desk show first, and waits for the
// terminal to log the cashier in.
func (k *terminal) login(pin string) {
	k.s.t.Helper()
	k.s.xdotool("type", "--delay", "20", pin)
	k.s.xdotool("key", "Return")
	k.waitLog("cashier signed in", 20*time.Second)
	time.Sleep(500 * time.Millisecond) // the till's content back on screen
}

// delivered sums the new events the embedded hub logged as accepted from this terminal.
func (k *terminal) delivered() int {
	n := 0
	for _, m := range deliveredRE.FindAllStringSubmatch(k.log.String(), -1) {
		v, _ := strconv.Atoi(m[1])
		n += v
	}
	return n
}

var deliveredRE = regexp.MustCompile(`path=/v1/events status=200 .* new=(\d+)`)

// waitSynced waits until the hub has at least min new events and then for the replayer to go quiet: it
// looks at its queue every 2 s (client.DefaultIdlePoll) and is woken by every sale, so an event committed
// before this call has been sent once no new one arrived for two of those periods.
func (k *terminal) waitSynced(min int) {
	k.s.t.Helper()
	k.s.waitFor(fmt.Sprintf("%d events at the hub", min), 30*time.Second, func() bool { return k.delivered() >= min })
	last, since := k.delivered(), time.Now()
	k.s.waitFor("the replayer to go quiet", 30*time.Second, func() bool {
		if n := k.delivered(); n != last {
			last, since = n, time.Now()
		}
		return time.Since(since) > 4500*time.Millisecond
	})
}

// stop closes the terminal as the store does at night (SIGTERM) and checks that it exits cleanly.
func (k *terminal) stop() {
	k.s.t.Helper()
	if err := k.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		k.s.t.Fatal(err)
	}
	select {
	case err := <-k.exited:
		k.exited <- err // for the cleanup
		if err != nil {
			k.s.t.Fatalf("kassa exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		k.s.t.Fatal("kassa did not exit on SIGTERM")
	}
	if !strings.Contains(k.log.String(), "terminal closed") {
		k.s.t.Fatal(`kassa exited without logging "terminal closed"`)
	}
}

// hub runs a kassahub command on the demo's embedded hub data (the terminal must have stopped).
func (k *terminal) hub(args ...string) string {
	k.s.t.Helper()
	return k.s.run("kassahub", append(args, "--data", filepath.Join(k.data, "hub"))...)
}

// demoProduct is the demo catalog's row for a barcode: its article and shelf price.
func demoProduct(t *testing.T, code string) (id, name string, price pos.Money) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(assets.DemoCatalogCSV))
	sc.Scan() // header: id;barcode;name;price;…
	for sc.Scan() {
		f := strings.Split(sc.Text(), ";")
		if len(f) < 4 || !slices.Contains(strings.Split(f[1], ","), code) {
			continue
		}
		p, err := pos.ParseMoney(f[3])
		if err != nil {
			t.Fatalf("demo catalog, %s: %v", code, err)
		}
		return f[0], f[2], p
	}
	t.Fatalf("%s is not in the demo catalog", code)
	return
}

// demoQRKey is the demo terminal's QR signing keys as terminal.DemoKeys derives them (internal to
// cmd/kassa, so spelled out here): pickup codes under the key id "demo1", the kiosk's baskets under its
// own "kiosk1".
func demoQRKey(kid string) ([]byte, bool) {
	var k [32]byte
	switch kid {
	case "demo1":
		k = sha256.Sum256([]byte("kassa demo qr key"))
	case "kiosk1":
		k = sha256.Sum256([]byte("kassa demo kiosk basket key"))
	default:
		return nil, false
	}
	return k[:], true
}
