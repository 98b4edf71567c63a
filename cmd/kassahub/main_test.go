package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	}
	for _, args := range tests {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("kassahub %q = %v, want a usage error", args, err)
		}
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
	if out := runOK(t, "terminal", "list", "--data", data); !strings.HasPrefix(out, "s1\ttill-1\t") {
		t.Errorf("terminal list: %q", out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	stdout := &lineWriter{lines: make(chan string, 10)}
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", data, "--listen", "127.0.0.1:0"}, stdout, &stderr)
	}()
	var addr string
	select {
	case line := <-stdout.lines:
		addr = strings.TrimPrefix(line, "kassahub: listening on ")
		if addr == line || strings.HasSuffix(addr, ":0") {
			t.Fatalf("first line %q", line)
		}
	case err := <-done:
		t.Fatalf("serve ended early: %v", err)
	}

	resp, err := http.Get(addr + "/v1/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()
	res := postBatch(t, addr, token, sale("e1", 1, 12050, 163), sale("e2", 2, 990, 164))
	if strings.Join(res.Acked, ",") != "e1,e2" {
		t.Fatalf("answer %+v", res)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, &stderr)
	}
	if !strings.Contains(stderr.String(), "msg=batch") {
		t.Errorf("no structured batch log in %q", &stderr)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sales", "--data", data},
			`{"event_id":"e1","store":"s1","terminal":"till-1","total":12050,"fd":163,"fp":1163,"at":"2026-03-14T10:30:00Z"}` + "\n" +
				`{"event_id":"e2","store":"s1","terminal":"till-1","total":990,"fd":164,"fp":1164,"at":"2026-03-14T10:30:00Z"}` + "\n"},
		{[]string{"sales", "--data", data, "--store", "s1", "--format", "csv"},
			"event_id,store,terminal,total,fd,fp,at\ne1,s1,till-1,12050,163,1163,2026-03-14T10:30:00Z\n" +
				"e2,s1,till-1,990,164,1164,2026-03-14T10:30:00Z\n"},
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
	payload, _ := json.Marshal(s)
	return wire.Event{ID: id, Seq: seq, Type: wire.TypeSale, Terminal: "till-1", At: t0, Payload: payload}
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
