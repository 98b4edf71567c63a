package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// lineWriter hands each written line to a channel: serve's stdout, read while it runs.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line) // an incomplete line waits for the rest
			return len(p), nil
		}
		w.lines <- strings.TrimSuffix(line, "\n")
	}
}

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("kassahub %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

func TestUsageErrors(t *testing.T) {
	data := t.TempDir()
	tests := [][]string{
		{},
		{"frobnicate"},
		{"terminal"},
		{"terminal", "remove"},
		{"terminal", "add", "--data", data, "--store", "s1"},
		{"terminal", "add", "--data", data, "--name", "till-1"},
		{"sales", "--data", data, "--format", "xml"},
		{"serve", "--no-such-flag"},
		{"serve", "--log-level", "loud"},
		{"sales", "extra"},
		{"catalog"},
		{"catalog", "import", "--data", data, "x.csv"},
		{"catalog", "import", "--data", data, "--store", "s1"},
		{"catalog", "import", "--data", data, "--store", "s1", "--format", "commerceml", "import.xml"},
		{"catalog", "import", "--data", data, "--store", "s1", "--format", "yml", "a", "b"},
		{"customers", "import", "--data", data},
		{"loyalty", "ledger", "--data", data, "--format", "xml"},
		{"pickup", "create", "--data", data, "--store", "s1", "--number", "W-1", "--phone", "+79123456789"},
		{"pickup", "create", "--data", data, "--store", "s1", "--number", "W-1", "--phone", "+79123456789", "--item", "4601234567893"},
		{"pickup", "qr", "--data", data, "--order", "po-1"},
		{"pickup", "cancel"},
		{"token", "extra"},
		{"serve", "--tls-cert", "a.pem"},
	}
	for _, args := range tests {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("kassahub %q = %v, want a usage error", args, err)
		}
	}
}

func TestToken(t *testing.T) {
	out := runOK(t, "token")
	var tok, hash string
	if _, err := fmt.Sscanf(out, "token %s\nsha256 %s\n", &tok, &hash); err != nil || len(tok) != 64 || len(hash) != 64 {
		t.Fatalf("token output %q: %v", out, err)
	}
	sum := sha256.Sum256([]byte(tok))
	if hex.EncodeToString(sum[:]) != hash {
		t.Errorf("sha256 %s is not the token's", hash)
	}
}

func TestRunErrors(t *testing.T) {
	data := t.TempDir()
	runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sales", "--data", filepath.Join(data, "missing")}, "no hub database"},
		{[]string{"terminal", "add", "--data", data, "--store", "s1", "--name", "till-1"}, "already exists"},
		{[]string{"serve", "--data", data, "--listen", "256.0.0.1:99999"}, "listen"},
	}
	for _, tc := range tests {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("kassahub %q = %v, want an error about %q", tc.args, err, tc.want)
		}
	}
}

func TestServeTerminalSales(t *testing.T) {
	data := t.TempDir()
	token := strings.TrimSpace(runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1"))
	if len(token) != 64 {
		t.Fatalf("token %q, want 64 hex digits alone on its line", token)
	}
	if out := runOK(t, "terminal", "list", "--data", data); !strings.Contains(out, "\ns1     till-1  ") || !strings.Contains(out, "LAST_SEQ") {
		t.Errorf("terminal list: %q", out)
	}

	srv := startServe(t, "--data", data, "--listen", "127.0.0.1:0")
	addr := srv.addr
	resp, err := http.Get(addr + "/v1/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()
	refund := sale("r1", 4, 990, 165)
	refund.Type = wire.TypeRefund
	res := postBatch(t, addr, token, sale("e1", 1, 12050, 163), sale("e2", 2, 990, 164), refund)
	if strings.Join(res.Acked, ",") != "e1,e2,r1" || len(res.Gaps) != 1 {
		t.Fatalf("answer %+v", res)
	}
	stderr := srv.stop(t)
	if !strings.Contains(stderr, "msg=request method=POST path=/v1/events status=200") ||
		!strings.Contains(stderr, "terminal=till-1 events=3 new=3") {
		t.Errorf("no structured request log in %q", stderr)
	}
	if out := runOK(t, "terminal", "list", "--data", data); !strings.Contains(out, "4         3       0         1     2->4") {
		t.Errorf("terminal list after the batch:\n%s", out)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sales", "--data", data},
			`{"event_id":"e1","type":"sale","store":"s1","terminal":"till-1","total":12050,"fd":163,"fp":1163,"at":"2026-03-14T10:30:00Z"}` + "\n" +
				`{"event_id":"e2","type":"sale","store":"s1","terminal":"till-1","total":990,"fd":164,"fp":1164,"at":"2026-03-14T10:30:00Z"}` + "\n" +
				`{"event_id":"r1","type":"refund","store":"s1","terminal":"till-1","total":990,"fd":165,"fp":1165,"at":"2026-03-14T10:30:00Z","refund_of":"e2"}` + "\n"},
		{[]string{"sales", "--data", data, "--store", "s1", "--format", "csv"},
			"event_id,type,store,terminal,total,fd,fp,at,refund_of\ne1,sale,s1,till-1,12050,163,1163,2026-03-14T10:30:00Z,\n" +
				"e2,sale,s1,till-1,990,164,1164,2026-03-14T10:30:00Z,\nr1,refund,s1,till-1,990,165,1165,2026-03-14T10:30:00Z,e2\n"},
		{[]string{"sales", "--data", data, "--store", "s2"}, ""},
	}
	for _, tc := range tests {
		if got := runOK(t, tc.args...); got != tc.want {
			t.Errorf("kassahub %q:\n%s\nwant:\n%s", tc.args, got, tc.want)
		}
	}
}

var t0 = time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)

func sale(id string, seq uint64, total int64, fd uint32) wire.Event {
	s := wire.Sale{ID: id, Terminal: "till-1", Total: total, CreatedAt: t0,
		Lines:  []wire.SaleLine{{ProductID: "1", Name: "Сыр", Price: total, Qty: 1000, Unit: "pcs", VAT: "10", Sum: total}},
		Fiscal: wire.Fiscal{FDNumber: fd, FiscalSign: 1000 + fd, FNSerial: "9999078900004312", At: t0}}
	if fd == 165 {
		s.RefundOf = "e2"
	}
	payload, _ := json.Marshal(s)
	return wire.Event{ID: id, Seq: seq, Type: wire.TypeSale, Terminal: "till-1", At: t0, Payload: payload}
}

// served is a `kassahub serve` running in the test.
type served struct {
	addr   string
	cancel context.CancelFunc
	done   chan error
	stderr *syncBuffer
}

// syncBuffer is a bytes.Buffer serve's logger and the test may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServe runs serve with args and waits for its "listening on" line.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &lineWriter{lines: make(chan string, 10)}
	s := &served{cancel: cancel, done: make(chan error, 1), stderr: &syncBuffer{}}
	go func() { s.done <- run(ctx, append([]string{"serve"}, args...), stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	select {
	case line := <-stdout.lines:
		s.addr = strings.TrimPrefix(line, "kassahub: listening on ")
		if s.addr == line || strings.HasSuffix(s.addr, ":0") {
			t.Fatalf("first line %q", line)
		}
	case err := <-s.done:
		t.Fatalf("serve ended early: %v\n%s", err, s.stderr)
	}
	return s
}

// stop ends serve as SIGTERM would and returns its log.
func (s *served) stop(t *testing.T) string {
	t.Helper()
	s.cancel()
	if err := <-s.done; err != nil {
		t.Fatalf("serve: %v\n%s", err, s.stderr)
	}
	s.done <- nil // for the cleanup
	return s.stderr.String()
}

func postBatch(t *testing.T, addr, token string, events ...wire.Event) wire.BatchResult {
	t.Helper()
	body, _ := json.Marshal(wire.Batch{Events: events})
	req, _ := http.NewRequest(http.MethodPost, addr+"/v1/events", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res wire.BatchResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /v1/events: %d %v", resp.StatusCode, err)
	}
	return res
}
