package kiosk

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

type idleLog struct {
	warns  []time.Duration
	resets int
}

func newIdle(c Clock) (*Idle, *idleLog) {
	l := &idleLog{}
	return NewIdle(c, 45*time.Second, 5*time.Second, func(left time.Duration) { l.warns = append(l.warns, left) },
		func() { l.resets++ }), l
}

func TestIdleCountdown(t *testing.T) {
	c := NewManualClock(t0)
	idle, log := newIdle(c)
	c.Advance(time.Hour)
	if log.resets != 0 || len(log.warns) != 0 || idle.Running() {
		t.Fatal("a stopped Idle fired")
	}
	idle.Touch()
	c.Advance(39 * time.Second)
	if len(log.warns) != 0 {
		t.Fatalf("warned after 39 s: %v", log.warns)
	}
	c.Advance(time.Second)
	if !reflect.DeepEqual(log.warns, []time.Duration{5 * time.Second}) {
		t.Fatalf("at 40 s: %v", log.warns)
	}
	c.Advance(4 * time.Second)
	if log.resets != 0 || len(log.warns) != 5 || log.warns[4] != time.Second {
		t.Fatalf("at 44 s: %v, %d resets", log.warns, log.resets)
	}
	c.Advance(time.Second)
	if log.resets != 1 || idle.Running() {
		t.Fatalf("at 45 s: %d resets, running %v", log.resets, idle.Running())
	}
	c.Advance(time.Hour)
	if log.resets != 1 {
		t.Fatal("reset again without a touch")
	}
}

func TestIdleTouchRestarts(t *testing.T) {
	c := NewManualClock(t0)
	idle, log := newIdle(c)
	idle.Touch()
	c.Advance(42 * time.Second) // in the warning
	idle.Touch()
	c.Advance(44 * time.Second)
	if log.resets != 0 {
		t.Fatal("a touch during the warning did not restart the timeout")
	}
	c.Advance(time.Second)
	if log.resets != 1 {
		t.Fatalf("%d resets 45 s after the last touch", log.resets)
	}
	idle.Touch()
	idle.Stop()
	c.Advance(time.Hour)
	if log.resets != 1 {
		t.Fatal("Stop did not halt the countdown")
	}
}

func TestIdleSystemClock(t *testing.T) {
	done := make(chan struct{})
	idle := NewIdle(SystemClock{}, time.Millisecond, 0, func(time.Duration) {}, func() { close(done) })
	idle.Touch()
	<-done // the real clock fires the reset on its own goroutine
}

func TestPIN(t *testing.T) {
	hash, err := HashPINWithCost("2468", minPINIterations)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "pbkdf2-sha256$1000$") || ParsePINHash(hash) != nil {
		t.Fatalf("hash %q", hash)
	}
	if again, _ := HashPINWithCost("2468", minPINIterations); again == hash {
		t.Error("two hashes of a PIN are equal: no salt")
	}
	c := NewManualClock(t0)
	g, err := NewPINGuard(hash, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Check("2468"); err != nil {
		t.Fatalf("right pin: %v", err)
	}
	for i := 1; i < DefaultPINTries; i++ {
		var r *PINRefusal
		if err := g.Check("1111"); !errors.As(err, &r) || !errors.Is(err, ErrPINWrong) || r.Left != DefaultPINTries-i {
			t.Fatalf("wrong try %d: %v", i, err)
		}
	}
	if err := g.Check("12"); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("last wrong try: %v", err)
	}
	if err := g.Check("2468"); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("right pin while locked: %v", err)
	}
	c.Advance(DefaultPINLockout)
	if err := g.Check("2468"); err != nil {
		t.Fatalf("right pin after the lockout: %v", err)
	}
}

func TestPINHashRefused(t *testing.T) {
	for _, pin := range []string{"", "123", "12a4", "1234567890123"} {
		if _, err := HashPINWithCost(pin, minPINIterations); err == nil {
			t.Errorf("HashPIN(%q) accepted", pin)
		}
	}
	if _, err := HashPINWithCost("1234", 10); err == nil {
		t.Error("10 iterations accepted")
	}
	for _, h := range []string{"", "1234", "sha256$1$2$3", "pbkdf2-sha256$10$c2FsdHNhbHQ$a2V5",
		"pbkdf2-sha256$1000$!!$a2V5", "pbkdf2-sha256$1000$c2FsdHNhbHQ$a2V5"} {
		if _, err := NewPINGuard(h, NewManualClock(t0)); !errors.Is(err, ErrPINHash) {
			t.Errorf("NewPINGuard(%q) = %v", h, err)
		}
	}
}

func FuzzParsePINHash(f *testing.F) {
	f.Add("pbkdf2-sha256$1000$c2FsdHNhbHQxMjM0NTY$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U")
	f.Add("pbkdf2-sha256$$$")
	f.Fuzz(func(t *testing.T, s string) {
		if err := ParsePINHash(s); err != nil && !errors.Is(err, ErrPINHash) {
			t.Fatalf("ParsePINHash(%q) = %v", s, err)
		}
	})
}
