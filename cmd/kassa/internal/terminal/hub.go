package terminal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// EmbeddedHub is the reference backend running inside the demo till on a loopback port, so a newcomer
// sees sales leave the terminal without setting up a server.
type EmbeddedHub struct {
	URL     string
	Storage *hub.Storage

	log     *slog.Logger
	handler http.Handler
	mu      sync.Mutex
	srv     *http.Server
}

// StartEmbeddedHub opens the hub's data in dir, makes sure the terminal has a token in tokenFile, and
// serves the sync API on 127.0.0.1 on a free port.
func StartEmbeddedHub(dir, storeName, terminal, tokenFile string, log *slog.Logger) (*EmbeddedHub, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("hub folder: %w", err)
	}
	st, err := hub.Open(filepath.Join(dir, "hub.db"))
	if err != nil {
		return nil, err
	}
	if err := ensureToken(st, dir, storeName, terminal, tokenFile); err != nil {
		st.Close()
		return nil, err
	}
	if err := seedDemoCustomers(context.Background(), st); err != nil { // demo_customers.go
		st.Close()
		return nil, err
	}
	if err := seedDemoPickup(context.Background(), st, storeName, time.Now()); err != nil { // demo_pickup.go
		st.Close()
		return nil, err
	}
	if err := seedDemoOffers(context.Background(), st, storeName, time.Now()); err != nil { // demo_offers.go
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("embedded hub: %w", err)
	}
	h := &EmbeddedHub{URL: "http://" + ln.Addr().String(), Storage: st, log: log,
		handler: hub.NewServer(st, hub.Options{Logger: log, Pickup: demoPickupOptions()}).Handler()}
	h.serve(ln)
	log.Info("embedded hub listening", "url", h.URL)
	return h, nil
}

// serve runs a new http.Server on ln: a server that was shut down cannot serve again.
func (h *EmbeddedHub) serve(ln net.Listener) {
	srv := &http.Server{Handler: h.handler, ReadHeaderTimeout: 10 * time.Second}
	h.mu.Lock()
	h.srv = srv
	h.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.log.Error("embedded hub stopped", "err", err)
		}
	}()
}

// Stop makes the hub unreachable (tests pull the network with it) without closing its storage.
func (h *EmbeddedHub) Stop() error {
	h.mu.Lock()
	srv := h.srv
	h.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
		// A connection the replayer dialled but never used counts as busy for 5 s in net/http; each
		// request is one idempotent transaction, so cutting it is safe: the terminal sends it again.
		return srv.Close()
	} else if err != nil {
		return err
	}
	return nil
}

// Restart serves again after Stop, on the same address: the terminal's replayer keeps the URL it was
// given. It fails if something else took the port meanwhile.
func (h *EmbeddedHub) Restart() error {
	addr := strings.TrimPrefix(h.URL, "http://")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("embedded hub: listen again on %s: %w", addr, err)
	}
	h.serve(ln)
	return nil
}

// Close stops serving and closes the storage.
func (h *EmbeddedHub) Close() error {
	return errors.Join(h.Stop(), h.Storage.Close())
}

// ensureToken gives the terminal a token on first start and checks it on the next ones. When the token is
// lost, the way out is a fresh hub folder (dir), never the terminal's data folder with its journal.
func ensureToken(st *hub.Storage, dir, storeName, terminal, tokenFile string) error {
	tok, err := readToken(tokenFile)
	switch {
	case err == nil:
		if _, err := st.Authenticate(tok); err == nil {
			return nil
		}
	case !errors.Is(err, fs.ErrNotExist):
		// A token others can read is refused as it is, not replaced (WriteFile keeps the mode).
		return fmt.Errorf("embedded hub: %w", err)
	}
	tok, err = st.AddTerminal(storeName, terminal)
	if err != nil {
		return fmt.Errorf("embedded hub: register terminal %s (delete %s to start the demo hub afresh): %w",
			terminal, dir, err)
	}
	return WriteToken(tokenFile, tok)
}
