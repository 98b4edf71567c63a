package faults

import (
	"bufio"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

// terminal is a simulated till: its name and token at the hub and its data folder.
type terminal struct{ name, token, data string }

// newTerminals registers n terminals of store s1 at the (stopped) hub.
func newTerminals(t *testing.T, h *hub, n int) []terminal {
	t.Helper()
	out := make([]terminal, n)
	for i := range out {
		name := "till-" + strconv.Itoa(i+1)
		out[i] = terminal{name: name, token: h.addTerminal(t, name), data: t.TempDir()}
	}
	return out
}

// simulate starts `kassa simulate` for the terminal against url.
func simulate(t *testing.T, url string, term terminal, sales int, extra ...string) *proc {
	t.Helper()
	args := []string{"kassa", "simulate", "--hub", url, "--token", term.token, "--terminal", term.name,
		"--data", term.data, "--sales", strconv.Itoa(sales), "--seed", strconv.Itoa(len(term.data)),
		"--log-level", "debug"}
	return start(t, "simulate "+term.name, append(args, extra...)...)
}

func (p *proc) mustSucceed(t *testing.T) {
	t.Helper()
	if code := p.wait(t); code != 0 {
		t.Fatalf("%s exited %d", p.name, code)
	}
}

// hubSale is one line of `kassahub sales --format json`.
type hubSale struct {
	EventID  string `json:"event_id"`
	Terminal string `json:"terminal"`
	Total    int64  `json:"total"`
}

// verify stops the hub and checks that every fiscalised sale of every terminal's journal is at the hub
// exactly once with the same total, that the hub holds nothing else, and that every outbox is empty.
func verify(t *testing.T, h *hub, terms ...terminal) {
	t.Helper()
	h.stop(t)
	count := map[string]int{}
	hubTotal := map[string]int64{}
	sc := bufio.NewScanner(strings.NewReader(run(t, "kassahub", "sales", "--data", h.data, "--format", "json")))
	rows := 0
	for sc.Scan() {
		var s hubSale
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("kassahub sales line %q: %v", sc.Text(), err)
		}
		count[s.EventID]++
		hubTotal[s.Terminal] += s.Total
		rows++
	}
	sold := 0
	for _, term := range terms {
		st, err := store.Open(filepath.Join(term.data, "kassa.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		journal, err := st.RecentSales(1 << 30)
		if err != nil {
			t.Fatal(err)
		}
		ob, err := st.OutboxStats()
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		n := 0
		for _, s := range journal {
			if s.Status != pos.SaleFiscalised {
				continue
			}
			n++
			total += int64(s.Total)
			if count[s.ID] != 1 {
				t.Errorf("%s: sale %s is at the hub %d times", term.name, s.ID, count[s.ID])
			}
		}
		sold += n
		if n == 0 {
			t.Errorf("%s sold nothing", term.name)
		}
		if total != hubTotal[term.name] {
			t.Errorf("%s: journal total %d kopecks, hub total %d", term.name, total, hubTotal[term.name])
		}
		if ob.Unsent != 0 || ob.DeadLetters != 0 {
			t.Errorf("%s: outbox %+v, want empty", term.name, ob)
		}
	}
	if rows != sold {
		t.Errorf("the hub holds %d sales, the journals %d", rows, sold)
	}
}

// The hub goes away in the middle of a run for a while (the till keeps selling), then comes back on the
// same address and data.
func TestHubStoppedAndRestarted(t *testing.T) {
	h := newHub(t)
	terms := newTerminals(t, h, 1)
	h.start(t)
	sim := simulate(t, h.url(), terms[0], 30, "--rate", "15", "--batch", "4")
	sim.waitOutput(t, "batch replayed")
	h.stop(t)
	sim.waitOutput(t, "msg=sold") // every sale made while the hub was down
	waitFor(t, "the replayer to fail twice", func() bool { return strings.Count(sim.stderr.String(), "sync failed") >= 2 })
	h.start(t)
	sim.mustSucceed(t)
	verify(t, h, terms...)
}

func TestProxyFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault func(n int, w http.ResponseWriter, r *http.Request, p *proxy)
	}{
		{"500s and slow answers", func(n int, w http.ResponseWriter, r *http.Request, p *proxy) {
			if n%3 == 1 {
				fail500(w)
				return
			}
			slowPass(150*time.Millisecond)(w, r, p)
		}},
		{"connection reset mid-batch", func(n int, w http.ResponseWriter, r *http.Request, p *proxy) {
			if n%2 == 1 {
				resetMidBatch(w, r, p)
				return
			}
			p.pass(w, r, nil)
		}},
		{"answer lost after the hub stored the batch", func(n int, w http.ResponseWriter, r *http.Request, p *proxy) {
			if n%2 == 1 {
				ackLost(w, r, p)
				return
			}
			p.pass(w, r, nil)
		}},
		{"every batch delivered twice", func(_ int, w http.ResponseWriter, r *http.Request, p *proxy) {
			twice(w, r, p)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHub(t)
			terms := newTerminals(t, h, 1)
			h.start(t)
			p := newProxy(t, h.url(), tt.fault)
			simulate(t, p.srv.URL, terms[0], 20, "--batch", "4").mustSucceed(t)
			if seen, _ := p.eventPosts(); seen < 2 {
				t.Errorf("only %d batches went through the proxy", seen)
			}
			verify(t, h, terms...)
		})
	}
}

// SIGKILL lands while the hub holds a batch it has stored but not answered; the restarted terminal sends
// it again and the hub keeps it once.
func TestKilledMidReplay(t *testing.T) {
	h := newHub(t)
	terms := newTerminals(t, h, 1)
	h.start(t)
	stored := make(chan struct{})
	p := newProxy(t, h.url(), func(n int, w http.ResponseWriter, r *http.Request, p *proxy) {
		if n != 3 {
			p.pass(w, r, nil)
			return
		}
		_, _, _, _ = p.forward(r, nil)
		close(stored)
		<-r.Context().Done() // the terminal dies holding the connection
	})
	sim := simulate(t, p.srv.URL, terms[0], 20, "--batch", "3")
	select {
	case <-stored:
	case <-time.After(waitLimit):
		t.Fatal("the third batch never reached the hub")
	}
	sim.signal(t, syscall.SIGKILL)
	if code := sim.wait(t); code != -1 {
		t.Fatalf("simulate exited %d, want killed", code)
	}
	p.setFault(nil)
	simulate(t, p.srv.URL, terms[0], 0).mustSucceed(t)
	verify(t, h, terms...)
}

// Three tills of one store replay at once through a proxy that fails now and then.
func TestSeveralTerminals(t *testing.T) {
	h := newHub(t)
	terms := newTerminals(t, h, 3)
	h.start(t)
	p := newProxy(t, h.url(), func(n int, w http.ResponseWriter, r *http.Request, p *proxy) {
		if n%5 == 0 {
			fail500(w)
			return
		}
		p.pass(w, r, nil)
	})
	var wg sync.WaitGroup
	procs := make([]*proc, len(terms))
	for i, term := range terms {
		procs[i] = simulate(t, p.srv.URL, term, 15, "--batch", "5")
	}
	codes := make([]int, len(procs))
	for i, sim := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = waitCode(sim) }()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Fatalf("%s exited %d", procs[i].name, c)
		}
	}
	verify(t, h, terms...)
}

// waitCode waits for a process without a testing.T (from another goroutine); -2 means it hung.
func waitCode(p *proc) int {
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(waitLimit):
		return -2
	}
}
