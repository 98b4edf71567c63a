package terminal

import (
	"slices"
	"strings"
	"sync"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// Tape is the demo's paper beside the cart: the emulated register's tape, with the slips of the emulated
// receipt printer joining it as they print. Its methods are safe for concurrent use.
type Tape struct {
	mu        sync.Mutex
	lines     []string
	listeners []func(string)
}

// newTape follows the register's tape from what it holds now.
func newTape(reg *emulator.Device) *Tape {
	t := &Tape{}
	if s := strings.TrimSuffix(reg.Tape(), "\n"); s != "" {
		t.lines = strings.Split(s, "\n")
	}
	reg.OnTape(t.add)
	return t
}

// Tape is every line so far, each ending in a newline.
func (t *Tape) Tape() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return ""
	}
	return strings.Join(t.lines, "\n") + "\n"
}

// OnTape registers a listener called with each new line.
func (t *Tape) OnTape(f func(line string)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.listeners = append(t.listeners, f)
}

func (t *Tape) add(line string) {
	t.mu.Lock()
	t.lines = append(t.lines, line)
	ls := slices.Clone(t.listeners)
	t.mu.Unlock()
	for _, f := range ls {
		f(line)
	}
}
