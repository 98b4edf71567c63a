package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Queue is the terminal's outbox as the replayer needs it.
type Queue interface {
	PeekEventsAfter(ctx context.Context, after uint64, max int) ([]wire.Event, error) // seq > after, oldest first
	AckEvents(ctx context.Context, ids []string) error                                // idempotent
	RejectEvent(ctx context.Context, id, reason string) error                         // moves it to a dead-letter bucket
}

// Defaults of Config.
const (
	DefaultBatchSize            = 200
	DefaultIdlePoll             = 2 * time.Second
	DefaultInitialInterval      = 500 * time.Millisecond
	DefaultMaxInterval          = time.Minute
	DefaultUnauthorizedInterval = 5 * time.Minute
	DefaultRequestTimeout       = 30 * time.Second
)

// Config configures a Replayer. Zero fields take the defaults above.
type Config struct {
	BaseURL    string // the hub, e.g. "https://hub.example.ru"; "/v1/events" is appended
	Token      string // the terminal's bearer token
	BatchSize  int    // events per POST
	HTTPClient *http.Client
	Logger     *slog.Logger
	IdlePoll   time.Duration // how often the queue is looked at without Notify

	InitialInterval      time.Duration // first retry delay after a failure (jittered, doubling)
	MaxInterval          time.Duration // cap of the retry delay
	UnauthorizedInterval time.Duration // retry delay while the hub refuses the token or its certificate is not trusted
}

// Replayer sends the outbox to the hub in order, in batches, until each event is acknowledged or rejected.
// Its methods are safe for concurrent use; Run must be running for anything to be sent.
type Replayer struct {
	q       Queue
	cfg     Config
	log     *slog.Logger
	url     string
	wake    chan struct{}
	now     chan struct{}
	running atomic.Bool
	link    link
}

// NewReplayer returns a replayer of q to the hub described by cfg.
func NewReplayer(q Queue, cfg Config) *Replayer {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultRequestTimeout}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.IdlePoll <= 0 {
		cfg.IdlePoll = DefaultIdlePoll
	}
	if cfg.InitialInterval <= 0 {
		cfg.InitialInterval = DefaultInitialInterval
	}
	if cfg.MaxInterval <= 0 {
		cfg.MaxInterval = DefaultMaxInterval
	}
	if cfg.UnauthorizedInterval <= 0 {
		cfg.UnauthorizedInterval = DefaultUnauthorizedInterval
	}
	return &Replayer{
		q:    q,
		cfg:  cfg,
		log:  cfg.Logger,
		url:  strings.TrimRight(cfg.BaseURL, "/") + "/v1/events",
		wake: make(chan struct{}, 1),
		now:  make(chan struct{}, 1),
	}
}

// Notify tells the replayer that an event was appended. It never blocks. While the hub is failing the
// replayer keeps to its backoff rather than retrying on every sale.
func (r *Replayer) Notify() { signal(r.wake) }

// SyncNow asks for an immediate attempt and resets the backoff (the cashier's "sync now" button).
func (r *Replayer) SyncNow() { signal(r.now) }

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// Status returns a snapshot of the link state.
func (r *Replayer) Status() Status { return r.link.snapshot() }

// ErrAlreadyRunning is returned by Run when another Run of the same Replayer is active.
var ErrAlreadyRunning = errors.New("replayer already running")

// Run replays until ctx is done and then returns ctx.Err(). Every failure (network, hub, local queue) is
// logged, shown in Status and retried: network errors and 5xx with exponential backoff and jitter, a refused
// token or an untrusted certificate slowly, and nothing is ever dropped unless the hub rejects it, which sends it to the dead letter.
func (r *Replayer) Run(ctx context.Context) error {
	if !r.running.CompareAndSwap(false, true) {
		return ErrAlreadyRunning
	}
	defer r.running.Store(false)

	b := backoff.NewExponentialBackOff()
	b.InitialInterval = r.cfg.InitialInterval
	b.MaxInterval = r.cfg.MaxInterval
	b.MaxElapsedTime = 0 // retry forever: only ctx stops the replayer
	b.Reset()

	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		moved, err := r.drain(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var wait time.Duration
		var wake chan struct{} // nil while failing: Notify waits for the backoff
		switch {
		case err == nil:
			b.Reset()
			wait, wake = r.cfg.IdlePoll, r.wake
		case refused(err):
			wait = max(b.NextBackOff(), r.cfg.UnauthorizedInterval)
		default:
			if moved { // events got through before this failure: the link works, so start the backoff over
				b.Reset()
			}
			wait = b.NextBackOff()
		}
		if err != nil {
			r.log.Warn("sync failed", "err", err, "retry_in", wait)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		case <-wake:
		case <-r.now:
			b.Reset()
		}
		timer.Stop() // since Go 1.23 Stop and Reset leave no stale tick behind
	}
}

// drain sends batches while the queue has events and reports whether any event left the queue. It
// pipelines: while the acknowledgements of one batch are written to the outbox (an fsync), the next
// batch, peeked past it, is already on its way to the hub. An event leaves the queue only once its ack is
// written, so a crash in between sends it again, and the hub acknowledges it again. With an empty queue it
// probes the hub only when the link is not known to be good, so that Status recovers without a sale.
func (r *Replayer) drain(ctx context.Context) (moved bool, err error) {
	var (
		after   uint64       // seq of the last event sent
		pending chan applied // the previous batch's answer being written; nil when none
	)
	wait := func() error {
		if pending == nil {
			return nil
		}
		a := <-pending
		pending = nil
		switch {
		case a.err != nil:
			return a.err
		case !a.progress:
			// A hub that answers 200 without naming any id we sent would make us spin.
			return r.link.failed(fmt.Errorf("hub answered none of the %d events sent", a.sent))
		}
		moved = true
		return nil
	}
	for {
		select { // this look at the queue answers any pending Notify
		case <-r.wake:
		default:
		}
		events, err := r.q.PeekEventsAfter(ctx, after, r.cfg.BatchSize)
		if err != nil {
			return moved, errors.Join(fmt.Errorf("peek outbox: %w", err), wait())
		}
		if len(events) == 0 {
			if pending != nil {
				if err := wait(); err != nil {
					return moved, err
				}
				continue
			}
			if r.link.online() {
				return moved, nil
			}
			_, err := r.send(ctx, nil)
			return moved, err
		}
		res, err := r.send(ctx, events)
		if werr := wait(); werr != nil {
			return moved, werr
		}
		if err != nil {
			return moved, err
		}
		after = events[len(events)-1].Seq
		pending = make(chan applied, 1)
		go func() {
			progress, err := r.apply(ctx, events, res)
			pending <- applied{progress: progress, err: err, sent: len(events)}
		}()
	}
}

// applied is the outcome of writing one batch's answer to the outbox.
type applied struct {
	progress bool
	err      error
	sent     int
}

// apply acknowledges and dead-letters what the hub said about events. It reports whether any event left
// the queue.
func (r *Replayer) apply(ctx context.Context, events []wire.Event, res wire.BatchResult) (bool, error) {
	sent := make(map[string]bool, len(events))
	for _, ev := range events {
		sent[ev.ID] = true
	}
	acked := make([]string, 0, len(res.Acked))
	done := make(map[string]bool, len(events))
	for _, id := range res.Acked {
		if sent[id] && !done[id] {
			acked = append(acked, id)
			done[id] = true
		}
	}
	if len(acked) > 0 {
		if err := r.q.AckEvents(ctx, acked); err != nil {
			return false, fmt.Errorf("ack %d events: %w", len(acked), err)
		}
	}
	for _, rj := range res.Rejected {
		if !sent[rj.ID] || done[rj.ID] {
			continue
		}
		r.log.Error("event rejected by the hub", "id", rj.ID, "reason", rj.Reason)
		if err := r.q.RejectEvent(ctx, rj.ID, rj.Reason); err != nil {
			return false, fmt.Errorf("dead-letter event %s: %w", rj.ID, err)
		}
		done[rj.ID] = true
	}
	return len(done) > 0, nil
}
