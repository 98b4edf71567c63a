package terminal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos/checkout"
)

// childTimeout bounds every wait on a child, so a hang fails the test instead of freezing CI.
const childTimeout = 30 * time.Second

// trigger names the device-side moment at which the parent kills the till: the nth time the emulator
// reaches stage of cmd.
type trigger struct {
	cmd   kkt.Command
	stage emulator.Stage
	nth   int
}

// register is the fiscal register the till processes share: an emulator served on a raw pseudo-terminal
// owned by the test process, so its memory (shift, FN documents, open receipt) outlives every till.
type register struct {
	dev  *emulator.Device
	pty  *serialport.PTY
	path string

	mu      sync.Mutex
	trig    trigger
	victim  *child
	seen    int
	fired   bool
	settled chan struct{} // closed once the device finished the command it held when the till died
	errs    []error
}

func newRegister(t *testing.T) *register {
	t.Helper()
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	r := &register{pty: pt, path: pt.Path}
	if r.dev, err = emulator.New(emulator.Config{OnCommand: r.onCommand}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.dev.Serve(ctx, pt.Master) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("emulator: %v", err)
			}
		case <-time.After(childTimeout):
			t.Error("emulator did not stop")
		}
		pt.Close()
	})
	return r
}

// arm makes the emulator kill c when it reaches tr.
func (r *register) arm(c *child, tr trigger) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trig, r.victim, r.seen, r.fired, r.settled = tr, c, 0, false, make(chan struct{})
}

// onCommand is the emulator's hook. It kills the till synchronously: the command the device holds has
// not run yet (StageReceived) or its answer is not written yet (StageExecuted) when the host is gone.
func (r *register) onCommand(cmd kkt.Command, stage emulator.Stage) {
	r.mu.Lock()
	if r.fired && r.victim == nil && cmd == r.trig.cmd && stage == emulator.StageExecuted && r.settled != nil {
		// The command the dead till sent has run: the device's memory is what the next till will find.
		close(r.settled)
		r.settled = nil
		r.mu.Unlock()
		return
	}
	if r.victim == nil || cmd != r.trig.cmd || stage != r.trig.stage {
		r.mu.Unlock()
		return
	}
	r.seen++
	if r.seen < r.trig.nth {
		r.mu.Unlock()
		return
	}
	victim := r.victim
	r.victim, r.fired = nil, true
	r.mu.Unlock()
	err := victim.kill()
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errs = append(r.errs, err)
	}
	if stage == emulator.StageExecuted && r.settled != nil { // TestTorture may have disarmed it meanwhile
		close(r.settled)
		r.settled = nil
	}
}

// awaitSettled waits until the trigger fired and the device finished the command it held, so that a
// snapshot shows what the next till will find.
func (r *register) awaitSettled(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	settled := r.settled
	r.mu.Unlock()
	if settled != nil {
		select {
		case <-settled:
		case <-time.After(childTimeout):
			t.Fatal("the register never finished the command the killed till sent")
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.fired {
		t.Fatal("the till died before the register reached the crash point")
	}
	if err := errors.Join(r.errs...); err != nil {
		t.Fatal(err)
	}
}

// child is one till process: the test binary re-executed into TestCrashChild.
type child struct {
	mu     sync.Mutex
	proc   *os.Process // set once started; the emulator's hook reads it from its own goroutine
	cmd    *exec.Cmd
	out    lockedBuffer
	errOut lockedBuffer
	exited chan struct{}
	err    error // cmd.Wait's result, set before exited is closed
}

// newChild prepares a till process in mode ("sale" or "recover") on data and the register's port;
// crashAt, when set, is the checkout step at which it waits to be killed.
func newChild(r *register, data, mode string, crashAt checkout.Step) *child {
	c := &child{exited: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1",
		"-test.timeout="+(2*childTimeout).String())
	c.cmd.Env = append(os.Environ(), envChildMode+"="+mode, envChildData+"="+data, envChildPort+"="+r.path,
		envChildStep+"="+string(crashAt),
		// Under -race a process sleeps a second at exit by default; a till process has no use for it.
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.errOut
	return c
}

func (c *child) start(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	err := c.cmd.Start()
	c.proc = c.cmd.Process
	c.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		_ = c.kill()
	})
}

// kill sends SIGKILL and waits until the process is gone (and so its port and bbolt locks are released).
func (c *child) kill() error {
	c.mu.Lock()
	proc := c.proc
	c.mu.Unlock()
	if proc == nil {
		return errors.New("kill till: not started")
	}
	if err := proc.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill till: %w", err)
	}
	select {
	case <-c.exited:
		return nil
	case <-time.After(childTimeout):
		return errors.New("killed till did not exit")
	}
}

// wait waits for the child to exit and returns its error.
func (c *child) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-c.exited:
		return c.err
	case <-time.After(childTimeout):
		t.Fatalf("till process hangs; stdout:\n%s\nstderr:\n%s", c.out.String(), c.errOut.String())
		return nil
	}
}

// waitKilled fails unless the child died of SIGKILL (and not, say, of a failed sale first).
func (c *child) waitKilled(t *testing.T) {
	t.Helper()
	err := c.wait(t)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() ||
		ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("till ended with %v, want SIGKILL; stdout:\n%s\nstderr:\n%s", err, c.out.String(), c.errOut.String())
	}
}

// waitLine waits until the child printed line.
func (c *child) waitLine(t *testing.T, line string) {
	t.Helper()
	deadline := time.After(childTimeout)
	for !c.out.hasLine(line) {
		select {
		case <-c.exited:
			if c.out.hasLine(line) {
				return
			}
			t.Fatalf("till exited (%v) without printing %q; stdout:\n%s\nstderr:\n%s", c.err, line, c.out.String(), c.errOut.String())
		case <-deadline:
			t.Fatalf("till did not print %q; stdout:\n%s", line, c.out.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// report runs the child to its end and decodes its RESULT line.
func (c *child) report(t *testing.T) childReport {
	t.Helper()
	if err := c.wait(t); err != nil {
		t.Fatalf("till failed: %v; stdout:\n%s\nstderr:\n%s", err, c.out.String(), c.errOut.String())
	}
	for _, l := range strings.Split(c.out.String(), "\n") {
		if js, ok := strings.CutPrefix(l, "RESULT "); ok {
			var rep childReport
			if err := json.Unmarshal([]byte(js), &rep); err != nil {
				t.Fatalf("till's report: %v", err)
			}
			return rep
		}
	}
	t.Fatalf("till printed no report; stdout:\n%s", c.out.String())
	return childReport{}
}

// runChild starts a till in mode and returns its report.
func runChild(t *testing.T, r *register, data, mode string) childReport {
	t.Helper()
	c := newChild(r, data, mode, "")
	c.start(t)
	return c.report(t)
}

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

func (b *lockedBuffer) hasLine(line string) bool {
	return strings.Contains("\n"+b.String(), "\n"+line+"\n")
}

// newDataDir makes the till's data folder with its token file.
func newDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "token"), []byte("crash-test-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}
