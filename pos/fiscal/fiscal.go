// Package fiscal adapts the Shtrih-M driver (hardware/kkt) to the till's idea of a fiscal register
// (checkout.Register): a domain sale becomes 0x8D, one FF46 per line and FF45, device errors become the
// domain's errors with the device's Russian text, and the ФН's archive answers the recovery questions.
package fiscal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// Config holds the settings that vary between firmware and taxpayers.
type Config struct {
	// TaxCodes overrides the FF46 tax-rate byte per rate. The 22 % codes differ by firmware: 0xCB/0xCC on
	// classic Shtrih firmware (the default), 0x90/0xA0 on "Nano".
	TaxCodes map[pos.VATRate]byte
	// TaxSystem is the FF45 taxation-system bit (1 ОСН, 2 УСН доход, 4 УСН доход−расход …); 1 when zero.
	TaxSystem byte
	// Now is the fallback clock when the device does not report a document's time.
	Now func() time.Time
}

// Register is a Shtrih-M ККТ seen as the till's register.
type Register struct {
	drv *kkt.Driver
	cfg Config

	mu       sync.Mutex // State and Fiscalise may run on different goroutines
	fnSerial string
}

// New adapts a driver.
func New(drv *kkt.Driver, cfg Config) *Register {
	if cfg.TaxSystem == 0 {
		cfg.TaxSystem = 1
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Register{drv: drv, cfg: cfg}
}

var defaultTaxCodes = map[pos.VATRate]byte{
	pos.VAT20: kkt.TaxVAT20, pos.VAT10: kkt.TaxVAT10, pos.VAT0: kkt.TaxVAT0, pos.VATNone: kkt.TaxNone,
	pos.VAT20_120: kkt.TaxVAT20_120, pos.VAT10_110: kkt.TaxVAT10_110,
	pos.VAT22: kkt.TaxVAT22, pos.VAT22_122: kkt.TaxVAT22_122,
}

// TaxCode is the FF46 tax-rate byte for a rate under this configuration.
func (r *Register) TaxCode(v pos.VATRate) (byte, error) {
	if c, ok := r.cfg.TaxCodes[v]; ok {
		return c, nil
	}
	if c, ok := defaultTaxCodes[v]; ok {
		return c, nil
	}
	return 0, fmt.Errorf("no register tax code for %v", v)
}

// State reads the short status and the FN status.
func (r *Register) State(ctx context.Context) (pos.RegisterState, error) {
	ss, err := r.drv.ShortStatus(ctx)
	if err != nil {
		return pos.RegisterState{}, mapErr("read status", err)
	}
	fn, err := r.drv.FNStatus(ctx)
	if err != nil {
		return pos.RegisterState{}, mapErr("read FN status", err)
	}
	r.setSerial(fn.Serial)
	return pos.RegisterState{
		ShiftOpen:    fn.ShiftOpen || ss.Mode() == kkt.ModeShiftOpen || ss.Mode() == kkt.ModeShiftExpired,
		ShiftExpired: ss.Mode() == kkt.ModeShiftExpired,
		ReceiptOpen:  ss.Mode() == kkt.ModeReceiptOpen || fn.CurrentDoc == 0x04,
		PaperOut:     ss.Submode >= 1 && ss.Submode <= 3, // §1.4: passive, active, after-active no paper
		LastFD:       fn.LastFD,
		FNSerial:     fn.Serial,
		Time:         fn.Time,
		Warnings:     Warnings(fn.Warnings),
	}, nil
}

func (r *Register) setSerial(s string) {
	r.mu.Lock()
	r.fnSerial = s
	r.mu.Unlock()
}

// Warnings puts the FF01 warning flags into words (PROTOCOLS.md §1.6).
func Warnings(flags byte) []string {
	var out []string
	if flags&0x01 != 0 {
		out = append(out, "ФН: срочная замена (осталось не более 3 дней)")
	} else if flags&0x02 != 0 {
		out = append(out, "ФН: замените в течение 30 дней")
	}
	if flags&0x04 != 0 {
		out = append(out, "ФН: архив заполнен на 90%")
	}
	if flags&0x08 != 0 {
		out = append(out, "ОФД: превышено время ожидания ответа")
	}
	return out
}

// OpenShift opens the fiscal shift (0xE0). The cashier's name goes to the device with TLV 1021 in a
// later version of the adapter; the journal records it already.
func (r *Register) OpenShift(ctx context.Context, cashier string) error {
	return mapErr("open shift", r.drv.OpenShift(ctx))
}

// CloseShift prints the Z report, which closes the shift (0x41).
func (r *Register) CloseShift(ctx context.Context) error {
	return mapErr("close shift", r.drv.ZReport(ctx))
}

// CancelReceipt cancels the open receipt (0x88).
func (r *Register) CancelReceipt(ctx context.Context) error {
	return mapErr("cancel receipt", r.drv.CancelReceipt(ctx))
}

// FindDocument reads a document of the ФН archive (FF0A).
func (r *Register) FindDocument(ctx context.Context, fd uint32) (pos.FiscalDocument, error) {
	d, err := r.drv.FindDocument(ctx, fd)
	if err != nil {
		return pos.FiscalDocument{}, mapErr("find document", err)
	}
	return pos.FiscalDocument{
		FDNumber: d.FDNumber, FiscalSign: d.FiscalSign, At: d.Time, Sum: pos.Money(d.Sum),
		SaleReceipt: d.Type == kkt.DocReceipt && d.OpType == kkt.OpIncome,
	}, nil
}

// mapErr turns driver errors into the domain's: a device refusal keeps its code and Russian text, a dead
// link is ErrRegisterOffline, a lost answer is ErrOutcomeUnknown.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *kkt.DeviceError
	switch {
	case errors.As(err, &de):
		re := &pos.RegisterError{Op: op, Code: int(de.Code), Text: de.Text()}
		switch de.Code {
		case 0x6B:
			re.Kind = pos.ErrPaperOut
		case 0x4E, 0x16:
			re.Kind = pos.ErrShiftExpired
		}
		return re
	case errors.Is(err, kkt.ErrOutcomeUnknown):
		return fmt.Errorf("%s: %w: %w", op, pos.ErrOutcomeUnknown, err)
	case errors.Is(err, kkt.ErrNoLink), errors.Is(err, kkt.ErrTimeout), errors.Is(err, kkt.ErrBadFrame):
		return fmt.Errorf("%s: %w: %w", op, pos.ErrRegisterOffline, err)
	}
	return fmt.Errorf("%s: %w: %w", op, pos.ErrRegisterOffline, err)
}
