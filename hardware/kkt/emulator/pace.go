package emulator

import (
	"context"
	"io"
	"runtime"
	"time"
)

// bitsPerByte is a byte on an 8N1 line: start bit, 8 data bits, stop bit.
const bitsPerByte = 10

// coarse is the shortest sleep between two bursts of a frame's bytes (Go's timers wake up about a
// millisecond late, and a byte at 115200 baud takes 87 µs); a wait that ends closer than that to the
// frame's last byte becomes the precise wait for it.
const coarse = 2 * time.Millisecond

// byteTime is the wire time of one byte at baud; 0 (no pacing) for baud 0.
func byteTime(baud int) time.Duration {
	if baud <= 0 {
		return 0
	}
	return time.Duration(bitsPerByte * int64(time.Second) / int64(baud))
}

// pacer gives the device's side of the line the timing of a real UART: a byte read from the pty is taken
// as arriving when its bits would have been through the line, and a byte written goes out only when the
// line would have carried it. All methods but wait run on the Serve goroutine.
type pacer struct {
	byteTime time.Duration // per byte; 0 when not paced
	inFree   time.Time     // when the last byte received so far has fully arrived
	now      func() time.Time
	// wait returns at t or later (precise: at most a few µs later), false when ctx ended first.
	wait func(ctx context.Context, t time.Time, precise bool) bool
}

func newPacer(baud int) pacer {
	return pacer{byteTime: byteTime(baud), now: time.Now, wait: waitUntil}
}

// arrive returns when a byte read at `at` has fully arrived: the bytes the host wrote at once come one
// byte time after another.
func (p *pacer) arrive(at time.Time) time.Time {
	if p.byteTime == 0 {
		return at
	}
	p.inFree = later(p.inFree, at).Add(p.byteTime)
	return p.inFree
}

// write sends b no sooner than notBefore, byte i once it would have been through the line (with gap more
// between two bytes, the byte-delay fault). It returns when the last byte is written. The bytes before the
// last go out in bursts at least coarse apart, never early and at most 2×coarse late; the last one is
// waited for precisely, as it is the one a host waits for, and so only its last moments spin.
func (p *pacer) write(ctx context.Context, w io.Writer, notBefore time.Time, gap time.Duration, b []byte) error {
	if p.byteTime == 0 && gap == 0 {
		_, err := w.Write(b)
		return err
	}
	start := later(notBefore, p.now())
	due := func(i int) time.Time {
		return start.Add(time.Duration(i+1)*p.byteTime + time.Duration(i)*gap)
	}
	for i := 0; i < len(b); {
		now := p.now()
		j := i
		for j < len(b) && !due(j).After(now) {
			j++
		}
		if j == i {
			wake, last := due(i), due(len(b)-1)
			if wake.Sub(now) < coarse {
				wake = now.Add(coarse)
			}
			// A sleep that could overshoot the last byte's time becomes the precise wait for it.
			precise := last.Sub(wake) < coarse
			if precise {
				wake = last
			}
			if !p.wait(ctx, wake, precise) {
				return ctx.Err()
			}
			continue
		}
		// Bytes whose time has come go out together: a late wake-up does not delay the rest.
		if _, err := w.Write(b[i:j]); err != nil {
			return err
		}
		i = j
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// A precise wait has three stages. Go's timers wake up about a millisecond late, and up to a few under load
// (measured on the 2-core build machine: p50 +0.7 ms, max +3.3 ms), so a timer takes it only to timerMargin
// before t; a thread sleep (nanosleep, hrtimer: about +0.1 ms, the kernel's timer slack) takes it to
// spinTail before t; only that last stretch polls the clock. Polling the whole last 2 ms, as this did
// before, kept half a core busy for the length of a paced run on a machine the host shares.
const (
	timerMargin = 4 * time.Millisecond
	spinTail    = 150 * time.Microsecond
)

// waitUntil sleeps until t; a precise wait returns a few µs after t unless the thread is kept off the CPU.
func waitUntil(ctx context.Context, t time.Time, precise bool) bool {
	for {
		d := time.Until(t)
		if d <= 0 {
			return ctx.Err() == nil
		}
		if ctx.Err() != nil {
			return false
		}
		switch {
		case !precise || d > timerMargin:
			if precise {
				d -= timerMargin
			}
			timer := time.NewTimer(d)
			select {
			case <-ctx.Done():
				timer.Stop()
				return false
			case <-timer.C:
			}
		case d > spinTail:
			// At most timerMargin uninterruptible: a cancelled context waits that long at worst.
			sleepThread(d - spinTail)
		default:
			runtime.Gosched()
		}
	}
}
