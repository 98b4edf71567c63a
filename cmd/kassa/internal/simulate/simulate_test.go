package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/hub"
)

// testHub is the real hub in-process; down makes it answer 503 to everything, as a hub being restarted.
type testHub struct {
	srv   *httptest.Server
	st    *hub.Storage
	token string
	down  atomic.Bool
	// onEvents, if set, sees every POST /v1/events before the hub does.
	onEvents func()
}

func newTestHub(t *testing.T) *testHub {
	t.Helper()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := &testHub{st: st}
	if h.token, err = st.AddTerminal("s1", "till-1"); err != nil {
		t.Fatal(err)
	}
	real := hub.NewServer(st, hub.Options{}).Handler()
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/events" && h.onEvents != nil {
			h.onEvents()
		}
		if h.down.Load() {
			http.Error(w, `{"error":"restarting"}`, http.StatusServiceUnavailable)
			return
		}
		real.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { h.srv.Close(); st.Close() })
	return h
}

// checkExactlyOnce compares the journal in dir with the hub: every fiscalised sale there once, same totals.
func checkExactlyOnce(t *testing.T, h *testHub, dir string, sum Summary) {
	t.Helper()
	sales, err := h.st.Sales("s1")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	var total int64
	for _, s := range sales {
		seen[s.Sale.ID]++
		total += s.Sale.Total
	}
	st, err := store.Open(filepath.Join(dir, "kassa.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	journal, err := st.RecentSales(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	n := 0
	for _, s := range journal {
		if s.Status != "fiscalised" {
			continue
		}
		n++
		want += int64(s.Total)
		if seen[s.ID] != 1 {
			t.Errorf("sale %s is at the hub %d times", s.ID, seen[s.ID])
		}
	}
	if len(sales) != n || total != want || sum.Sales != n || sum.Total != want {
		t.Errorf("hub %d sales %d kop, journal %d sales %d kop, summary %+v", len(sales), total, n, want, sum)
	}
	if ob, _ := st.OutboxStats(); ob.Unsent != 0 || ob.DeadLetters != 0 {
		t.Errorf("outbox %+v, want empty", ob)
	}
}

func TestRunSellsAndReplays(t *testing.T) {
	h := newTestHub(t)
	dir := t.TempDir()
	o := Options{Hub: h.srv.URL, Token: h.token, Terminal: "till-1", Data: dir, Sales: 6, Batch: 4, Seed: 1}
	sum, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sold != 6 || sum.Sales != 6 || sum.Unsent != 0 || sum.Dead != 0 || sum.Total <= 0 {
		t.Errorf("summary %+v", sum)
	}
	checkExactlyOnce(t, h, dir, sum)

	// A second run on the same folder makes that many more; the token is already stored.
	o.Token, o.Sales = "", 2
	sum, err = Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sold != 2 || sum.Sales != 8 {
		t.Errorf("second run summary %+v, want 2 sold and 8 in the journal", sum)
	}
	checkExactlyOnce(t, h, dir, sum)
}

// Stopped while the hub is down, the next run on the same folder only finishes the replay.
func TestRunResumes(t *testing.T) {
	h := newTestHub(t)
	h.down.Store(true)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var posts atomic.Int32
	h.onEvents = func() {
		if posts.Add(1) == 3 { // the replayer keeps trying while the hub is down
			cancel()
		}
	}
	o := Options{Hub: h.srv.URL, Token: h.token, Terminal: "till-1", Data: dir, Sales: 5, Seed: 2}
	sum, err := Run(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with the hub down = %v, %+v; want it stopped by its context", err, sum)
	}
	h.onEvents = nil
	h.down.Store(false)
	o.Sales, o.Token = 0, ""
	sum, err = Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sold != 0 || sum.Sales == 0 {
		t.Errorf("resumed summary %+v", sum)
	}
	checkExactlyOnce(t, h, dir, sum)
}

func TestRunRefused(t *testing.T) {
	h := newTestHub(t)
	tests := []struct {
		name string
		o    Options
		is   error
		says string
	}{
		{"another terminal's name", Options{Terminal: "till-9", Token: h.token, Sales: 1}, ErrRejected,
			"does not match the token's terminal"},
		{"no token anywhere", Options{Terminal: "till-1", Sales: 1}, nil, "no --token"},
		{"no hub", Options{Terminal: "till-1", Token: h.token, Sales: 1}, nil, "no hub URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.o.Data = t.TempDir()
			if tt.name != "no hub" {
				tt.o.Hub = h.srv.URL
			}
			_, err := Run(context.Background(), tt.o)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("Run = %v, want %v saying %q", err, tt.is, tt.says)
			}
		})
	}
}

func TestCommand(t *testing.T) {
	h := newTestHub(t)
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		{"sells", []string{"--hub", h.srv.URL, "--token", h.token, "--sales", "2", "--rate", "50",
			"--data", t.TempDir(), "--log-level", "warn"}, 0, `"sold":2`, ""},
		{"no sales", []string{"--hub", h.srv.URL}, 2, "", "--hub and --sales are required"},
		{"stray argument", []string{"--hub", h.srv.URL, "--sales", "1", "now"}, 2, "", `unexpected argument "now"`},
		{"bad level", []string{"--hub", h.srv.URL, "--sales", "1", "--log-level", "loud"}, 2, "", "--log-level"},
		{"unknown flag", []string{"--hubs", "x"}, 2, "", "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stdout.String(), tt.out) || !strings.Contains(stderr.String(), tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
			}
			if code == 0 {
				var sum Summary
				if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil || sum.Unsent != 0 {
					t.Errorf("summary %q: %v", stdout.String(), err)
				}
			}
		})
	}
}

func TestStoreToken(t *testing.T) {
	tests := []struct {
		name    string
		old     string // "" no file
		mode    os.FileMode
		token   string
		wantErr bool
		want    string
	}{
		{"first run", "", 0, "abc", false, "abc"},
		{"same token kept", "abc\n", 0o600, "abc", false, "abc"},
		{"readable by others is fixed", "abc\n", 0o644, "abc", false, "abc"},
		{"new token replaces", "old\n", 0o600, "abc", false, "abc"},
		{"stored token reused", "abc\n", 0o600, "", false, "abc"},
		{"no token anywhere", "", 0, "", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "token")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), tt.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.mode); err != nil {
					t.Fatal(err)
				}
			}
			err := storeToken(path, tt.token, slog.New(slog.DiscardHandler))
			if (err != nil) != tt.wantErr {
				t.Fatalf("storeToken = %v", err)
			}
			if tt.wantErr {
				return
			}
			b, err := os.ReadFile(path)
			info, serr := os.Stat(path)
			if err != nil || serr != nil || strings.TrimSpace(string(b)) != tt.want || info.Mode().Perm() != 0o600 {
				t.Errorf("token file %q mode %v (%v, %v); want %q 0600", b, info.Mode().Perm(), err, serr, tt.want)
			}
		})
	}
}
