//go:build soak

// Package soak is a trading day compressed (`make soak`): four terminals (`kassa simulate` processes on
// the emulated ККТ) sell 10,000 receipts against a real `kassahub serve` process, behind a store uplink
// that goes down every few seconds, with register faults injected and the shift closed with a Z report
// every few hundred sales. At the end the hub's figures for each terminal must equal that terminal's Z
// reports (the register's own shift totals) and its journal, and every sale must be at the hub once.
package soak

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/e2e/internal/testbin"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

// The day, overridable for a shorter or longer run.
var (
	terminals  = envInt("KASSA_SOAK_TERMINALS", 4)
	daySales   = envInt("KASSA_SOAK_SALES", 10_000) // over all terminals
	shiftSales = envInt("KASSA_SOAK_SHIFT", 500)    // sales per shift and terminal: a Z report each time
	faultEvery = envInt("KASSA_SOAK_FAULT_EVERY", 150)
)

const (
	netPeriod = 4 * time.Second         // the uplink drops every 2–6 s ("every few minutes" of the day) …
	netDown   = 1200 * time.Millisecond // … for 0.3–1.5 s
	dayLimit  = 2 * time.Hour           // bounds every wait: a hang fails instead of freezing CI
)

var bin string // the kassa and kassahub binaries built for this run

func TestMain(m *testing.M) { testbin.Main(m, "soak", filepath.Join("..", ".."), &bin) }

// zReport and summary mirror the JSON summary `kassa simulate` prints last.
type zReport struct {
	Shift    int   `json:"shift"`
	Receipts int   `json:"receipts"`
	Income   int64 `json:"income"`
	Returns  int64 `json:"returns"`
}

type summary struct {
	Terminal  string    `json:"terminal"`
	Sold      int       `json:"sold"`
	Sales     int       `json:"sales"`
	Total     int64     `json:"total"`
	Unsent    int       `json:"unsent"`
	Dead      int       `json:"dead"`
	Seconds   float64   `json:"seconds"`
	Faults    int       `json:"faults"`
	Cancelled int       `json:"cancelled"`
	ZReports  []zReport `json:"z_reports"`
}

// hubSale is one line of `kassahub sales --format json`.
type hubSale struct {
	EventID  string `json:"event_id"`
	Terminal string `json:"terminal"`
	Total    int64  `json:"total"`
}

func TestTradingDay(t *testing.T) {
	begin := time.Now()
	hubData := t.TempDir()
	addr := freeAddr(t)
	type till struct {
		name, token, data string
		sum               summary
		stderr            bytes.Buffer
	}
	tills := make([]*till, terminals)
	for i := range tills {
		name := "till-" + strconv.Itoa(i+1)
		tok := strings.TrimSpace(run(t, "kassahub", "terminal", "add", "--data", hubData, "--store", "s1", "--name", name))
		tills[i] = &till{name: name, token: tok, data: t.TempDir()}
	}
	hub := serveHub(t, hubData, addr)
	proxy := newFlakyProxy(t, addr)
	stop := make(chan struct{})
	go proxy.flap(stop, rand.New(rand.NewPCG(1, 2)), netPeriod, netDown)

	ctx, cancel := context.WithTimeout(context.Background(), dayLimit)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(tills))
	for i, tl := range tills {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.CommandContext(ctx, filepath.Join(bin, "kassa"), "simulate", "--hub", proxy.url(),
				"--token", tl.token, "--terminal", tl.name, "--data", tl.data,
				"--sales", strconv.Itoa(daySales/terminals), "--seed", strconv.Itoa(i+1), "--batch", "50",
				"--shift-sales", strconv.Itoa(shiftSales), "--fault-every", strconv.Itoa(faultEvery),
				"--log-level", "warn")
			cmd.Stderr = &tl.stderr
			out, err := cmd.Output()
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w\n%s", tl.name, err, tail(tl.stderr.String()))
				return
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &tl.sum); err != nil {
				errs[i] = fmt.Errorf("%s: summary: %w", tl.name, err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	selling := time.Since(begin)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	hub.Process.Signal(syscall.SIGTERM)
	if err := hub.Wait(); err != nil {
		t.Fatalf("kassahub: %v", err)
	}

	// The hub's figures per terminal, and every event id once.
	count := map[string]int{}
	hubTotal, hubCount := map[string]int64{}, map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(run(t, "kassahub", "sales", "--data", hubData, "--format", "json")))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s hubSale
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("kassahub sales line %q: %v", sc.Text(), err)
		}
		count[s.EventID]++
		hubTotal[s.Terminal] += s.Total
		hubCount[s.Terminal]++
	}
	for id, n := range count {
		if n != 1 {
			t.Errorf("sale %s is at the hub %d times", id, n)
		}
	}
	var sold, cancelled, faults, zs int
	var total int64
	for _, tl := range tills {
		var zIncome int64
		zReceipts := 0
		for _, z := range tl.sum.ZReports {
			zIncome += z.Income - z.Returns
			zReceipts += z.Receipts
		}
		zs += len(tl.sum.ZReports)
		jn, jt := checkJournal(t, tl.name, tl.data, count)
		fn := checkRegister(t, tl.name, tl.data)
		if zIncome != hubTotal[tl.name] || zReceipts != hubCount[tl.name] || jn != hubCount[tl.name] ||
			jt != hubTotal[tl.name] || fn != jn {
			t.Errorf("%s: Z reports %d receipts %d kop; hub %d sales %d kop; journal %d sales %d kop; FN %d receipts",
				tl.name, zReceipts, zIncome, hubCount[tl.name], hubTotal[tl.name], jn, jt, fn)
		}
		if tl.sum.Sales+tl.sum.Cancelled != daySales/terminals || tl.sum.Unsent != 0 || tl.sum.Dead != 0 {
			t.Errorf("%s: summary %+v", tl.name, tl.sum)
		}
		t.Logf("%s: %d sales %s ₽ in %d Z reports (hub: %d sales %s ₽), %d ККТ faults, %d sales cancelled, %.0f s",
			tl.name, jn, pos.Money(jt).String(), len(tl.sum.ZReports), hubCount[tl.name],
			pos.Money(hubTotal[tl.name]).String(), tl.sum.Faults, tl.sum.Cancelled, tl.sum.Seconds)
		sold += jn
		total += jt
		cancelled += tl.sum.Cancelled
		faults += tl.sum.Faults
	}
	cuts, resets := proxy.stats()
	t.Logf("the day: %d terminals, %d sales fiscalised (%d cancelled by ККТ faults) for %s ₽, %d Z reports; "+
		"%d ККТ faults, %d network outages (%d connections cut or refused); selling and replay %s, all %s",
		terminals, sold, cancelled, pos.Money(total).String(), zs, faults, cuts, resets,
		selling.Round(time.Second), time.Since(begin).Round(time.Second))
}

// checkJournal checks a terminal's journal after the day: nothing pending, the outbox empty, every
// fiscalised sale at the hub once; it returns the fiscalised sales' count and total.
func checkJournal(t *testing.T, name, data string, atHub map[string]int) (int, int64) {
	t.Helper()
	st, err := store.Open(filepath.Join(data, "kassa.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	journal, err := st.RecentSales(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	ob, err := st.OutboxStats()
	if err != nil {
		t.Fatal(err)
	}
	if ob.Unsent != 0 || ob.DeadLetters != 0 {
		t.Errorf("%s: outbox %+v, want empty", name, ob)
	}
	n := 0
	var total int64
	for _, s := range journal {
		switch s.Status {
		case pos.SalePending:
			t.Errorf("%s: sale %s is pending", name, s.ID)
		case pos.SaleFiscalised:
			n++
			total += int64(s.Total)
			if atHub[s.ID] != 1 {
				t.Errorf("%s: sale %s is at the hub %d times", name, s.ID, atHub[s.ID])
			}
		}
	}
	return n, total
}

// checkRegister reads the emulated register's persisted state: the day ends with the shift closed and no
// receipt open; it returns how many sale receipts the FN holds.
func checkRegister(t *testing.T, name, data string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "kkt-emulator.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st emulator.State
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%s: register state: %v", name, err)
	}
	if st.ShiftOpen || st.Receipt != nil {
		t.Errorf("%s: the register ends the day with shift open=%v, receipt %+v", name, st.ShiftOpen, st.Receipt)
	}
	n := 0
	for _, d := range st.Documents {
		if d.Type == kkt.DocReceipt && d.OpType == kkt.OpIncome {
			n++
		}
	}
	return n
}

// serveHub starts `kassahub serve` and waits until it answers.
func serveHub(t *testing.T, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "kassahub"), "serve", "--data", data, "--listen", addr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("kassahub does not answer: %v\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, args[0]), args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}
