package terminal

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// httpsHub is the real hub behind HTTPS with its own certificate (a store backend with its own CA). While
// refuse is set it rejects every event, as a hub with a bug or a missing setting would.
type httpsHub struct {
	srv    *httptest.Server
	st     *hub.Storage
	token  string
	caFile string // the server's certificate as PEM
	refuse atomic.Bool
}

func newHTTPSHub(t *testing.T) *httpsHub {
	t.Helper()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := &httpsHub{st: st}
	if h.token, err = st.AddTerminal("s1", "till-1"); err != nil {
		t.Fatal(err)
	}
	real := hub.NewServer(st, hub.Options{}).Handler()
	h.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/events" && h.refuse.Load() {
			var b wire.Batch
			_ = json.NewDecoder(r.Body).Decode(&b)
			res := wire.BatchResult{Acked: []string{}}
			for _, ev := range b.Events {
				res.Rejected = append(res.Rejected, wire.Rejection{ID: ev.ID, Reason: "store s1 is not configured"})
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(res)
			return
		}
		real.ServeHTTP(w, r)
	}))
	h.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	h.srv.StartTLS()
	t.Cleanup(func() { h.srv.Close(); st.Close() })
	h.caFile = filepath.Join(t.TempDir(), "ca.pem")
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: h.srv.Certificate().Raw})
	if err := os.WriteFile(h.caFile, ca, 0o644); err != nil {
		t.Fatal(err)
	}
	return h
}

// openSynced opens a terminal on the hub and runs its replayer and puller until the test ends.
func openSynced(t *testing.T, h *httpsHub, token, caFile string) *Terminal {
	t.Helper()
	dir := t.TempDir()
	o := demoOptions(dir)
	o.HubURL, o.CAFile = h.srv.URL, caFile
	if err := WriteToken(o.TokenFile, token); err != nil {
		t.Fatal(err)
	}
	term, err := Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- term.RunSync(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("RunSync = %v", err)
		}
		term.Close()
	})
	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	return term
}

func TestLinkStates(t *testing.T) {
	h := newHTTPSHub(t)
	tests := []struct {
		name      string
		token     string
		ca        string
		delivered bool
		state     func(online, unauth, badCert bool) bool
	}{
		{"the store's CA configured", h.token, h.caFile, true,
			func(online, unauth, badCert bool) bool { return online && !unauth && !badCert }},
		{"no CA configured", h.token, "", false,
			func(online, unauth, badCert bool) bool { return !online && !unauth && badCert }},
		{"token revoked", "0123456789abcdef", h.caFile, false,
			func(online, unauth, badCert bool) bool { return !online && unauth && !badCert }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			term := openSynced(t, h, tt.token, tt.ca)
			sale := sellBread(t, term)
			waitFor(t, "the link state", func() (bool, error) {
				s := term.LinkStatus()
				return tt.state(s.Online, s.Unauthorized, s.BadCertificate) &&
					(!tt.delivered || unsent(t, term.Store) == 0), nil
			})
			sales, err := h.st.Sales("s1")
			if err != nil {
				t.Fatal(err)
			}
			found := slices.ContainsFunc(sales, func(s hub.StoredSale) bool { return s.Sale.ID == sale.ID })
			if found != tt.delivered {
				t.Errorf("sale at the hub: %v, want %v", found, tt.delivered)
			}
			if !tt.delivered && unsent(t, term.Store) == 0 {
				t.Error("the outbox lost the sale the hub never got")
			}
		})
	}
}

// Dead letters retried in any order go back to the outbox in the order they were made.
func TestRetryDeadLettersInOrder(t *testing.T) {
	h := newHTTPSHub(t)
	h.refuse.Store(true)
	term := openSynced(t, h, h.token, h.caFile)
	var made []string
	for range 3 {
		made = append(made, sellBread(t, term).ID)
		term.Replayer.Notify()
	}
	waitFor(t, "four dead letters (shift open and three sales)", func() (bool, error) {
		st, err := term.Store.OutboxStats()
		return st.DeadLetters == 4 && st.Unsent == 0, err
	})
	dead, err := term.Store.DeadLetters()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := len(dead) - 1; i >= 0; i-- {
		ids = append(ids, dead[i].Event.ID)
	}
	if err := term.RetryDeadLetters("no-such-event"); err == nil {
		t.Error("retrying an unknown event succeeded")
	}
	h.refuse.Store(false) // the hub was fixed
	if err := term.RetryDeadLetters(ids...); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the retried events at the hub", func() (bool, error) {
		st, err := term.Store.OutboxStats()
		return st.DeadLetters == 0 && st.Unsent == 0, err
	})
	sales, err := h.st.Sales("s1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sales {
		got = append(got, s.Sale.ID)
	}
	if !slices.Equal(got, made) {
		t.Errorf("hub received %q, want the order of sale %q", got, made)
	}
}

func TestWriteToken(t *testing.T) {
	tests := []struct {
		name string
		old  os.FileMode // 0: no file before
	}{
		{"new file", 0},
		{"replaces a file others could read", 0o644},
		{"replaces a private file", 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "token")
			if tt.old != 0 {
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte("old\n"), tt.old); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.old); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteToken(path, "c0ffee"); err != nil {
				t.Fatal(err)
			}
			info, err := os.Stat(path)
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v, %v; want 0600", info.Mode().Perm(), err)
			}
			if tok, err := readToken(path); err != nil || tok != "c0ffee" {
				t.Errorf("readToken = %q, %v", tok, err)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".token-*"))
			if len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
	if err := WriteToken(filepath.Join(t.TempDir(), "token"), ""); err == nil {
		t.Error("an empty token was written")
	}
}
