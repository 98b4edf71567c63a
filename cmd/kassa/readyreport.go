package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// The hidden flag --ready-report FILE measures start-up (DESIGN.md: ready to scan within 1 s with a
// 1,000,000-product store, and the catalog adding at most 50 MB of memory): once the till screen is built
// and its first frame drawn, the process writes a readyReport to FILE as JSON and quits. The flag is
// taken out of the arguments before they are parsed, so it is not in the usage text.
const readyFlag = "--ready-report"

// readyReportFile is FILE of --ready-report; "" runs the till normally.
var readyReportFile string

// readyReport is what the ready-report file holds. ReadyUnixNano lets the starting process compute the
// time from its exec of kassa; SinceMainMs is the part after the Go runtime started main.
type readyReport struct {
	ReadyUnixNano int64   `json:"ready_unix_nano"`
	FramePainted  bool    `json:"frame_painted"` // false: no frame within 30 s
	SinceMainMs   float64 `json:"since_main_ms"`
	VmRSSKB       int64   `json:"vm_rss_kb"`
	VmHWMKB       int64   `json:"vm_hwm_kb"`
	RssAnonKB     int64   `json:"rss_anon_kb"`
	RssFileKB     int64   `json:"rss_file_kb"`
}

var mainStarted = time.Now()

// takeReadyReport removes --ready-report FILE (or --ready-report=FILE) from args and returns the rest.
func takeReadyReport(args []string) ([]string, string) {
	out := make([]string, 0, len(args))
	file := ""
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == readyFlag || a == "-"+readyFlag[2:]:
			if i+1 < len(args) {
				file = args[i+1]
				i++
			}
		case strings.HasPrefix(a, readyFlag+"="):
			file = strings.TrimPrefix(a, readyFlag+"=")
		default:
			out = append(out, a)
		}
	}
	return out, file
}

// reportWhenReady arranges, with --ready-report, for the report to be written once w has drawn its first
// frame, then quits the app. Fyne draws frames on its loop's ticks and tells nobody, but its GL painter
// asks a raster for its pixels while drawing it: a transparent raster laid over the till is drawn last in
// the frame, and the loop finishes that frame before it runs the next queued function.
func reportWhenReady(a fyne.App, w fyne.Window, onErr func(error)) {
	if readyReportFile == "" {
		return
	}
	var once sync.Once
	drawn := make(chan struct{})
	probe := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() { close(drawn) })
		return image.NewNRGBA(image.Rect(0, 0, 1, 1)) // transparent
	})
	w.SetContent(container.NewStack(w.Content(), probe))
	go func() {
		painted := false
		select {
		case <-drawn:
			painted = true
			fyne.DoAndWait(func() {})
		case <-time.After(30 * time.Second):
		}
		if err := writeReadyReport(readyReportFile, time.Now(), painted); err != nil {
			onErr(err)
		}
		fyne.Do(a.Quit)
	}()
}

func writeReadyReport(path string, ready time.Time, painted bool) error {
	r := readyReport{ReadyUnixNano: ready.UnixNano(), SinceMainMs: float64(ready.Sub(mainStarted).Microseconds()) / 1000,
		FramePainted: painted}
	status, err := os.Open("/proc/self/status")
	if err != nil {
		return fmt.Errorf("ready report: %w", err)
	}
	defer status.Close()
	fields := map[string]*int64{"VmRSS:": &r.VmRSSKB, "VmHWM:": &r.VmHWMKB, "RssAnon:": &r.RssAnonKB,
		"RssFile:": &r.RssFileKB}
	sc := bufio.NewScanner(status)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && fields[f[0]] != nil {
			*fields[f[0]], _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("ready report: %w", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("ready report: %w", err)
	}
	return nil
}
