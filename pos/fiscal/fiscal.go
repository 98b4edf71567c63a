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
	// Password is the one the driver sends (kkt.Config.Password), for the commands the driver has no
	// method for (FF41/FF42); 30 when zero.
	Password uint32
	// CashierINN is the cashier's INN (tag 1203, 12 digits) sent with the cashier's name (1021) when a shift
	// opens or closes and with every receipt; empty (or not 12 digits) sends none.
	CashierINN string
	// AwaitPaper, when set, is asked to wait for the cashier to load paper when the device refuses a command
	// for want of it (0x6B, 0x58, or a status in submode 1–3): it returns nil once the roll is in, or an
	// error to give up (the command then fails as without it). The refused command is sent again: a device
	// refusal means it did not run. It is called from the goroutine that runs the operation. SetAwaitPaper
	// installs it later.
	AwaitPaper func(ctx context.Context) error
	// TextWidth is the characters per line of the texts the register prints itself (a personal offer under
	// its position), at most the driver's kkt.Config.LineWidth; 36 (a 57 mm roll) when zero.
	TextWidth int
}

// Register is a Shtrih-M ККТ seen as the till's register.
type Register struct {
	drv *kkt.Driver
	cfg Config

	mu         sync.Mutex // State and Fiscalise may run on different goroutines
	fnSerial   string
	cashier    string // of the last shift opened or receipt fiscalised: the Z report's cashier
	awaitPaper func(ctx context.Context) error
	inns       map[string]string // cashier name -> INN once SetCashier was called (cashier.go)
}

// New adapts a driver.
func New(drv *kkt.Driver, cfg Config) *Register {
	if cfg.TaxSystem == 0 {
		cfg.TaxSystem = 1
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Password == 0 {
		cfg.Password = 30
	}
	if cfg.TextWidth <= 0 {
		cfg.TextWidth = defaultTextWidth
	}
	return &Register{drv: drv, cfg: cfg, awaitPaper: cfg.AwaitPaper}
}

// SetAwaitPaper installs (or, with nil, removes) the paper hook of Config.AwaitPaper once the screen that
// asks the cashier exists.
func (r *Register) SetAwaitPaper(f func(ctx context.Context) error) {
	r.mu.Lock()
	r.awaitPaper = f
	r.mu.Unlock()
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

// CancelReceipt cancels the open receipt (0x88).
func (r *Register) CancelReceipt(ctx context.Context) error {
	return mapErr("cancel receipt", r.paper(ctx, func() error { return r.drv.CancelReceipt(ctx) }))
}

// FindDocument reads a document of the ФН archive (FF0A).
func (r *Register) FindDocument(ctx context.Context, fd uint32) (pos.FiscalDocument, error) {
	d, err := r.drv.FindDocument(ctx, fd)
	if err != nil {
		return pos.FiscalDocument{}, mapErr("find document", err)
	}
	return pos.FiscalDocument{
		FDNumber: d.FDNumber, FiscalSign: d.FiscalSign, At: d.Time, Sum: pos.Money(d.Sum),
		SaleReceipt:   d.Type == kkt.DocReceipt && d.OpType == kkt.OpIncome,
		RefundReceipt: d.Type == kkt.DocReceipt && d.OpType == kkt.OpIncomeReturn,
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
		if err != error(de) { // the refusal with context (why it was not sent again): keep it
			return fmt.Errorf("%w: %w", re, err)
		}
		return re
	case errors.Is(err, kkt.ErrOutcomeUnknown):
		return fmt.Errorf("%s: %w: %w", op, pos.ErrOutcomeUnknown, err)
	case errors.Is(err, kkt.ErrNoLink), errors.Is(err, kkt.ErrTimeout), errors.Is(err, kkt.ErrBadFrame):
		return fmt.Errorf("%s: %w: %w", op, pos.ErrRegisterOffline, err)
	}
	return fmt.Errorf("%s: %w: %w", op, pos.ErrRegisterOffline, err)
}
