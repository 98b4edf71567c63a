package terminal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// envTorture is how many times TestTorture kills the till; `make torture` sets 1000.
const envTorture = "KASSA_TORTURE"

// defaultTorture keeps `make test` quick while still killing the till in every phase a few times.
const defaultTorture = 25

// How TestTorture kills a till.
const (
	killStartup = "startup" // at a random moment of start, recovery and the replay of what was queued
	killTimer   = "timer"   // at a random moment of the trading day that follows
	killDevice  = "device"  // when the register reaches a random stage of a random fiscal command
)

// tortureTriggers are the commands a device kill waits for: receipt lines and close, cancel, shift open
// and the Z report.
var tortureTriggers = []kkt.Command{kkt.CmdOperation, kkt.CmdCloseReceipt, kkt.CmdCancelReceipt,
	kkt.CmdOpenShift, kkt.CmdZReport, kkt.CmdShortStatus}

// TestTorture is power loss, over and over: one till, one register, one hub, and a till process killed
// with SIGKILL at random moments of sales, refunds, shift closes, recovery and replay. After every restart
// the till recovers and replays, and then: nothing is pending and no receipt is open; every sale and
// refund the FN holds is in the journal once, fiscalised, with the FN's number, sign and sum; the FN holds
// no receipt the journal lacks (none fiscalised twice); a sale once fiscalised stays so; and the hub holds
// every fiscalised sale and refund exactly once and nothing else.
func TestTorture(t *testing.T) {
	n := defaultTorture
	if v := os.Getenv(envTorture); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			t.Fatalf("%s=%q: want a count", envTorture, v)
		}
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(envTortureSeed); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("%d kills, seed %d (%s=%d repeats this run)", n, seed, envTortureSeed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x70e7))
	reg := newRegister(t)
	data := newDataDir(t)
	hubStore, hubURL := tortureHub(t, data)

	var (
		fiscalised = map[string]bool{}
		kills      = map[string]int{}
		recovered  [3]int // completed, refiscalised, cancelled
		fired      int
		startup    = 100 * time.Millisecond // a running estimate of the time from start to CHECK
		begin      = time.Now()
		current    *child // the till process running now, killed if the test fails
	)
	t.Cleanup(func() {
		if current != nil {
			_ = current.kill()
		}
	})
	check := func(i int, mode string, rep tortureReport) {
		t.Helper()
		hubSales, err := hubStore.Sales("")
		if err != nil {
			t.Fatal(err)
		}
		errs := checkTorture(reg.dev.Snapshot(), rep, hubSales, fiscalised)
		if len(errs) > 0 {
			t.Fatalf("after kill %d (%s, seed %d):\n%s", i, mode, seed, errors.Join(errs...))
		}
		recovered[0] += len(rep.Recovery.Completed)
		recovered[1] += len(rep.Recovery.Refiscalised)
		recovered[2] += len(rep.Recovery.Cancelled)
	}
	for i := range n {
		mode := []string{killStartup, killTimer, killTimer, killDevice, killDevice}[rng.IntN(5)]
		kills[mode]++
		c, in := newTortureChild(t, reg, data, hubURL, seed+uint64(i))
		started := time.Now()
		current = c
		c.startQuiet(t)
		if mode == killStartup {
			if rep, ok := c.waitCheck(t, time.Duration(rng.Int64N(int64(startup)*3/2))); ok {
				check(i, mode, rep)
			}
		} else {
			rep, _ := c.waitCheck(t, childTimeout)
			startup = (startup*7 + time.Since(started)) / 8
			check(i, mode, rep)
			wait := time.Duration(rng.Int64N(int64(200 * time.Millisecond)))
			if mode == killDevice {
				reg.arm(c, trigger{tortureTriggers[rng.IntN(len(tortureTriggers))],
					emulator.Stage(rng.IntN(2)), 1 + rng.IntN(4)})
				wait = time.Second // the fallback when the till never reaches the trigger
			}
			if _, err := io.WriteString(in, "go\n"); err != nil {
				t.Fatal(err)
			}
			select {
			case <-c.exited:
			case <-time.After(wait):
			}
		}
		if err := c.kill(); err != nil {
			t.Fatal(err)
		}
		c.waitKilled(t)
		if reg.disarm() {
			fired++
		}
		if (i+1)%100 == 0 {
			t.Logf("%d kills in %s", i+1, time.Since(begin).Round(time.Second))
		}
	}

	c, in := newTortureChild(t, reg, data, hubURL, seed+uint64(n))
	current = c
	c.startQuiet(t)
	rep, _ := c.waitCheck(t, childTimeout)
	check(n, "final", rep)
	if _, err := io.WriteString(in, "stop\n"); err != nil {
		t.Fatal(err)
	}
	if err := c.wait(t); err != nil {
		t.Fatalf("the last till failed: %v\n%s", err, c.errOut.String())
	}
	var sales, refunds, cancelled int
	for _, s := range rep.Sales {
		switch {
		case s.Status == string(pos.SaleCancelled):
			cancelled++
		case s.Kind == string(pos.KindRefund):
			refunds++
		default:
			sales++
		}
	}
	snap := reg.dev.Snapshot()
	t.Logf("%d kills in %s (%v; %d device triggers reached): %d sales and %d refunds fiscalised, %d cancelled; "+
		"recovery completed %d, re-fiscalised %d, cancelled %d; the FN holds %d documents, shift %d",
		n, time.Since(begin).Round(time.Second), kills, fired, sales, refunds, cancelled,
		recovered[0], recovered[1], recovered[2], len(snap.Documents), snap.ShiftNumber)
}

// checkTorture checks a till's state after recovery and replay against the register and the hub, and
// updates fiscalised (the sales seen fiscalised so far).
func checkTorture(snap emulator.State, rep tortureReport, hubSales []hub.StoredSale, fiscalised map[string]bool) []error {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if snap.Receipt != nil {
		fail("a receipt is open in the register: %+v", snap.Receipt)
	}
	if rep.Unsent != 0 || rep.Dead != 0 {
		fail("outbox: %d unsent, %d dead letters after the replay", rep.Unsent, rep.Dead)
	}
	if rep.ShiftOpen != snap.ShiftOpen {
		fail("the journal's shift open=%v, the register's %v", rep.ShiftOpen, snap.ShiftOpen)
	}
	docs := map[byte]map[uint32]emulator.Document{kkt.OpIncome: {}, kkt.OpIncomeReturn: {}}
	for _, d := range snap.Documents {
		if d.Type == kkt.DocReceipt && docs[d.OpType] != nil {
			docs[d.OpType][d.Number] = d
		}
	}
	now := map[string]tortureSale{}
	for _, s := range rep.Sales {
		if _, dup := now[s.ID]; dup {
			fail("sale %s is in the journal twice", s.ID)
		}
		now[s.ID] = s
		switch pos.SaleStatus(s.Status) {
		case pos.SalePending:
			fail("sale %s is still pending", s.ID)
		case pos.SaleFiscalised:
			op := kkt.OpIncome
			if s.Kind == string(pos.KindRefund) {
				op = kkt.OpIncomeReturn
			}
			d, ok := docs[op][s.FD]
			switch {
			case !ok:
				fail("%s %s names FD %d: no such receipt in the FN, or claimed twice", s.Kind, s.ID, s.FD)
			case d.FiscalSign != s.FP || d.Sum != s.Total || s.FN != emulator.DefaultFNSerial:
				fail("%s %s: FD %d sign %d sum %d FN %s; the FN has sign %d sum %d", s.Kind, s.ID, s.FD, s.FP,
					s.Total, s.FN, d.FiscalSign, d.Sum)
			}
			delete(docs[op], s.FD)
		}
	}
	for op, left := range docs {
		for _, d := range left {
			fail("the FN holds receipt FD %d (op %d, sum %d) that no journal sale has", d.Number, op, d.Sum)
		}
	}
	for id := range fiscalised {
		if s := now[id]; s.Status != string(pos.SaleFiscalised) {
			fail("sale %s was fiscalised and is now %q", id, s.Status)
		}
	}
	atHub := map[string]int{}
	for _, h := range hubSales {
		atHub[h.Sale.ID]++
		s, ok := now[h.Sale.ID]
		wantType := wire.TypeSale
		if s.Kind == string(pos.KindRefund) {
			wantType = wire.TypeRefund
		}
		switch {
		case !ok || s.Status != string(pos.SaleFiscalised):
			fail("the hub holds %s %s, which the journal has as %q", h.Type, h.Sale.ID, s.Status)
		case h.EventID != s.ID || h.Type != wantType || h.Sale.Total != s.Total:
			fail("the hub holds event %s %s total %d for %s %s total %d", h.Type, h.EventID, h.Sale.Total,
				s.Kind, s.ID, s.Total)
		}
	}
	for id, s := range now {
		if s.Status == string(pos.SaleFiscalised) {
			fiscalised[id] = true
			if atHub[id] != 1 {
				fail("the hub holds fiscalised %s %s %d times", s.Kind, id, atHub[id])
			}
		}
	}
	return errs
}

// tortureHub serves a hub on loopback for the till and stores the till's token in data.
func tortureHub(t *testing.T, data string) (*hub.Storage, string) {
	t.Helper()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	token, err := st.AddTerminal("torture-store", "till-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteToken(filepath.Join(data, "token"), token); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(st, hub.Options{}).Handler())
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	return st, srv.URL
}

// newTortureChild prepares a till process for TestTorture and returns the pipe to its stdin.
func newTortureChild(t *testing.T, r *register, data, hubURL string, seed uint64) (*child, io.WriteCloser) {
	t.Helper()
	c := &child{exited: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestTortureChild$", "-test.count=1",
		"-test.timeout="+(4*childTimeout).String())
	c.cmd.Env = append(os.Environ(), envTortureChild+"=1", envChildData+"="+data, envChildPort+"="+r.path,
		envTortureHub+"="+hubURL, envTortureSeed+"="+strconv.FormatUint(seed, 10),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.errOut
	in, err := c.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	return c, in
}

// waitCheck waits up to d for the child's CHECK line; it fails the test if the child exits first.
func (c *child) waitCheck(t *testing.T, d time.Duration) (tortureReport, bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		out := c.out.String()
		if i := strings.Index(out, "\nCHECK "); i >= 0 {
			js, _, complete := strings.Cut(out[i+len("\nCHECK "):], "\n")
			if complete {
				var rep tortureReport
				if err := json.Unmarshal([]byte(js), &rep); err != nil {
					t.Fatalf("the till's CHECK line: %v", err)
				}
				return rep, true
			}
		}
		select {
		case <-c.exited:
			t.Fatalf("till exited (%v) before its check; stdout:\n%s\nstderr:\n%s", c.err, tail(c.out.String()),
				tail(c.errOut.String()))
		default:
		}
		if time.Now().After(deadline) {
			if d == childTimeout {
				t.Fatalf("till did not recover and replay in %s; stdout:\n%s", d, tail(c.out.String()))
			}
			return tortureReport{}, false
		}
		time.Sleep(time.Millisecond)
	}
}

// startQuiet starts the child without a cleanup of its own: TestTorture starts a thousand of them and
// kills each itself, and a cleanup would keep every one's output in memory until the end.
func (c *child) startQuiet(t *testing.T) {
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
}

// disarm drops a trigger the till never reached and reports whether it fired.
func (r *register) disarm() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	fired := r.fired
	r.victim, r.fired, r.settled, r.errs = nil, false, nil, nil
	return fired
}

func tail(s string) string {
	const keep = 4000
	if len(s) > keep {
		return "…" + s[len(s)-keep:]
	}
	return s
}
