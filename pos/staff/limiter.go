package staff

import (
	"fmt"
	"time"
)

// Policy is how wrong PINs are limited: Tries wrong PINs in a row lock entry for Lockout, and every
// further lock of the series lasts twice the one before, up to MaxLockout. A right PIN ends the series.
type Policy struct {
	Tries      int
	Lockout    time.Duration
	MaxLockout time.Duration
}

// DefaultPolicy: 3 tries, then 30 s, 1 min, 2 min … at most an hour.
var DefaultPolicy = Policy{Tries: 3, Lockout: 30 * time.Second, MaxLockout: time.Hour}

// LimiterState is what the limiter keeps across restarts: switching the till off and on does not buy
// a guesser new tries.
type LimiterState struct {
	Wrong    int       `json:"wrong"`    // wrong PINs since the last lock or right PIN
	Lockouts int       `json:"lockouts"` // locks in the current series
	Until    time.Time `json:"until"`    // entry is locked before this time
}

// LockedError says until when PIN entry is locked. It wraps ErrLocked.
type LockedError struct {
	Until time.Time
	Left  time.Duration // from the time of the refusal
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%v for %s", ErrLocked, e.Left.Round(time.Second))
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// WrongPINError is a wrong PIN with the tries left before the next lock. It wraps ErrWrongPIN.
type WrongPINError struct{ Left int }

func (e *WrongPINError) Error() string { return fmt.Sprintf("%v, %d tries left", ErrWrongPIN, e.Left) }

func (e *WrongPINError) Unwrap() error { return ErrWrongPIN }

// locked returns a *LockedError while st locks entry at now.
func (p Policy) locked(st LimiterState, now time.Time) error {
	if now.Before(st.Until) {
		return &LockedError{Until: st.Until, Left: st.Until.Sub(now)}
	}
	return nil
}

// fail counts a wrong PIN and returns the new state and the error to show.
func (p Policy) fail(st LimiterState, now time.Time) (LimiterState, error) {
	st.Wrong++
	if st.Wrong < p.Tries {
		return st, &WrongPINError{Left: p.Tries - st.Wrong}
	}
	st.Wrong = 0
	st.Lockouts++
	d := p.Lockout
	for i := 1; i < st.Lockouts && d < p.MaxLockout; i++ {
		d *= 2
	}
	d = min(d, p.MaxLockout)
	st.Until = now.Add(d)
	return st, &LockedError{Until: st.Until, Left: d}
}
