package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// TestRunWithFaults arms faults from --fault and --faults, paces the line with --baud, and injects more
// on the running emulator through stdin.
func TestRunWithFaults(t *testing.T) {
	script := filepath.Join(t.TempDir(), "faults.txt")
	if err := os.WriteFile(script, []byte("# marking is down today\nreject-mark code=0xA2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := newLogBuffer()
	stdinR, stdinW := io.Pipe()
	defer stdinW.Close()
	stdoutR, stdoutW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--devices", "kkt", "--baud", "115200", "--fault", "fn-warnings flags=0x05",
			"--faults", script, "--fault", "nak cmd=FF61"}, stdinR, stdoutW, logs)
	}()
	_, paths := readPaths(t, bufio.NewReader(stdoutR), 1)
	port, err := serialport.Open(serialport.Config{Path: paths["kkt"]})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
	defer ccancel()
	d := kkt.NewDriver(port, kkt.Config{})
	fn, err := d.FNStatus(cctx)
	if err != nil || fn.Warnings != 0x05 {
		t.Fatalf("FN status %+v, %v; want warnings 0x05", fn, err)
	}
	if err := d.OpenShift(cctx); err != nil {
		t.Fatal(err)
	}
	_, err = d.CheckMark(cctx, kkt.MarkCheck{Code: "0104601234567893215UWtYHQ3hiHnm\x1d93dGVz"})
	var de *kkt.DeviceError
	if !errors.As(err, &de) || de.Code != 0xA2 {
		t.Errorf("CheckMark (its first frame NAKed) = %v, want device error 0xA2", err)
	}

	for _, line := range []string{"!paper off", "!nonsense", "!paper-out line=0 cmd=FF46"} {
		if _, err := io.WriteString(stdinW, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	if err := logs.waitFor(cctx, `paper-out takes no`); err != nil {
		t.Fatalf("the console's commands were not all handled: %v\n%s", err, logs)
	}
	st, err := d.ShortStatus(cctx)
	if err != nil || st.Submode != emulator.SubmodePassiveNoPaper {
		t.Errorf("after !paper off: %+v, %v", st, err)
	}
	for _, want := range []string{`kkt: command done" command="paper off"`, `command=nonsense err="unknown fault`,
		`command="paper-out line=0 cmd=FF46" err="paper-out takes no`, `kkt fault armed" fault="nak cmd=FF61"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log has no %s:\n%s", want, logs)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestRunRejectsBadFaultFlags(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("paper-out line=3\npaper-jam\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"--fault", "paper-jam"}, "unknown fault"},
		{[]string{"--fault", "nak cmd=FF46 nth=x"}, "nth"},
		{[]string{"--faults", filepath.Join(dir, "missing.txt")}, "no such file"},
		{[]string{"--faults", bad}, "line 2"},
		{[]string{"--baud", "-5"}, "negative"},
		{[]string{"--baud", "fast"}, "invalid value"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err := run(context.Background(), tt.args, nil, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("run = %v, want an error saying %q", err, tt.says)
			}
		})
	}
}
