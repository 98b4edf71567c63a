package client_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/hub"
)

// tlsHub is the real hub behind an HTTPS test server with its own self-signed certificate, like a store
// backend with its own CA.
func tlsHub(t *testing.T) (srv *httptest.Server, token string, st *hub.Storage) {
	t.Helper()
	st, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	token, err = st.AddTerminal("s1", "till-1")
	if err != nil {
		t.Fatal(err)
	}
	srv = quietTLS(hub.NewServer(st, hub.Options{}).Handler())
	t.Cleanup(func() { srv.Close(); st.Close() })
	return srv, token, st
}

// quietTLS starts an HTTPS test server that does not log the handshakes the tests make fail.
func quietTLS(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

// otherCA is a self-signed CA certificate that signed nothing the test servers use.
func otherCA(t *testing.T) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Другой CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func clientTrusting(certs ...*x509.Certificate) *http.Client {
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
}

func TestReplayOverTLS(t *testing.T) {
	srv, token, st := tlsHub(t)
	other := otherCA(t) // every httptest server shares one certificate: make an unrelated one
	tests := []struct {
		name      string
		url       func() string
		client    *http.Client
		delivered bool
	}{
		{"the store's CA configured", func() string { return srv.URL }, clientTrusting(srv.Certificate()), true},
		{"system roots only", func() string { return srv.URL }, &http.Client{Timeout: 10 * time.Second}, false},
		{"another CA", func() string { return srv.URL }, clientTrusting(other), false},
		// The certificate names 127.0.0.1 and example.com, not localhost.
		{"wrong host name", func() string { return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) },
			clientTrusting(srv.Certificate()), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newMemQueue(saleEvents(3)...)
			r := client.NewReplayer(q, client.Config{BaseURL: tt.url(), Token: token, HTTPClient: tt.client,
				IdlePoll: 10 * time.Millisecond, InitialInterval: time.Millisecond, UnauthorizedInterval: time.Hour})
			before, _ := st.EventCount()
			start(t, r)
			if tt.delivered {
				waitFor(t, "an empty queue", func() bool { return q.depth() == 0 })
				if after, _ := st.EventCount(); after != before+3 {
					t.Errorf("hub holds %d new events, want 3", after-before)
				}
				if s := r.Status(); !s.Online || s.BadCertificate {
					t.Errorf("status %+v", s)
				}
				return
			}
			waitFor(t, "the certificate state", func() bool { return r.Status().BadCertificate })
			s := r.Status()
			if s.Online || s.Unauthorized || !strings.Contains(s.LastError, client.ErrCertificate.Error()) {
				t.Errorf("status %+v", s)
			}
			if q.depth() != 3 {
				t.Errorf("queue depth %d, want every event kept", q.depth())
			}
		})
	}
}

func TestPullOverTLS(t *testing.T) {
	f := newFakeFeeds(t)
	f.srv.Close()
	f.srv = quietTLS(f.srv.Config.Handler)
	t.Cleanup(f.srv.Close)
	f.addProducts(1, 3)
	tests := []struct {
		name   string
		client *http.Client
		ok     bool
	}{
		{"trusted", clientTrusting(f.srv.Certificate()), true},
		{"untrusted", &http.Client{Timeout: 10 * time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, feeds := storeFeeds(t, t.TempDir())
			cfg := f.config(10)
			cfg.HTTPClient = tt.client
			p := client.NewPuller(feeds, cfg)
			res, err := p.PullOnce(context.Background())
			s := p.Status()
			if tt.ok {
				if err != nil || res[0].Items != 3 || !s.Online {
					t.Errorf("PullOnce = %+v, %v; status %+v", res, err, s)
				}
				return
			}
			if !errors.Is(err, client.ErrCertificate) || !s.BadCertificate || s.Online {
				t.Errorf("PullOnce = %v; status %+v; want the certificate refused", err, s)
			}
		})
	}
}
