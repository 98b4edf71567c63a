//go:build !unix

package emulator

import "time"

// sleepThread falls back to a Go timer where there is no nanosleep: a precise wait may then end up to a
// timer's granularity late.
func sleepThread(d time.Duration) { time.Sleep(d) }
