package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/outbox"
	"github.com/kassa-pos/kassa/sync/wire"
)

// replayEvents is the size of the outbox each replay benchmark iteration empties: 100 batches of 200.
const replayEvents = 20_000

// benchHub is a durable hub (bbolt with fsync) behind a loopback HTTP server.
func benchHub(b *testing.B) (url, token string) {
	b.Helper()
	st, err := hub.Open(filepath.Join(b.TempDir(), "hub.db"))
	if err != nil {
		b.Fatal(err)
	}
	if token, err = st.AddTerminal("s1", "till-1"); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(st, hub.Options{}).Handler())
	b.Cleanup(func() { srv.Close(); st.Close() })
	return srv.URL, token
}

// filledStore is a terminal store whose outbox holds events, written through sync/outbox in one
// transaction (selling them one by one would take most of the benchmark's time in setup).
func filledStore(b *testing.B, events []wire.Event) *store.Store {
	b.Helper()
	path := filepath.Join(b.TempDir(), "kassa.db")
	st, err := store.Open(path, store.Options{Terminal: "till-1"})
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, ev := range events {
			if _, err := outbox.Append(tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	if st, err = store.Open(path, store.Options{Terminal: "till-1"}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// countingQueue signals done once n events were acknowledged.
type countingQueue struct {
	*store.Store
	acked atomic.Int64
	n     int64
	done  chan struct{}
}

func (q *countingQueue) AckEvents(ctx context.Context, ids []string) error {
	if err := q.Store.AckEvents(ctx, ids); err != nil {
		return err
	}
	if q.acked.Add(int64(len(ids))) == q.n {
		close(q.done)
	}
	return nil
}

// BenchmarkReplayLoopback measures the replay of a terminal's outbox (pos/store, fsync) by the Replayer
// to the real hub handler (bbolt, fsync) over loopback HTTP, in batches of 200, against a bare durable
// ingest of the same batches posted straight to a hub of its own, in the same run. DESIGN.md's budget:
// replay >= 50% of the bare ingest.
func BenchmarkReplayLoopback(b *testing.B) {
	events := make([]wire.Event, replayEvents)
	for i := range events {
		events[i] = saleEvent(i+1, 8990, 4990, 4000)
		events[i].ID = fmt.Sprintf("0190a3b4-%04x-7000-8000-%012d", i/65536, i) // UUIDv7-shaped
	}
	var bodies [][]byte
	for i := 0; i < len(events); i += client.DefaultBatchSize {
		body, err := json.Marshal(wire.Batch{Events: events[i:min(i+client.DefaultBatchSize, len(events))]})
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	var bare, replay time.Duration
	for range b.N {
		b.StopTimer()
		bareURL, bareToken := benchHub(b)
		url, token := benchHub(b)
		q := &countingQueue{Store: filledStore(b, events), n: replayEvents, done: make(chan struct{})}
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		b.StartTimer()

		start := time.Now()
		for _, body := range bodies {
			postBatch(b, hc, bareURL, bareToken, body)
		}
		bare += time.Since(start)

		r := client.NewReplayer(q, client.Config{BaseURL: url, Token: token, HTTPClient: hc, IdlePoll: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		start = time.Now()
		go func() { defer close(stopped); _ = r.Run(ctx) }()
		select {
		case <-q.done:
		case <-time.After(5 * time.Minute):
			b.Fatalf("replay stuck at %d acknowledged events: %+v", q.acked.Load(), r.Status())
		}
		replay += time.Since(start)
		cancel()
		<-stopped
	}
	n := float64(b.N * replayEvents)
	b.ReportMetric(n/bare.Seconds(), "bare-events/s")
	b.ReportMetric(n/replay.Seconds(), "replay-events/s")
	b.ReportMetric(100*bare.Seconds()/replay.Seconds(), "replay-%-of-bare")
}

func postBatch(b *testing.B, hc *http.Client, url, token string, body []byte) {
	req, err := http.NewRequest(http.MethodPost, url+"/v1/events", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var res wire.BatchResult
	err = json.NewDecoder(resp.Body).Decode(&res)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || len(res.Acked) != client.DefaultBatchSize {
		b.Fatalf("bare ingest: %d, %d acked, %v", resp.StatusCode, len(res.Acked), err)
	}
}
