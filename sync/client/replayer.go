package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/kassa-pos/kassa/sync/wire"
)

// Queue is the terminal's outbox as the replayer needs it.
type Queue interface {
	PeekEvents(ctx context.Context, max int) ([]wire.Event, error) // oldest first
	AckEvents(ctx context.Context, ids []string) error             // idempotent
	RejectEvent(ctx context.Context, id, reason string) error      // moves it to a dead-letter bucket
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
	UnauthorizedInterval time.Duration // retry delay while the hub refuses the token
}

// Status is what the UI shows about the link to the hub.
type Status struct {
	Online       bool      // the last exchange with the hub succeeded
	Unauthorized bool      // the hub refuses the token (401/403): an administrator must act
	LastSuccess  time.Time // end of the last successful exchange
	LastAttempt  time.Time // start of the last exchange
	LastError    string    // why the last exchange failed; empty after a success
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

	mu     sync.Mutex
	status Status
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
func (r *Replayer) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// ErrAlreadyRunning is returned by Run when another Run of the same Replayer is active.
var ErrAlreadyRunning = errors.New("replayer already running")

// Run replays until ctx is done and then returns ctx.Err(). Every failure (network, hub, local queue) is
// logged, shown in Status and retried: network errors and 5xx with exponential backoff and jitter, a refused
// token slowly, and nothing is ever dropped unless the hub rejects it, which sends it to the dead letter.
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
		err := r.drain(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var wait time.Duration
		var wake chan struct{} // nil while failing: Notify waits for the backoff
		switch {
		case err == nil:
			b.Reset()
			wait, wake = r.cfg.IdlePoll, r.wake
		case errors.Is(err, ErrUnauthorized):
			wait = r.cfg.UnauthorizedInterval
		default:
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

// drain sends batches while the queue has events. With an empty queue it probes the hub only when the link
// is not known to be good, so that Status recovers without waiting for a sale.
func (r *Replayer) drain(ctx context.Context) error {
	for {
		select { // this look at the queue answers any pending Notify
		case <-r.wake:
		default:
		}
		events, err := r.q.PeekEvents(ctx, r.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("peek outbox: %w", err)
		}
		if len(events) == 0 {
			if r.Status().Online {
				return nil
			}
			_, err := r.send(ctx, nil)
			return err
		}
		res, err := r.send(ctx, events)
		if err != nil {
			return err
		}
		progress, err := r.apply(ctx, events, res)
		if err != nil {
			return err
		}
		if !progress {
			// A hub that answers 200 without naming any id we sent would make us spin.
			return r.fail(fmt.Errorf("hub answered none of the %d events sent", len(events)))
		}
	}
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
