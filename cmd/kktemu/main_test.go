package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

func TestRunServesPTY(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	for round := 1; round <= 2; round++ {
		pr, pw := io.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"--state", state, "--fn", "9999000000000042"}, nil, pw, io.Discard)
		}()
		line, err := bufio.NewReader(pr).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "kkt: /dev/pts/") {
			t.Fatalf("first line %q, %v", line, err)
		}
		port, err := serialport.Open(serialport.Config{Path: strings.TrimSpace(strings.TrimPrefix(line, "kkt: "))})
		if err != nil {
			t.Fatal(err)
		}
		ctxc, cancelc := context.WithTimeout(context.Background(), 10*time.Second)
		d := kkt.NewDriver(port, kkt.Config{})
		fn, err := d.FNStatus(ctxc)
		if err != nil || fn.Serial != "9999000000000042" {
			t.Fatalf("FNStatus = %+v, %v", fn, err)
		}
		if round == 1 {
			if err := d.OpenShift(ctxc); err != nil {
				t.Fatal(err)
			}
		} else if !fn.ShiftOpen || fn.LastFD != 1 {
			t.Errorf("state not kept across restart: %+v", fn)
		}
		cancelc()
		port.Close()
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("run: %v", err)
		}
		pw.Close()
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := [][]string{
		{"--fn", "123"}, {"--nope"}, {"--devices", "kkt,fax"}, {"--devices", ","}, {"--weight", "heavy"},
		{"--printer-out", "/nonexistent/dir/out.bin"}, {"extra"},
	}
	for _, args := range tests {
		if err := run(context.Background(), args, nil, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q): no error", args)
		}
	}
}
