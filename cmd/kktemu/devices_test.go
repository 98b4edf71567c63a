package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/display"
	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/scanner"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// logBuffer is a stderr that tests can wait on.
type logBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{}
}

func newLogBuffer() *logBuffer { return &logBuffer{wrote: make(chan struct{}, 1)} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	n, err := l.b.Write(p)
	l.mu.Unlock()
	select {
	case l.wrote <- struct{}{}:
	default:
	}
	return n, err
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until s has been logged.
func (l *logBuffer) waitFor(ctx context.Context, s string) error {
	for !strings.Contains(l.String(), s) {
		select {
		case <-l.wrote:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// readPaths reads n "name: path" lines.
func readPaths(t *testing.T, r *bufio.Reader, n int) (names []string, paths map[string]string) {
	t.Helper()
	paths = map[string]string{}
	for range n {
		line, err := r.ReadString('\n')
		name, path, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if err != nil || !ok || !strings.HasPrefix(path, "/dev/pts/") {
			t.Fatalf("device line %q, %v", line, err)
		}
		names = append(names, name)
		paths[name] = path
	}
	return names, paths
}

// env is what a device check can use besides its port.
type env struct {
	stdin      io.Writer
	printerOut string
	logs       *logBuffer
}

func TestRunServesAllDevices(t *testing.T) {
	const weight = 1250
	e := env{printerOut: filepath.Join(t.TempDir(), "printer.bin"), logs: newLogBuffer()}
	if err := os.WriteFile(e.printerOut, []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdinR, stdinW := io.Pipe()
	e.stdin = stdinW
	stdoutR, stdoutW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer stdinW.Close()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--printer-out", e.printerOut, "--weight", strconv.Itoa(weight)}, stdinR, stdoutW, e.logs)
	}()
	names, paths := readPaths(t, bufio.NewReader(stdoutR), len(deviceNames))
	if !slices.Equal(names, deviceNames) {
		t.Fatalf("device order %q, want %q", names, deviceNames)
	}

	tests := []struct {
		device string
		check  func(t *testing.T, ctx context.Context, port *serialport.Port, e env)
	}{
		{"kkt", func(t *testing.T, ctx context.Context, port *serialport.Port, e env) {
			st, err := kkt.NewDriver(port, kkt.Config{}).ShortStatus(ctx)
			if err != nil || st.Mode() != kkt.ModeShiftClosed {
				t.Errorf("ShortStatus = %+v (mode %d), %v", st, st.Mode(), err)
			}
		}},
		{"printer", func(t *testing.T, ctx context.Context, port *serialport.Port, e env) {
			doc := escpos.NewDocument(escpos.Clone58).Init().Line("Проверка kktemu").Cut(escpos.CutPartial, 3)
			pr := escpos.NewPrinter(port, escpos.Clone58)
			if err := pr.Print(ctx, doc); err != nil {
				t.Fatal(err)
			}
			// The answer comes after the printer has read, and so written out, the whole document.
			if _, err := pr.PaperStatus(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(e.printerOut)
			if err != nil || !bytes.HasPrefix(got, []byte("before\n")) || !bytes.Contains(got, doc.Bytes()) {
				t.Errorf("printer output % X, %v; want the old content and % X appended", got, err, doc.Bytes())
			}
		}},
		{"scanner", func(t *testing.T, ctx context.Context, port *serialport.Port, e env) {
			if _, err := io.WriteString(e.stdin, "\n]d20104640043463309215UWtYHQ3hiHnm<GS>93dGVz\r\n"); err != nil {
				t.Fatal(err)
			}
			s, err := scanner.NewReader(port, scanner.Config{}).Next(ctx)
			if err != nil || s.Symbology != "]d2" || s.Data != "0104640043463309215UWtYHQ3hiHnm\x1d93dGVz" {
				t.Errorf("scan = %+v, %v", s, err)
			}
		}},
		{"scale", func(t *testing.T, ctx context.Context, port *serialport.Port, e env) {
			r, err := scale.New(port, scale.Config{}).Weight(ctx)
			if err != nil || r != (scale.Reading{Grams: weight, Stable: true}) {
				t.Errorf("Weight = %+v, %v", r, err)
			}
		}},
		{"display", func(t *testing.T, ctx context.Context, port *serialport.Port, e env) {
			l1, l2 := display.Line("Молоко 3,2% 1 л", "89,90"), display.Line("Итого:", "89,90")
			if err := display.New(port, display.Config{}).Show(ctx, l1, l2); err != nil {
				t.Fatal(err)
			}
			want := "line1=" + strconv.Quote(l1) + " line2=" + strconv.Quote(l2)
			if err := e.logs.waitFor(ctx, want); err != nil {
				t.Errorf("no %s in the log: %v\n%s", want, err, e.logs)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.device, func(t *testing.T) {
			port, err := serialport.Open(serialport.Config{Path: paths[tt.device]})
			if err != nil {
				t.Fatal(err)
			}
			defer port.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			tt.check(t, ctx, port, e)
		})
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestRunSelectedDevices(t *testing.T) {
	stdoutR, stdoutW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--devices", " display,kkt "}, nil, stdoutW, io.Discard) }()
	out := bufio.NewReader(stdoutR)
	names, _ := readPaths(t, out, 2)
	if want := []string{"kkt", "display"}; !slices.Equal(names, want) {
		t.Errorf("devices %q, want %q", names, want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	stdoutW.Close()
	if rest, _ := io.ReadAll(out); len(rest) > 0 {
		t.Errorf("more output: %q", rest)
	}
}

func TestParseDevices(t *testing.T) {
	tests := []struct {
		list string
		want []string
	}{
		{"kkt,printer,scanner,scale,display", deviceNames},
		{"display,kkt", []string{"kkt", "display"}},
		{" scale , scale,", []string{"scale"}},
		{"", nil},
		{"kkt,drawer", nil},
	}
	for _, tt := range tests {
		got, err := parseDevices(tt.list)
		if (err != nil) != (tt.want == nil) || !slices.Equal(got, tt.want) {
			t.Errorf("parseDevices(%q) = %q, %v; want %q", tt.list, got, err, tt.want)
		}
	}
}

// TestPrintLog feeds the printer's bytes in chunks cut at awkward places.
func TestPrintLog(t *testing.T) {
	doc := escpos.NewDocument(escpos.Clone58).Init().Line("Первая").Bold(true).Line("Вторая").Cut(escpos.CutFull, 2).Bytes()
	lineAt := bytes.Index(doc, []byte{'\n'})
	tests := []struct {
		name   string
		chunks [][]byte
	}{
		{"whole", [][]byte{doc}},
		{"inside a line", [][]byte{doc[:lineAt-2], doc[lineAt-2:]}},
		{"inside a command", [][]byte{doc[:1], doc[1 : len(doc)-1], doc[len(doc)-1:]}},
		{"a byte at a time", splitBytes(doc)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			p := &printLog{log: slog.New(slog.NewTextHandler(&logs, nil))}
			for _, c := range tt.chunks {
				if n, err := p.Write(c); n != len(c) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			var got []string
			for l := range strings.Lines(logs.String()) {
				_, v, _ := strings.Cut(strings.TrimSpace(l), "line=")
				got = append(got, v)
			}
			want := []string{"Первая", "Вторая"}
			if !slices.Equal(got, want) {
				t.Errorf("logged %q, want %q", got, want)
			}
		})
	}
}

func splitBytes(b []byte) [][]byte {
	var out [][]byte
	for i := range b {
		out = append(out, b[i:i+1])
	}
	return out
}
