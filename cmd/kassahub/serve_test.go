package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// TestGracefulShutdown stops serve (as SIGTERM does) while a batch is on the wire: the listener closes at
// once, the batch still commits and gets its answer, and then the database is closed.
func TestGracefulShutdown(t *testing.T) {
	data := t.TempDir()
	token := strings.TrimSpace(runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1"))
	srv := startServe(t, "--data", data, "--listen", "127.0.0.1:0")
	host := strings.TrimPrefix(srv.addr, "http://")

	body, _ := json.Marshal(wire.Batch{Events: []wire.Event{sale("g1", 1, 100, 1), sale("g2", 2, 200, 2)}})
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Headers and half the body; Expect: 100-continue makes the server say when the handler starts reading.
	fmt.Fprintf(conn, "POST /v1/events HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", host, token, len(body))
	br := bufio.NewReader(conn)
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("interim answer %q, %v", line, err)
	}
	br.ReadString('\n') // the blank line after it
	conn.Write(body[:len(body)/2])

	srv.cancel() // SIGTERM
	for {        // the listener closes first: new connections are refused
		c, err := net.Dial("tcp", host)
		if err != nil {
			break
		}
		c.Close()
	}
	conn.Write(body[len(body)/2:])
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	var res wire.BatchResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 || strings.Join(res.Acked, ",") != "g1,g2" {
		t.Fatalf("in-flight batch: %d %+v %v", resp.StatusCode, res, err)
	}
	resp.Body.Close()
	if err := <-srv.done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	srv.done <- nil
	log := srv.stderr.String()
	if i, j := strings.Index(log, "shutting down"), strings.Index(log, "msg=request"); i < 0 || j < i || !strings.Contains(log[j:], "msg=stopped") {
		t.Errorf("log does not show shutdown, then the batch, then stop:\n%s", log)
	}
	// The database was closed: a reader opens it, and the batch is there.
	if out := runOK(t, "sales", "--data", data); strings.Count(out, "\n") != 2 {
		t.Errorf("sales after shutdown:\n%s", out)
	}
}

// TestServeConfigTLS runs serve from a config file: HTTPS, a terminal and an admin token declared by hash,
// pickup QR signing, metrics.
func TestServeConfigTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key, pool := selfSigned(t, dir)
	termToken, termHash, _ := hub.NewToken()
	adminToken, adminHash, _ := hub.NewToken()
	secret := strings.Repeat("ab", 32)
	config := writeConfig(t, fmt.Sprintf(`
listen = "127.0.0.1:1"
data = %q
log_format = "json"
[tls]
cert = %q
key = %q
[admin]
token_sha256 = [%q]
[customers]
phone_key = %q
[pickup]
ttl = "48h"
[[pickup.keys]]
id = "k1"
secret = %q
[[stores]]
id = "s1"
[[terminals]]
store = "s1"
name = "till-1"
token_sha256 = %q
`, filepath.Join(dir, "data"), cert, key, adminHash, secret, secret, termHash))
	if err := run(t.Context(), []string{"catalog", "import", "--config", config, "--store", "s1", filepath.Join("testdata", "catalog.csv")}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, "--config", config, "--listen", "127.0.0.1:0") // the flag beats the file's port 1
	if !strings.HasPrefix(srv.addr, "https://") {
		t.Fatalf("address %s", srv.addr)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	call := func(method, path, token, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.addr+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	batch, _ := json.Marshal(wire.Batch{Events: []wire.Event{sale("c1", 1, 100, 1)}})
	tests := []struct {
		method, path, token, body string
		want                      int
		has                       string
	}{
		{"GET", "/healthz", "", "", 200, `"ok"`},
		{"POST", "/v1/events", termToken, string(batch), 200, `"acked":["c1"]`},
		{"GET", "/v1/catalog?limit=2", termToken, "", 200, `"more":true`},
		{"POST", "/v1/admin/pickup-orders", adminToken, `{"store":"s1","number":"W-7","phone":"+79123456789","items":[{"barcode":"4601234567893","qty":1000}]}`, 201, `"qr":"KP1.k1.`},
		{"POST", "/v1/admin/pickup-orders", termToken, `{}`, 401, "admin token"},
		{"GET", "/metrics", "", "", 200, `kassahub_events_received_total{type="sale"} 1`},
	}
	for _, tc := range tests {
		code, body := call(tc.method, tc.path, tc.token, tc.body)
		if code != tc.want || !strings.Contains(body, tc.has) {
			t.Errorf("%s %s: %d %.300s, want %d with %q", tc.method, tc.path, code, body, tc.want, tc.has)
		}
	}
	// Plain HTTP to the TLS port is refused by the TLS layer.
	if resp, err := http.Get(strings.Replace(srv.addr, "https", "http", 1) + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP to the TLS port: %d", resp.StatusCode)
		}
	}
	log := srv.stop(t)
	if !strings.Contains(log, `"msg":"terminal registered from the config"`) || !strings.Contains(log, `"terminal":"till-1"`) {
		t.Errorf("JSON log misses the config terminal:\n%s", log)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns their paths and a pool trusting it.
func selfSigned(t *testing.T, dir string) (certPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kassahub test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "hub.crt"), filepath.Join(dir, "hub.key")
	var cb, kb bytes.Buffer
	pem.Encode(&cb, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	pem.Encode(&kb, &pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	if err := os.WriteFile(certPath, cb.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, kb.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AppendCertsFromPEM(cb.Bytes())
	return certPath, keyPath, pool
}
