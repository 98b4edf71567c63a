package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/pos/store/synthcatalog"
)

// readyChildEnv makes the test binary run Main with its arguments instead of the tests: the benchmark
// starts real kassa processes without building the Fyne binary separately.
const readyChildEnv = "KASSA_READY_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(readyChildEnv) == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// BenchmarkStartReady measures DESIGN.md's start-up budget: from the exec of `kassa --demo` to the till
// screen built and its first frame rendered (store open, recovery, screen), with a 1,000,000-product store
// (<= 1 s), and the memory the catalog adds: VmRSS of that process minus VmRSS of the same start on a store
// with only the demo catalog (<= 50 MB). Each op starts both processes, one after the other, under a
// private Xvfb; the page cache holds the store file (a till restarted, not a cold boot). The 1M store is
// built once by synthcatalog (cached under the temp directory) and copied to the data folder.
func BenchmarkStartReady(b *testing.B) {
	display := benchDisplay(b)
	path, err := synthcatalog.Cached(context.Background(), 1_000_000)
	if err != nil {
		b.Fatal(err)
	}
	emptyDir, fullDir := b.TempDir(), b.TempDir()
	if err := copyFile(path, filepath.Join(fullDir, store.DBName)); err != nil {
		b.Fatal(err)
	}
	home := b.TempDir()
	env := append(os.Environ(), readyChildEnv+"=1", "DISPLAY="+display, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "LANG=ru_RU.UTF-8")
	for _, dir := range []string{emptyDir, fullDir} { // first start: demo catalog, keys, token files
		if _, _, err := startReady(env, dir); err != nil {
			b.Fatal(err)
		}
	}
	var fullMs, emptyMs, fullRSS, emptyRSS, diffs []float64
	b.ResetTimer()
	for range b.N {
		e, eMs, err := startReady(env, emptyDir)
		if err != nil {
			b.Fatal(err)
		}
		f, fMs, err := startReady(env, fullDir)
		if err != nil {
			b.Fatal(err)
		}
		emptyMs, fullMs = append(emptyMs, eMs), append(fullMs, fMs)
		emptyRSS, fullRSS = append(emptyRSS, float64(e.VmRSSKB)/1024), append(fullRSS, float64(f.VmRSSKB)/1024)
		diffs = append(diffs, float64(f.VmRSSKB-e.VmRSSKB)/1024)
	}
	b.StopTimer()
	b.ReportMetric(median(fullMs), "ready-ms")
	b.ReportMetric(slices.Max(fullMs), "ready-max-ms")
	b.ReportMetric(median(emptyMs), "empty-ready-ms")
	b.ReportMetric(median(fullRSS), "rss-MB")
	b.ReportMetric(median(emptyRSS), "empty-rss-MB")
	b.ReportMetric(median(diffs), "catalog-rss-MB")
	b.ReportMetric(slices.Max(diffs), "catalog-rss-max-MB")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// startReady runs kassa --demo on dir with --ready-report and returns its report and the milliseconds
// from the exec to ready.
func startReady(env []string, dir string) (readyReport, float64, error) {
	var r readyReport
	file := filepath.Join(dir, "ready.json")
	os.Remove(file)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "--demo", "--data", dir, readyFlag, file)
	cmd.Env = env
	out, err := os.Create(filepath.Join(dir, "ready.log"))
	if err != nil {
		return r, 0, err
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return r, 0, fmt.Errorf("kassa on %s: %w (see %s)", dir, err, out.Name())
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return r, 0, fmt.Errorf("kassa on %s wrote no report: %w (see %s)", dir, err, out.Name())
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, 0, err
	}
	if !r.FramePainted {
		return r, 0, fmt.Errorf("kassa on %s drew no frame within 30 s (see %s)", dir, out.Name())
	}
	return r, float64(r.ReadyUnixNano-start.UnixNano()) / 1e6, nil
}

// benchDisplay starts a private Xvfb (as e2e does, with -displayfd) or skips the benchmark without one.
func benchDisplay(b *testing.B) string {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		b.Skip("BenchmarkStartReady needs Xvfb (apt-get install xvfb) to start the till's window")
	}
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		b.Skipf("BenchmarkStartReady: Xvfb does not start: %v", err)
	}
	w.Close()
	b.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	var n int
	if _, err := fmt.Fscan(bufio.NewReader(r), &n); err != nil {
		b.Fatalf("Xvfb did not tell its display: %v", err)
	}
	return fmt.Sprintf(":%d", n)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
