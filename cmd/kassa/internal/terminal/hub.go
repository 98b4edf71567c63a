package terminal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// EmbeddedHub is the reference backend running inside the demo till on a loopback port, so a newcomer
// sees sales leave the terminal without setting up a server.
type EmbeddedHub struct {
	URL     string
	Storage *hub.Storage
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
	if err := ensureToken(st, storeName, terminal, tokenFile); err != nil {
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("embedded hub: %w", err)
	}
	h := &EmbeddedHub{
		URL:     "http://" + ln.Addr().String(),
		Storage: st,
		srv: &http.Server{Handler: hub.NewServer(st, hub.Options{Logger: log}).Handler(),
			ReadHeaderTimeout: 10 * time.Second},
	}
	go func() {
		if err := h.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("embedded hub stopped", "err", err)
		}
	}()
	log.Info("embedded hub listening", "url", h.URL)
	return h, nil
}

// Stop makes the hub unreachable (tests pull the network with it) without closing its storage.
func (h *EmbeddedHub) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return h.srv.Shutdown(ctx)
}

// Close stops serving and closes the storage.
func (h *EmbeddedHub) Close() error {
	return errors.Join(h.Stop(), h.Storage.Close())
}

// ensureToken gives the terminal a token on first start and checks it on the next ones.
func ensureToken(st *hub.Storage, storeName, terminal, tokenFile string) error {
	if tok, err := readToken(tokenFile); err == nil {
		if _, err := st.Authenticate(tok); err == nil {
			return nil
		}
	}
	tok, err := st.AddTerminal(storeName, terminal)
	if err != nil {
		return fmt.Errorf("embedded hub: register terminal %s (delete %s to start the demo hub afresh): %w",
			terminal, filepath.Dir(tokenFile), err)
	}
	if err := os.MkdirAll(filepath.Dir(tokenFile), 0o700); err != nil {
		return err
	}
	return os.WriteFile(tokenFile, []byte(tok+"\n"), 0o600)
}
