//go:build unix

package emulator

import (
	"syscall"
	"time"
)

// sleepThread blocks the calling thread for d with the kernel's high-resolution timer; the Go scheduler
// hands the processor to other goroutines meanwhile.
func sleepThread(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	_ = syscall.Nanosleep(&ts, nil) // EINTR: the caller's loop sleeps again for what is left
}
