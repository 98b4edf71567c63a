package client

import (
	"bytes"
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

// FeedSink keeps one pulled feed. Apply must store the page's changes together with page.Next in one
// transaction, so an interrupted pull resumes where it stopped and a change is never half-applied, and must
// refuse a page fetched from a cursor other than the one it holds (since), so a stale page never overwrites
// a newer state.
type FeedSink[T any] interface {
	Cursor(ctx context.Context) (string, error)
	Apply(ctx context.Context, since string, page wire.Page[T]) error
}

// Feeds are the sinks of the four feeds; a nil sink is not pulled.
type Feeds struct {
	Catalog      FeedSink[wire.Product]
	Customers    FeedSink[wire.Customer]
	Offers       FeedSink[wire.Offer]
	PickupOrders FeedSink[wire.PickupOrder]
}

// Defaults of PullConfig.
const (
	DefaultPageSize     = 10000
	DefaultPullInterval = time.Minute
)

// maxPage bounds the body of one page: a full page of products is a few megabytes.
const maxPage = 256 << 20

// PullConfig configures a Puller. Zero fields take the defaults (those of Config for the shared ones).
type PullConfig struct {
	BaseURL    string // the hub; "/v1/{feed}" is appended
	Token      string
	PageSize   int           // limit= of each request
	Interval   time.Duration // between rounds while everything is fine
	HTTPClient *http.Client
	Logger     *slog.Logger

	InitialInterval      time.Duration
	MaxInterval          time.Duration
	UnauthorizedInterval time.Duration
}

// FeedResult is what one round did to a feed.
type FeedResult struct {
	Feed     string
	Pages    int
	Items    int
	Deleted  int
	Offered  bool   // false when the hub does not serve the feed (404)
	Cursor   string // the cursor after the round
	Err      error
	Duration time.Duration
}

// Puller fetches the delta feeds (catalog, customers, offers, pickup orders) from the hub and hands every
// page to its sink. Its methods are safe for concurrent use; Run must be running for periodic pulls.
type Puller struct {
	feeds   Feeds
	cfg     PullConfig
	log     *slog.Logger
	base    string
	now     chan struct{}
	running atomic.Bool
	link    link
	missing map[string]bool // feeds the hub answered 404 for, logged once; touched by the running round only
}

// NewPuller returns a puller of the hub described by cfg into feeds.
func NewPuller(feeds Feeds, cfg PullConfig) *Puller {
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultPullInterval
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultRequestTimeout}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
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
	return &Puller{feeds: feeds, cfg: cfg, log: cfg.Logger, base: strings.TrimRight(cfg.BaseURL, "/"),
		now: make(chan struct{}, 1), missing: map[string]bool{}}
}

// Status returns a snapshot of the link state as the puller saw it.
func (p *Puller) Status() Status { return p.link.snapshot() }

// SyncNow asks for an immediate round and resets the backoff.
func (p *Puller) SyncNow() { signal(p.now) }

// Run pulls every feed now and then every Interval until ctx is done, and returns ctx.Err(). A failed
// round is retried with exponential backoff and jitter (slowly while the hub refuses the token or its
// certificate); nothing about selling waits on it.
func (p *Puller) Run(ctx context.Context) error {
	if !p.running.CompareAndSwap(false, true) {
		return ErrAlreadyRunning
	}
	defer p.running.Store(false)
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = p.cfg.InitialInterval
	b.MaxInterval = p.cfg.MaxInterval
	b.MaxElapsedTime = 0
	b.Reset()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		_, err := p.round(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := p.cfg.Interval
		switch {
		case err == nil:
			b.Reset()
		case refused(err):
			wait = max(b.NextBackOff(), p.cfg.UnauthorizedInterval)
		default:
			wait = b.NextBackOff()
		}
		if err != nil {
			p.log.Warn("pull failed", "err", err, "retry_in", wait)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		case <-p.now:
			b.Reset()
		}
		timer.Stop()
	}
}

// PullOnce pulls every feed until the hub has nothing more, for tools and tests; it must not run
// concurrently with Run.
func (p *Puller) PullOnce(ctx context.Context) ([]FeedResult, error) { return p.round(ctx) }

// round pulls the feeds in a fixed order. A link failure (network, hub, token, certificate) ends the round,
// as the next feed would fail the same way; a page its sink refuses only stops that feed.
func (p *Puller) round(ctx context.Context) ([]FeedResult, error) {
	type job struct {
		feed string
		run  func(ctx context.Context) FeedResult
	}
	var jobs []job
	add := func(feed string, run func(ctx context.Context) FeedResult) { jobs = append(jobs, job{feed, run}) }
	if s := p.feeds.Catalog; s != nil {
		add(wire.FeedCatalog, func(ctx context.Context) FeedResult { return pullFeed(ctx, p, wire.FeedCatalog, s) })
	}
	if s := p.feeds.Customers; s != nil {
		add(wire.FeedCustomers, func(ctx context.Context) FeedResult { return pullFeed(ctx, p, wire.FeedCustomers, s) })
	}
	if s := p.feeds.Offers; s != nil {
		add(wire.FeedOffers, func(ctx context.Context) FeedResult { return pullFeed(ctx, p, wire.FeedOffers, s) })
	}
	if s := p.feeds.PickupOrders; s != nil {
		add(wire.FeedPickupOrders, func(ctx context.Context) FeedResult {
			return pullFeed(ctx, p, wire.FeedPickupOrders, s)
		})
	}
	var (
		results []FeedResult
		errs    []error
	)
	for _, j := range jobs {
		res := j.run(ctx)
		results = append(results, res)
		if res.Err == nil {
			if res.Items+res.Deleted > 0 {
				p.log.Info("pulled", "feed", j.feed, "pages", res.Pages, "items", res.Items, "deleted", res.Deleted,
					"duration", res.Duration)
			}
			continue
		}
		errs = append(errs, res.Err)
		if errors.Is(res.Err, errSink) {
			p.log.Error("pulled page not applied", "feed", j.feed, "err", res.Err)
			continue
		}
		break
	}
	return results, errors.Join(errs...)
}

// errSink marks a failure of the local sink, as opposed to the link.
var errSink = errors.New("local store")

// pullFeed fetches pages of one feed until the hub says there is no more. The next page is fetched while
// the current one is applied: the cursor it is asked from is the Next of the page being applied, and it is
// applied only after that page committed.
func pullFeed[T any](ctx context.Context, p *Puller, feed string, sink FeedSink[T]) FeedResult {
	start := time.Now()
	res := FeedResult{Feed: feed, Offered: true}
	defer func() { res.Duration = time.Since(start) }()
	since, err := sink.Cursor(ctx)
	if err != nil {
		res.Err = fmt.Errorf("%s cursor: %w: %w", feed, errSink, err)
		return res
	}
	res.Cursor = since
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type fetched struct {
		since string
		page  wire.Page[T]
		err   error
	}
	pages := make(chan fetched, 1)
	defer func() {
		cancel()
		for range pages { // wait for the fetcher, so nothing it does outlives the round
		}
	}()
	go func() {
		defer close(pages)
		var buf bytes.Buffer
		for cursor := since; ; {
			page, err := getPage[T](ctx, p, feed, cursor, &buf)
			select {
			case pages <- fetched{cursor, page, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !page.More {
				return
			}
			if page.Next == "" || page.Next == cursor {
				err := p.link.failed(fmt.Errorf("%s: hub answered more after %q without moving the cursor", feed, cursor))
				select {
				case pages <- fetched{cursor, wire.Page[T]{}, err}:
				case <-ctx.Done():
				}
				return
			}
			cursor = page.Next
		}
	}()
	for f := range pages {
		if f.err != nil {
			if errors.Is(f.err, errNotOffered) {
				res.Offered = false
				if !p.missing[feed] {
					p.missing[feed] = true
					p.log.Warn("hub does not serve this feed", "feed", feed)
				}
				return res
			}
			res.Err = f.err
			return res
		}
		delete(p.missing, feed)
		if err := sink.Apply(ctx, f.since, f.page); err != nil {
			res.Err = fmt.Errorf("apply %s page after %q: %w: %w", feed, f.since, errSink, err)
			return res
		}
		res.Pages++
		res.Items += len(f.page.Items)
		res.Deleted += len(f.page.Deleted)
		if f.page.Next != "" {
			res.Cursor = f.page.Next
		}
	}
	return res
}
