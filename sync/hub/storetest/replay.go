package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/wire"
)

// FleetTerminal is one simulated terminal: its token and its outbox.
type FleetTerminal struct {
	Name   string
	Token  string
	Events []wire.Event // seq 1, 2, 3 … in order
}

// SaleOutbox returns n sale events of a terminal with ids unique to it (prefix) and seq 1..n.
func SaleOutbox(terminal, prefix string, n int) []wire.Event {
	out := make([]wire.Event, n)
	for i := range out {
		id := fmt.Sprintf("%s-%07d", prefix, i+1)
		out[i] = wire.Event{ID: id, Seq: uint64(i + 1), Type: wire.TypeSale, Terminal: terminal,
			At: t0.Add(time.Duration(i) * time.Second), Payload: SaleJSON(id, terminal, 15000)}
	}
	return out
}

// ReplayStats is what a fleet replay measured.
type ReplayStats struct {
	Events    int             // events acknowledged
	Requests  int             // POST /v1/events answered
	Elapsed   time.Duration   // from the first request to the last acknowledgement
	Latencies []time.Duration // of every answered request, sorted
}

// EventsPerSecond is the fleet's throughput.
func (s ReplayStats) EventsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Events) / s.Elapsed.Seconds()
}

// Quantile returns the q-quantile (nearest rank) of the request latencies.
func (s ReplayStats) Quantile(q float64) time.Duration {
	if len(s.Latencies) == 0 {
		return 0
	}
	i := int(q*float64(len(s.Latencies))+0.999999) - 1
	return s.Latencies[min(max(i, 0), len(s.Latencies)-1)]
}

// Replay runs one sync client (client.Replayer) per terminal until every outbox is acknowledged. Each
// terminal sends its batches to the hub instances of urls in turn, as behind a round-robin balancer, so
// consecutive batches of one terminal reach different instances. A rejected event is an error.
func Replay(ctx context.Context, urls []string, fleet []FleetTerminal, batch int) (ReplayStats, error) {
	if len(urls) == 0 {
		return ReplayStats{}, errors.New("replay: no hub")
	}
	base := &http.Transport{MaxIdleConns: 4 * len(fleet), MaxIdleConnsPerHost: 2 * len(fleet), IdleConnTimeout: time.Minute}
	defer base.CloseIdleConnections()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		requests  atomic.Int64
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	errs := make(chan error, len(fleet))
	var wg sync.WaitGroup
	for i, term := range fleet {
		q := newMemQueue(term.Events)
		rt := &roundRobin{base: base, urls: urls, next: i, record: func(d time.Duration) {
			requests.Add(1)
			mu.Lock()
			latencies = append(latencies, d)
			mu.Unlock()
		}}
		r := client.NewReplayer(q, client.Config{BaseURL: "http://hub.invalid", Token: term.Token, BatchSize: batch,
			HTTPClient: &http.Client{Transport: rt, Timeout: time.Minute}, InitialInterval: 50 * time.Millisecond,
			MaxInterval: time.Second})
		rctx, stop := context.WithCancel(ctx)
		wg.Add(1)
		go func() {
			defer wg.Done()
			go func() {
				select {
				case <-q.done:
				case <-rctx.Done():
				}
				stop()
			}()
			r.Run(rctx)
			if ctx.Err() != nil {
				errs <- fmt.Errorf("replay of %s: %w (%d events left)", term.Name, ctx.Err(), q.pending())
				return
			}
			if rej := q.rejectedList(); len(rej) > 0 {
				errs <- fmt.Errorf("replay of %s: %d events rejected, first: %s", term.Name, len(rej), rej[0])
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	total := 0
	for _, term := range fleet {
		total += len(term.Events)
	}
	slices.Sort(latencies)
	return ReplayStats{Events: total, Requests: int(requests.Load()), Elapsed: elapsed, Latencies: latencies}, errors.Join(all...)
}

// roundRobin sends each request to the next hub instance and records how long the answer took.
type roundRobin struct {
	base   http.RoundTripper
	urls   []string
	mu     sync.Mutex
	next   int
	record func(time.Duration)
}

func (rr *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	rr.mu.Lock()
	target := rr.urls[rr.next%len(rr.urls)]
	rr.next++
	rr.mu.Unlock()
	out := req.Clone(req.Context())
	u, err := out.URL.Parse(target + req.URL.Path)
	if err != nil {
		return nil, err
	}
	u.RawQuery = req.URL.RawQuery
	out.URL, out.Host = u, ""
	began := time.Now()
	res, err := rr.base.RoundTrip(out)
	if err == nil {
		rr.record(time.Since(began))
	}
	return res, err
}

// memQueue is an outbox in memory: the events in seq order and which of them left.
type memQueue struct {
	mu       sync.Mutex
	events   []wire.Event
	gone     map[string]bool
	rejected []string
	left     int
	done     chan struct{}
}

func newMemQueue(events []wire.Event) *memQueue {
	q := &memQueue{events: events, gone: map[string]bool{}, left: len(events), done: make(chan struct{})}
	if q.left == 0 {
		close(q.done)
	}
	return q
}

func (q *memQueue) PeekEventsAfter(_ context.Context, after uint64, max int) ([]wire.Event, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := sort.Search(len(q.events), func(i int) bool { return q.events[i].Seq > after })
	var out []wire.Event
	for ; i < len(q.events) && len(out) < max; i++ {
		if !q.gone[q.events[i].ID] {
			out = append(out, q.events[i])
		}
	}
	return out, nil
}

func (q *memQueue) AckEvents(_ context.Context, ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range ids {
		q.leave(id)
	}
	return nil
}

func (q *memQueue) RejectEvent(_ context.Context, id, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.gone[id] {
		q.rejected = append(q.rejected, id+": "+reason)
	}
	q.leave(id)
	return nil
}

func (q *memQueue) leave(id string) {
	if q.gone[id] {
		return
	}
	q.gone[id] = true
	if q.left--; q.left == 0 {
		close(q.done)
	}
}

func (q *memQueue) pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.left
}

func (q *memQueue) rejectedList() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.rejected)
}
