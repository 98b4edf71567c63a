package main

import (
	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos/ui"
)

// deadLetters shows the outbox's rejected events to the till's service menu (ui.DeadLetters).
type deadLetters struct{ t *terminal.Terminal }

func (d deadLetters) DeadLetters() ([]ui.DeadLetter, error) {
	list, err := d.t.Store.DeadLetters()
	if err != nil {
		return nil, err
	}
	out := make([]ui.DeadLetter, len(list))
	for i, dl := range list {
		out[i] = ui.DeadLetter{ID: dl.Event.ID, Type: dl.Event.Type, At: dl.Event.At, Reason: dl.Reason,
			Rejected: dl.Rejected}
	}
	return out, nil
}

func (d deadLetters) RetryDeadLetters(ids ...string) error { return d.t.RetryDeadLetters(ids...) }
