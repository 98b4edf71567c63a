package fiscal

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
)

func TestFiscaliseRefused(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		shiftOpen bool
		expireOn  kkt.Command // the shift turns 25 h old once this command ran
		later     time.Duration
		pay       func(pos.Money) []pos.Payment
		wantCode  int
		wantKind  error
	}{
		{name: "shift closed", pay: cash(0), wantCode: 0x73},
		{name: "underpaid", shiftOpen: true, pay: cash(100), wantCode: 0x45},
		{name: "shift older than 24 h", shiftOpen: true, later: 25 * time.Hour, pay: cash(0), wantCode: 0x4E,
			wantKind: pos.ErrShiftExpired},
		{name: "shift turns 24 h inside the receipt", shiftOpen: true, expireOn: kkt.CmdOpenReceipt, pay: cash(0),
			wantCode: 0x16, wantKind: pos.ErrShiftExpired},
		{name: "tax code the firmware does not know", shiftOpen: true, pay: cash(0), wantCode: 0x33,
			cfg: Config{TaxCodes: map[pos.VATRate]byte{pos.VAT22: 0x90}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b *bench
			b = newBench(t, benchOpts{cfg: tt.cfg, onCommand: func(cmd kkt.Command, stage emulator.Stage) {
				if tt.expireOn != 0 && cmd == tt.expireOn && stage == emulator.StageExecuted {
					b.clock.Add(25 * time.Hour)
				}
			}})
			if tt.shiftOpen {
				b.openShift(t)
			}
			b.clock.Add(tt.later)
			sale := saleOf(t, []item{{p: bread, qty: pos.Pieces(2)}, {p: coffee, qty: pos.QtyOne}}, 0, card)
			sale.Payments = tt.pay(sale.Total)
			before := b.dev.Snapshot().LastFD

			_, err := b.reg.Fiscalise(context.Background(), sale)
			var re *pos.RegisterError
			if !errors.As(err, &re) {
				t.Fatalf("Fiscalise = %v, want a *pos.RegisterError", err)
			}
			if re.Code != tt.wantCode || re.Text != kkt.ErrorText(byte(tt.wantCode)) {
				t.Errorf("refusal %d %q, want 0x%02X %q", re.Code, re.Text, tt.wantCode, kkt.ErrorText(byte(tt.wantCode)))
			}
			if !errors.Is(err, pos.ErrNotFiscalised) {
				t.Errorf("%v does not wrap ErrNotFiscalised", err)
			}
			if tt.wantKind != nil && !errors.Is(err, tt.wantKind) {
				t.Errorf("%v does not wrap %v", err, tt.wantKind)
			}
			st := b.dev.Snapshot()
			if st.ReceiptOpen() {
				t.Error("the refused receipt was left open on the device")
			}
			if st.LastFD != before {
				t.Errorf("last FD moved from %d to %d", before, st.LastFD)
			}
		})
	}
}

func TestShiftCommandsRefused(t *testing.T) {
	b := newBench(t, benchOpts{})
	ctx := context.Background()
	var re *pos.RegisterError
	if err := b.reg.CloseShift(ctx); !errors.As(err, &re) || re.Code != 0x73 || re.Op != "close shift" {
		t.Errorf("CloseShift with the shift closed = %v, want refusal 0x73", err)
	}
	b.openShift(t)
	if err := b.reg.OpenShift(ctx, "Петров"); !errors.As(err, &re) || re.Code != 0x73 || re.Op != "open shift" {
		t.Errorf("OpenShift twice = %v, want refusal 0x73", err)
	}
	if err := b.reg.CancelReceipt(ctx); !errors.As(err, &re) || re.Code != 0x55 || re.Text != kkt.ErrorText(0x55) {
		t.Errorf("CancelReceipt without a receipt = %v, want refusal 0x55", err)
	}
	if _, err := b.reg.FindDocument(ctx, 99); !errors.As(err, &re) || re.Code != 0x08 {
		t.Errorf("FindDocument(99) = %v, want refusal 0x08", err)
	}
}

func TestDeadLink(t *testing.T) {
	b := newBench(t, benchOpts{})
	b.openShift(t)
	b.host.Close()
	ctx := context.Background()
	sale := saleOf(t, []item{{p: bread, qty: pos.QtyOne}}, 0, cash(0))
	calls := []struct {
		name string
		err  func() error
	}{
		{"Fiscalise", func() error { _, err := b.reg.Fiscalise(ctx, sale); return err }},
		{"State", func() error { _, err := b.reg.State(ctx); return err }},
		{"FindDocument", func() error { _, err := b.reg.FindDocument(ctx, 1); return err }},
		{"OpenShift", func() error { return b.reg.OpenShift(ctx, "Иванова") }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if !errors.Is(err, pos.ErrRegisterOffline) {
				t.Errorf("%s over a dead link = %v, want ErrRegisterOffline", c.name, err)
			}
			var re *pos.RegisterError
			if errors.As(err, &re) {
				t.Errorf("a dead link reported as a refusal: %v", err)
			}
		})
	}
}

func TestMapErr(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		want     []error
	}{
		{"paper out", &kkt.DeviceError{Command: kkt.CmdCloseReceipt, Code: 0x6B}, 0x6B, []error{pos.ErrPaperOut}},
		{"shift expired", &kkt.DeviceError{Command: kkt.CmdOpenReceipt, Code: 0x4E}, 0x4E, []error{pos.ErrShiftExpired}},
		{"FN shift expired", &kkt.DeviceError{Command: kkt.CmdOperation, Code: 0x16}, 0x16, []error{pos.ErrShiftExpired}},
		{"answer lost", errors.Join(kkt.ErrTimeout, kkt.ErrOutcomeUnknown), 0, []error{pos.ErrOutcomeUnknown}},
		{"no link", kkt.ErrNoLink, 0, []error{pos.ErrRegisterOffline, kkt.ErrNoLink}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mapErr("close receipt", tt.err)
			var re *pos.RegisterError
			if got := errors.As(err, &re); got != (tt.wantCode != 0) || (got && re.Code != tt.wantCode) {
				t.Errorf("mapErr(%v) = %v, want code 0x%02X", tt.err, err, tt.wantCode)
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("mapErr(%v) = %v, does not wrap %v", tt.err, err, w)
				}
			}
		})
	}
	if mapErr("x", nil) != nil {
		t.Error("mapErr(nil) is not nil")
	}
}

func TestState(t *testing.T) {
	type step func(t *testing.T, b *bench)
	openShift := func(t *testing.T, b *bench) { b.openShift(t) }
	sell := func(t *testing.T, b *bench) {
		if _, err := b.reg.Fiscalise(context.Background(), saleOf(t, []item{{p: bread, qty: pos.QtyOne}}, 0, cash(0))); err != nil {
			t.Fatal(err)
		}
	}
	openReceipt := func(t *testing.T, b *bench) {
		if err := b.reg.drv.OpenReceipt(context.Background(), kkt.Sale); err != nil {
			t.Fatal(err)
		}
	}
	age := func(t *testing.T, b *bench) { b.clock.Add(25 * time.Hour) }
	tests := []struct {
		name  string
		steps []step
		want  pos.RegisterState
	}{
		{"new device", nil, pos.RegisterState{}},
		{"shift open", []step{openShift}, pos.RegisterState{ShiftOpen: true, LastFD: 1}},
		{"after a sale", []step{openShift, sell}, pos.RegisterState{ShiftOpen: true, LastFD: 2}},
		{"receipt open", []step{openShift, sell, openReceipt}, pos.RegisterState{ShiftOpen: true, ReceiptOpen: true, LastFD: 2}},
		{"shift expired", []step{openShift, age}, pos.RegisterState{ShiftOpen: true, ShiftExpired: true, LastFD: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBench(t, benchOpts{})
			for _, s := range tt.steps {
				s(t, b)
			}
			got, err := b.reg.State(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got.ShiftOpen != tt.want.ShiftOpen || got.ShiftExpired != tt.want.ShiftExpired ||
				got.ReceiptOpen != tt.want.ReceiptOpen || got.LastFD != tt.want.LastFD {
				t.Errorf("State = %+v, want %+v", got, tt.want)
			}
			if got.FNSerial != emulator.DefaultFNSerial {
				t.Errorf("FNSerial = %q", got.FNSerial)
			}
			if !got.Time.Equal(b.clock.Now()) {
				t.Errorf("Time = %v, want the device clock %v", got.Time, b.clock.Now())
			}
			if len(got.Warnings) != 0 {
				t.Errorf("Warnings = %q on a healthy ФН", got.Warnings)
			}
		})
	}
}

func TestFNWarnings(t *testing.T) {
	tests := []struct {
		flags byte
		want  int
	}{{0, 0}, {0x01, 1}, {0x02, 1}, {0x03, 1}, {0x0F, 3}}
	for _, tt := range tests {
		if got := Warnings(tt.flags); len(got) != tt.want {
			t.Errorf("Warnings(0x%02X) = %q, want %d messages", tt.flags, got, tt.want)
		}
	}
}
