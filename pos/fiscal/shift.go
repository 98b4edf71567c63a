package fiscal

import (
	"context"
	"errors"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// OpenShift opens the fiscal shift for the cashier. The shift-open report must name the cashier (tag
// 1021, and 1203 with the INN when configured), so the vendor's sequence is followed: FF41 starts the
// report, FF0C hands the FN the attributes, 0xE0 opens the shift and prints the report. Firmware without
// FF41 (0x37) gets the plain 0xE0.
func (r *Register) OpenShift(ctx context.Context, cashier string) error {
	r.setCashier(cashier)
	return mapErr("open shift", r.shiftDocument(ctx, kkt.CmdBeginOpenShift, cashier, r.drv.OpenShift))
}

// CloseShift prints the Z report, which closes the shift: FF42, FF0C with the cashier of the shift (the
// one who opened it or sold last), 0x41. Without a known cashier, 0x41 alone.
func (r *Register) CloseShift(ctx context.Context) error {
	r.mu.Lock()
	cashier := r.cashier
	r.mu.Unlock()
	return mapErr("close shift", r.shiftDocument(ctx, kkt.CmdBeginClose, cashier, r.drv.ZReport))
}

// shiftDocument runs begin (FF41/FF42) and the cashier's TLVs before the command that makes the report.
func (r *Register) shiftDocument(ctx context.Context, begin kkt.Command, cashier string, report func(context.Context) error) error {
	if tlvs := r.cashierTLVs(cashier); len(tlvs) > 0 {
		err := r.paper(ctx, func() error { _, err := r.drv.Do(ctx, begin, r.pwd()); return err })
		var de *kkt.DeviceError
		switch {
		case errors.As(err, &de) && de.Code == 0x37: // not supported: the report goes without them
		case err != nil:
			return err
		default:
			if err := r.paper(ctx, func() error { return r.drv.SendTLV(ctx, tlvs...) }); err != nil {
				return err
			}
		}
	}
	return r.paper(ctx, func() error { return report(ctx) })
}

// cashierTLVs are the cashier's name (1021) and, when configured, INN (1203).
func (r *Register) cashierTLVs(cashier string) []kkt.TLV {
	if cashier == "" {
		return nil
	}
	tlvs := []kkt.TLV{kkt.CashierName(cashier)}
	if inn, err := kkt.CashierINN(r.cashierINN(cashier)); err == nil {
		tlvs = append(tlvs, inn)
	}
	return tlvs
}

func (r *Register) setCashier(name string) {
	if name == "" {
		return
	}
	r.mu.Lock()
	r.cashier = name
	r.mu.Unlock()
}

func (r *Register) pwd() []byte {
	p := r.cfg.Password
	return []byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)}
}
