// Package faults runs the sync's fault tests with real processes on loopback: `kassahub serve` and
// `kassa simulate` built from this tree, a fault-injecting proxy between them, and SIGTERM or SIGKILL at
// the worst moments. After each scenario every sale must be at the hub exactly once (read with
// `kassahub sales --format json` from the stopped hub's data folder), the terminals' outboxes empty and the
// totals equal on both sides.
package faults

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/e2e/internal/testbin"
)

// waitLimit bounds every wait on a child process: a hang fails the test instead of freezing CI. It is not
// a speed assertion.
const waitLimit = 90 * time.Second

var bin string // folder of the kassa and kassahub binaries built for this run

func TestMain(m *testing.M) { testbin.Main(m, "faults", filepath.Join("..", ".."), &bin) }

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a child process with its output.
type proc struct {
	name   string
	cmd    *exec.Cmd
	stdout lockedBuffer
	stderr lockedBuffer
	done   chan struct{}
	err    error
}

func start(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(filepath.Join(bin, args[0]), args[1:]...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("%s stdout:\n%s\n%s stderr:\n%s", name, p.stdout.String(), name, tail(p.stderr.String(), 40))
		}
	})
	return p
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	return strings.Join(l[max(0, len(l)-lines):], "\n")
}

// wait waits for the process to end and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(waitLimit):
		t.Fatalf("%s did not end", p.name)
	}
	return p.cmd.ProcessState.ExitCode()
}

func (p *proc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %s: %v", p.name, err)
	}
}

// waitOutput waits until the process's stderr holds s.
func (p *proc) waitOutput(t *testing.T, s string) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%q from %s", s, p.name), func() bool {
		select {
		case <-p.done:
			t.Fatalf("%s ended (%v) before saying %q", p.name, p.err, s)
		default:
		}
		return strings.Contains(p.stderr.String(), s)
	})
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// run runs a short command to its end and returns its stdout.
func run(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, args[0]), args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// hub is a kassahub process serving a data folder on a fixed loopback address, so it can be stopped and
// started again where the terminals expect it.
type hub struct {
	data, addr string
	p          *proc
}

func newHub(t *testing.T) *hub {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return &hub{data: t.TempDir(), addr: addr}
}

func (h *hub) url() string { return "http://" + h.addr }

// addTerminal registers a terminal of store s1 (the hub must be stopped: it holds its database) and
// returns its token.
func (h *hub) addTerminal(t *testing.T, name string) string {
	t.Helper()
	return strings.TrimSpace(run(t, "kassahub", "terminal", "add", "--data", h.data, "--store", "s1", "--name", name))
}

// start serves and waits until /v1/health answers.
func (h *hub) start(t *testing.T) {
	t.Helper()
	h.p = start(t, "kassahub", "kassahub", "serve", "--data", h.data, "--listen", h.addr)
	waitFor(t, "the hub to serve", func() bool {
		select {
		case <-h.p.done:
			t.Fatalf("kassahub ended: %v\n%s", h.p.err, h.p.stderr.String())
		default:
		}
		resp, err := http.Get(h.url() + "/v1/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// stop shuts the hub down gracefully (SIGTERM) and waits for it.
func (h *hub) stop(t *testing.T) {
	t.Helper()
	h.p.signal(t, syscall.SIGTERM)
	if code := h.p.wait(t); code != 0 {
		t.Fatalf("kassahub exited %d:\n%s", code, h.p.stderr.String())
	}
}
