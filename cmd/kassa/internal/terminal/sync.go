package terminal

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/outbox"
)

// newPuller pulls the four feeds into the store over the replayer's HTTP client and token.
func newPuller(st *store.Store, o Options, url, token string, hc *http.Client) *client.Puller {
	return client.NewPuller(client.Feeds{
		Catalog: st.CatalogFeed(), Customers: st.CustomerFeed(), Offers: st.OfferFeed(), PickupOrders: st.PickupFeed(),
	}, client.PullConfig{BaseURL: url, Token: token, HTTPClient: hc, Logger: o.Logger, Interval: o.PullInterval})
}

// RunSync runs the replayer and the puller until ctx ends, then returns ctx.Err(). They run side by side:
// a long first pull of a big catalog never holds sales back, and a failing feed never stops the replay.
func (t *Terminal) RunSync(ctx context.Context) error {
	var wg sync.WaitGroup
	for name, run := range map[string]func(context.Context) error{"replayer": t.Replayer.Run, "puller": t.Puller.Run} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				t.log.Error(name+" stopped", "err", err)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// SyncNow asks for an immediate replay and pull (the cashier's "sync now").
func (t *Terminal) SyncNow() {
	t.Replayer.SyncNow()
	t.Puller.SyncNow()
}

// LinkStatus is the state of the link to the hub as the status bar shows it: online only when both the
// replay and the pull work, and why not otherwise (a refused token, an untrusted certificate).
func (t *Terminal) LinkStatus() client.Status {
	return client.Combine(t.Replayer.Status(), t.Puller.Status())
}

// RetryDeadLetters queues rejected events again, in their original outbox order whatever the order of ids,
// and wakes the replayer. It stops at the first failure; the ones before it are queued.
func (t *Terminal) RetryDeadLetters(ids ...string) error {
	dead, err := t.Store.DeadLetters()
	if err != nil {
		return err
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	order := dead[:0:0]
	for _, d := range dead {
		if want[d.Event.ID] {
			order = append(order, d)
			delete(want, d.Event.ID)
		}
	}
	for id := range want { // an id left over is not a dead letter
		return fmt.Errorf("retry %s: %w", id, store.ErrNotFound)
	}
	// Dead letters are listed by rejection time; the outbox seq is the order they were sold in.
	slices.SortStableFunc(order, func(a, b outbox.DeadLetter) int { return cmp.Compare(a.Event.Seq, b.Event.Seq) })
	for _, d := range order {
		if err := t.Store.RetryDeadLetter(d.Event.ID); err != nil {
			return err
		}
		t.log.Info("dead letter queued again", "id", d.Event.ID, "type", d.Event.Type, "reason", d.Reason)
	}
	t.Replayer.SyncNow()
	return nil
}

// WriteToken stores a terminal's bearer token readable by its owner only (0600): written to a temporary
// file in the same folder, synced and renamed over the old one, so a crash leaves the old token or the
// new one, never half of it.
func WriteToken(path, token string) error {
	if token == "" {
		return errors.New("write token: empty token")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write token: %w", err)
	}
	f, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return fmt.Errorf("write token: %w", err)
	}
	defer os.Remove(f.Name()) // after the rename it names nothing
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("write token: %w", err)
	}
	if _, err := f.WriteString(token + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("write token: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write token: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write token: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write token: %w", err)
	}
	return nil
}

// hubClient is the HTTP client of the replayer and the puller: the system's roots plus the store backend's
// own CA when one is configured (caFile, PEM), TLS 1.2 or later, and the default transport's proxy and
// dial settings.
func hubClient(caFile string) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	c := &http.Client{Timeout: client.DefaultRequestTimeout, Transport: tr}
	if caFile == "" {
		return c, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("hub CA: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("hub CA %s holds no PEM certificate", caFile)
	}
	tr.TLSClientConfig.RootCAs = pool
	return c, nil
}
