package fiscal

import (
	"context"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// CashIn registers money put into the drawer (внесение, 0x50).
func (r *Register) CashIn(ctx context.Context, amount pos.Money) error {
	return r.cash(ctx, "cash in", amount, r.drv.CashIn)
}

// CashOut registers money taken from the drawer (изъятие, 0x51); the device refuses more than it holds.
func (r *Register) CashOut(ctx context.Context, amount pos.Money) error {
	return r.cash(ctx, "cash out", amount, r.drv.CashOut)
}

// cash runs a cash document; a refusal for want of paper waits for a new roll and sends it again (a
// refused command did not run).
func (r *Register) cash(ctx context.Context, op string, amount pos.Money, do func(context.Context, int64) (kkt.CashResult, error)) error {
	if amount <= 0 {
		return pos.ErrBadAmount
	}
	return mapErr(op, r.paper(ctx, func() error { _, err := do(ctx, int64(amount)); return err }))
}
