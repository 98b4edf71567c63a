package hub

import "time"

// SetLockTimeout shortens Open's wait for the file lock in tests and returns a func restoring it.
func SetLockTimeout(d time.Duration) (restore func()) {
	old := lockTimeout
	lockTimeout = d
	return func() { lockTimeout = old }
}
