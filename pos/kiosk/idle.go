package kiosk

import (
	"sort"
	"sync"
	"time"
)

// Clock is time as the kiosk sees it: the system's in production, a ManualClock in tests and demos that
// must not wait.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f once, d from now, on a goroutine of the clock's choosing; stop cancels it and
	// reports whether it had not run yet.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// AfterFunc is time.AfterFunc: f runs on its own goroutine.
func (SystemClock) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// ManualClock is a clock that moves only when Advance is called, and runs due callbacks on the caller's
// goroutine: a test drives the idle countdown second by second without sleeping.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers map[int]manualTimer
}

type manualTimer struct {
	at  time.Time
	seq int
	f   func()
}

// NewManualClock returns a clock standing at now.
func NewManualClock(now time.Time) *ManualClock {
	return &ManualClock{now: now, timers: map[int]manualTimer{}}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f at Now()+d.
func (c *ManualClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	id := c.seq
	c.timers[id] = manualTimer{at: c.now.Add(d), seq: id, f: f}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, pending := c.timers[id]
		delete(c.timers, id)
		return pending
	}
}

// Advance moves the clock forward by d, running every callback that falls due on the way at its own
// time, in order; callbacks may schedule more, which run too if they fall due within d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var due []manualTimer
		for _, t := range c.timers {
			if !t.at.After(end) {
				due = append(due, t)
			}
		}
		if len(due) == 0 {
			c.now = end
			c.mu.Unlock()
			return
		}
		sort.Slice(due, func(i, j int) bool {
			if !due[i].at.Equal(due[j].at) {
				return due[i].at.Before(due[j].at)
			}
			return due[i].seq < due[j].seq
		})
		next := due[0]
		delete(c.timers, next.seq)
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}

// Idle resets the kiosk after a customer walks away: Touch starts (or restarts) the countdown; when
// timeout passes without a touch, Warn is called with the time left every second of the last warning
// period (the customer may touch the screen to stay), then Reset. Stop halts it while nothing needs
// resetting (the attract screen). Its methods are safe for concurrent use; callbacks come from the
// clock's goroutine, never under Idle's lock, and a callback of a countdown that a Touch or Stop
// overtook is dropped.
type Idle struct {
	clock            Clock
	timeout, warning time.Duration
	warn             func(left time.Duration)
	reset            func()

	mu   sync.Mutex
	gen  uint64
	stop func() bool
}

// NewIdle returns a stopped Idle. A warning longer than the timeout is cut to it.
func NewIdle(c Clock, timeout, warning time.Duration, warn func(left time.Duration), reset func()) *Idle {
	warning = min(warning, timeout)
	return &Idle{clock: c, timeout: timeout, warning: warning, warn: warn, reset: reset}
}

// Timeout is how long the kiosk waits for a touch before it resets.
func (i *Idle) Timeout() time.Duration { return i.timeout }

// Touch records activity: the full timeout starts again and any warning is over.
func (i *Idle) Touch() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.schedule(i.timeout-i.warning, i.warning)
}

// Stop halts the countdown.
func (i *Idle) Stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.cancel()
}

// Running reports whether a countdown is on.
func (i *Idle) Running() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.stop != nil
}

func (i *Idle) cancel() {
	i.gen++
	if i.stop != nil {
		i.stop()
		i.stop = nil
	}
}

// schedule cancels the countdown and arms the next step in d, when left of the warning remains. Called
// with the lock held.
func (i *Idle) schedule(d, left time.Duration) {
	i.cancel()
	gen := i.gen
	i.stop = i.clock.AfterFunc(d, func() { i.fire(gen, left) })
}

func (i *Idle) fire(gen uint64, left time.Duration) {
	i.mu.Lock()
	if gen != i.gen {
		i.mu.Unlock()
		return
	}
	if left <= 0 {
		i.stop = nil
		i.gen++
		i.mu.Unlock()
		i.reset()
		return
	}
	step := min(time.Second, left)
	i.schedule(step, left-step)
	i.mu.Unlock()
	i.warn(left)
}
