package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// CashRecord is a "cash" event (внесение or изъятие at a drawer) as the hub keeps it.
type CashRecord struct {
	EventID  string    `json:"event_id"`
	Store    string    `json:"store"` // the store of the terminal's token, not the payload's claim
	Terminal string    `json:"terminal"`
	Received time.Time `json:"received"`
	Cash     wire.Cash `json:"cash"`
}

// CashTotals sums a list of cash operations, in kopecks.
type CashTotals struct {
	InCount  int   `json:"in_count"`
	In       int64 `json:"in"`
	OutCount int   `json:"out_count"`
	Out      int64 `json:"out"`
}

// Net is what the operations added to the drawers (negative when more was taken out).
func (t CashTotals) Net() int64 { return t.In - t.Out }

// SumCash totals the records by kind.
func SumCash(list []CashRecord) CashTotals {
	var t CashTotals
	for _, r := range list {
		switch r.Cash.Kind {
		case wire.CashIn:
			t.InCount++
			t.In += r.Cash.Amount
		case wire.CashOut:
			t.OutCount++
			t.Out += r.Cash.Amount
		}
	}
	return t
}

// CashLog returns the cash operations of store ("" for every store) whose time is in [from, to) (zero
// bounds open), ordered by time, then store, terminal and id. Like AuditLog it reads through
// ReportSource, so it works on every backend.
func CashLog(ctx context.Context, src ReportSource, store string, from, to time.Time) ([]CashRecord, error) {
	var out []CashRecord
	err := src.ScanEvents(ctx, store, from, to, []string{wire.TypeCash}, func(ev StoredEvent) error {
		r := CashRecord{EventID: ev.ID, Store: ev.Store, Terminal: ev.Terminal, Received: ev.Received}
		if err := json.Unmarshal(ev.Payload, &r.Cash); err != nil {
			return fmt.Errorf("decode cash event %q: %w", ev.ID, err)
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cash log: %w", err)
	}
	slices.SortFunc(out, func(a, b CashRecord) int {
		if c := a.Cash.At.Compare(b.Cash.At); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Store, b.Store), cmp.Compare(a.Terminal, b.Terminal), cmp.Compare(a.EventID, b.EventID))
	})
	return out, nil
}
