package emulator

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// fakeLine is a clock that a wait moves forward, and a writer that notes when each byte went out.
type fakeLine struct {
	now   time.Time
	sent  []time.Time // per byte
	bytes []byte
	waits int
}

func (f *fakeLine) Write(b []byte) (int, error) {
	for range b {
		f.sent = append(f.sent, f.now)
	}
	f.bytes = append(f.bytes, b...)
	return len(b), nil
}

func TestPacerWrite(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		baud      int
		gap       time.Duration
		notBefore time.Duration // after t0
		lateBy    time.Duration // how late every wait wakes up
		n         int
	}{
		{"115200 on time", 115200, 0, 0, 0, 20},
		{"115200 waits a frame out first", 115200, 0, 3 * time.Millisecond, 0, 6},
		{"115200 late wake-ups batch the bytes", 115200, 0, 0, 200 * time.Microsecond, 20},
		{"9600", 9600, 0, 0, 0, 5},
		{"byte delay without baud", 0, 5 * time.Millisecond, 0, 0, 4},
		{"byte delay at 9600", 9600, 5 * time.Millisecond, time.Millisecond, 50 * time.Microsecond, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := &fakeLine{now: t0}
			p := newPacer(tt.baud)
			p.now = func() time.Time { return line.now }
			p.wait = func(_ context.Context, until time.Time, _ bool) bool {
				line.waits++
				line.now = later(line.now, until.Add(tt.lateBy))
				return true
			}
			msg := bytes.Repeat([]byte{0xA5}, tt.n)
			if err := p.write(context.Background(), line, t0.Add(tt.notBefore), tt.gap, msg); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(line.bytes, msg) {
				t.Fatalf("wrote % X", line.bytes)
			}
			bt := byteTime(tt.baud)
			for i, at := range line.sent {
				due := t0.Add(tt.notBefore + time.Duration(i+1)*bt + time.Duration(i)*tt.gap)
				if at.Before(due) {
					t.Errorf("byte %d out at +%v, before its wire time +%v", i, at.Sub(t0), due.Sub(t0))
				}
				slack := tt.lateBy // the last byte is waited for precisely, the others go in bursts
				if i < tt.n-1 {
					slack += 2 * coarse
				}
				if at.After(due.Add(slack)) {
					t.Errorf("byte %d out at +%v, later than +%v", i, at.Sub(t0), due.Add(slack).Sub(t0))
				}
			}
			if tt.lateBy > bt && tt.gap == 0 && line.waits >= tt.n {
				t.Errorf("%d waits for %d bytes: late bytes were not sent together", line.waits, tt.n)
			}
		})
	}
}

func TestPacerArrive(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p := newPacer(9600)
	bt := byteTime(9600)
	if bt != 1041666*time.Nanosecond {
		t.Fatalf("byte time at 9600 = %v", bt)
	}
	// Three bytes read together arrive a byte time apart; a byte read later starts from its read time.
	got := []time.Time{p.arrive(t0), p.arrive(t0), p.arrive(t0), p.arrive(t0.Add(10 * bt))}
	want := []time.Duration{bt, 2 * bt, 3 * bt, 11 * bt}
	for i := range want {
		if got[i] != t0.Add(want[i]) {
			t.Errorf("byte %d arrives at +%v, want +%v", i, got[i].Sub(t0), want[i])
		}
	}
	unpaced := newPacer(0)
	if at := unpaced.arrive(t0); at != t0 {
		t.Errorf("unpaced arrival %v", at)
	}
}

func TestWaitUntil(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	for _, precise := range []bool{true, false} {
		if !waitUntil(ctx, time.Now().Add(3*coarse), precise) {
			t.Errorf("wait (precise %v) gave up with the context alive", precise)
		}
	}
	cancel()
	for _, precise := range []bool{true, false} {
		if waitUntil(ctx, time.Now().Add(time.Hour), precise) {
			t.Errorf("wait (precise %v) went on after the context ended", precise)
		}
	}
}
