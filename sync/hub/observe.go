package hub

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Observer receives what the Server does, for metrics (package sync/hub/metrics implements it with a
// Prometheus registry). Its methods must be cheap and safe for concurrent use.
type Observer interface {
	// ObserveRequest reports one HTTP request: its route pattern ("" when none matched), status, duration.
	ObserveRequest(route string, status int, d time.Duration)
	// ObserveBatch reports the events of one accepted POST /v1/events.
	ObserveBatch(BatchReport)
	// ObservePull reports one page of a feed served.
	ObservePull(feed string, items, deleted int)
}

// BatchReport describes one batch: each event's type and outcome, in batch order.
type BatchReport struct {
	Store, Terminal string
	Types           []string
	Results         []EventResult
	Gaps            []int64 // per gap, Received - Last - 1: the missing seqs (negative: the seq went back)
	Warnings        []Warning
}

type nopObserver struct{}

func (nopObserver) ObserveRequest(string, int, time.Duration) {}
func (nopObserver) ObserveBatch(BatchReport)                  {}
func (nopObserver) ObservePull(string, int, int)              {}

// reqInfo collects what a handler wants in the request's single log line.
type reqInfo struct {
	attrs []slog.Attr
	level slog.Level
}

type infoKey struct{}

// note adds attributes to the request's log line.
func note(ctx context.Context, attrs ...slog.Attr) {
	if info, ok := ctx.Value(infoKey{}).(*reqInfo); ok {
		info.attrs = append(info.attrs, attrs...)
	}
}

// quiet logs the request at debug level (health probes come every few seconds).
func quiet(ctx context.Context) {
	if info, ok := ctx.Value(infoKey{}).(*reqInfo); ok {
		info.level = slog.LevelDebug
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// instrument wraps the routes: one log line and one observation per request.
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		info := &reqInfo{level: slog.LevelInfo}
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		next.ServeHTTP(sw, r)
		d := s.now().Sub(start)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		s.obs.ObserveRequest(r.Pattern, status, d)
		level := info.level
		if status >= 500 {
			level = slog.LevelError
		} else if status >= 400 && level < slog.LevelWarn {
			level = slog.LevelWarn
		}
		attrs := append([]slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Duration("duration", d)}, info.attrs...)
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}
