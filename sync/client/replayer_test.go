package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/client"
)

func TestReplayAll(t *testing.T) {
	tests := []struct {
		name          string
		events, batch int
	}{
		{"one by one", 5, 1},
		{"uneven batches", 23, 7},
		{"default batch size", 450, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			th := newTestHub(t, nil)
			want := saleEvents(tc.events)
			q := newMemQueue(want...)
			cfg := th.fastConfig()
			cfg.BatchSize = tc.batch
			r := client.NewReplayer(q, cfg)
			stop := make(chan struct{})
			defer close(stop)
			go func() { // the UI polls Status concurrently
				for {
					select {
					case <-stop:
						return
					default:
						_ = r.Status()
					}
				}
			}()
			start(t, r)
			waitFor(t, "an empty queue", func() bool { return q.depth() == 0 })
			checkDelivered(t, th, q, want, 0)
			if st := r.Status(); !st.Online || st.LastError != "" || st.LastSuccess.IsZero() {
				t.Errorf("status %+v, want online", st)
			}
		})
	}
}

// hijackClose drops the connection without an answer.
func hijackClose(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestReplayThroughFaults(t *testing.T) {
	const faulty = 3 // the first requests that fail
	tests := []struct {
		name  string
		fault func(w http.ResponseWriter, r *http.Request, h http.Handler)
	}{
		{"500 then recovers", func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
			http.Error(w, `{"error":"database busy"}`, http.StatusInternalServerError)
		}},
		{"502 from a proxy", func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
			http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
		}},
		{"reset mid-batch", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
			_, _ = io.CopyN(io.Discard, r.Body, 100) // part of the batch arrived, then the line dropped
			hijackClose(w)
		}},
		{"ack lost after storing", func(w http.ResponseWriter, r *http.Request, h http.Handler) {
			h.ServeHTTP(httptest.NewRecorder(), r) // the hub stores the batch, the answer never arrives
			hijackClose(w)
		}},
		{"garbled answer", func(w http.ResponseWriter, r *http.Request, h http.Handler) {
			h.ServeHTTP(httptest.NewRecorder(), r)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"acked":[`))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			th := newTestHub(t, func(n int64, w http.ResponseWriter, r *http.Request, h http.Handler) bool {
				if n > faulty {
					return false
				}
				tc.fault(w, r, h)
				return true
			})
			want := saleEvents(25)
			q := newMemQueue(want...)
			r := client.NewReplayer(q, th.fastConfig())
			start(t, r)
			waitFor(t, "an empty queue", func() bool { return q.depth() == 0 })
			checkDelivered(t, th, q, want, 0)
			if th.requests.Load() <= faulty {
				t.Errorf("%d requests, want retries past the %d faults", th.requests.Load(), faulty)
			}
		})
	}
}

func TestStatusWhileHubFails(t *testing.T) {
	var healthy atomic.Bool
	th := newTestHub(t, func(_ int64, w http.ResponseWriter, _ *http.Request, _ http.Handler) bool {
		if healthy.Load() {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":"maintenance"}`))
		return true
	})
	want := saleEvents(3)
	q := newMemQueue(want...)
	cfg := th.fastConfig()
	cfg.InitialInterval, cfg.MaxInterval = time.Hour, time.Hour // only SyncNow can end the wait
	r := client.NewReplayer(q, cfg)
	start(t, r)
	waitFor(t, "the failure in Status", func() bool { return r.Status().LastError != "" })
	st := r.Status()
	if st.Online || st.Unauthorized || !strings.Contains(st.LastError, "503") || !strings.Contains(st.LastError, "maintenance") {
		t.Errorf("status %+v, want offline with the hub's reason", st)
	}
	if q.depth() != 3 {
		t.Errorf("queue depth %d while the hub fails, want 3", q.depth())
	}
	healthy.Store(true)
	r.Notify()  // during backoff a new sale does not cut the wait short …
	r.SyncNow() // … the cashier's button does
	waitFor(t, "an empty queue", func() bool { return q.depth() == 0 })
	checkDelivered(t, th, q, want, 0)
}

func TestUnauthorized(t *testing.T) {
	for _, code := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			th := newTestHub(t, func(_ int64, w http.ResponseWriter, r *http.Request, h http.Handler) bool {
				if code == http.StatusForbidden {
					http.Error(w, `{"error":"terminal disabled"}`, code)
					return true
				}
				return false
			})
			q := newMemQueue(saleEvents(2)...)
			cfg := th.fastConfig()
			cfg.Token = "revoked"
			r := client.NewReplayer(q, cfg)
			start(t, r)
			waitFor(t, "the unauthorized state", func() bool { return r.Status().Unauthorized })
			if st := r.Status(); st.Online || !strings.Contains(st.LastError, http.StatusText(code)) {
				t.Errorf("status %+v", st)
			}
			time.Sleep(50 * time.Millisecond) // would be dozens of requests if it spun
			if n := th.requests.Load(); n != 1 {
				t.Errorf("%d requests while unauthorized, want 1 (UnauthorizedInterval is an hour)", n)
			}
			r.SyncNow()
			waitFor(t, "a second attempt after SyncNow", func() bool { return th.requests.Load() == 2 })
			if q.depth() != 2 || len(q.dead) != 0 {
				t.Errorf("queue depth %d, dead %v: events must stay queued", q.depth(), q.dead)
			}
		})
	}
}

func TestRejectedGoesToDeadLetter(t *testing.T) {
	th := newTestHub(t, nil)
	evs := saleEvents(5)
	evs[2] = saleEvent(3, 100, 60, 50) // total differs from its lines
	q := newMemQueue(evs...)
	r := client.NewReplayer(q, th.fastConfig())
	start(t, r)
	waitFor(t, "an empty queue", func() bool { return q.depth() == 0 })
	q.mu.Lock()
	reason, dead := q.dead[evs[2].ID]
	q.mu.Unlock()
	if !dead || !strings.Contains(reason, "total") || len(q.dead) != 1 {
		t.Errorf("dead letter %v, want %s with a reason about the total", q.dead, evs[2].ID)
	}
	good := append(evs[:2:2], evs[3:]...)
	checkDelivered(t, th, q, good, 1)
}

func TestOther4xxKeepsEvents(t *testing.T) {
	th := newTestHub(t, func(_ int64, w http.ResponseWriter, _ *http.Request, _ http.Handler) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"error":"schema version not supported"}`))
		return true
	})
	q := newMemQueue(saleEvents(4)...)
	r := client.NewReplayer(q, th.fastConfig())
	start(t, r)
	waitFor(t, "retries with backoff", func() bool { return th.requests.Load() >= 3 })
	st := r.Status()
	if st.Online || st.Unauthorized || !strings.Contains(st.LastError, "schema version") {
		t.Errorf("status %+v", st)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) != 4 || len(q.dead) != 0 || len(q.ackCalls) != 0 {
		t.Errorf("pending %d, dead %v, acks %v: nothing may leave the queue", len(q.pending), q.dead, q.ackCalls)
	}
}

func TestNotifyWakes(t *testing.T) {
	th := newTestHub(t, nil)
	q := newMemQueue()
	cfg := th.fastConfig()
	cfg.IdlePoll = time.Hour // only Notify can make it look again
	r := client.NewReplayer(q, cfg)
	start(t, r)
	waitFor(t, "the startup probe to find the hub", func() bool { return r.Status().Online })
	want := saleEvents(3)
	for _, ev := range want {
		q.add(ev)
		r.Notify()
		waitFor(t, "the event to be sent", func() bool { return q.depth() == 0 })
	}
	checkDelivered(t, th, q, want, 0)
}

func TestRunTwice(t *testing.T) {
	th := newTestHub(t, nil)
	r := client.NewReplayer(newMemQueue(), th.fastConfig())
	start(t, r)
	waitFor(t, "the first Run", func() bool { return r.Status().Online })
	if err := r.Run(context.Background()); !errors.Is(err, client.ErrAlreadyRunning) {
		t.Errorf("second Run = %v, want ErrAlreadyRunning", err)
	}
}

func TestHTTPError(t *testing.T) {
	tests := []struct {
		code    int
		unauth  bool
		message string
	}{
		{401, true, "hub answered 401 Unauthorized: nope"},
		{403, true, "hub answered 403 Forbidden: nope"},
		{400, false, "hub answered 400 Bad Request: nope"},
		{503, false, "hub answered 503 Service Unavailable: nope"},
	}
	for _, tc := range tests {
		err := error(&client.HTTPError{StatusCode: tc.code, Reason: "nope"})
		if errors.Is(err, client.ErrUnauthorized) != tc.unauth || err.Error() != tc.message {
			t.Errorf("%d: Is(ErrUnauthorized) = %v, message %q", tc.code, !tc.unauth, err)
		}
	}
}
