package kkt

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestDriverCommands(t *testing.T) {
	testItem := Item{Qty: 1000, Price: 10000, Sum: SumByDevice, Tax: TaxVAT20, Name: "Test"}
	tests := []struct {
		name   string
		call   func(context.Context, *Driver) (any, error)
		req    string // whole request frame
		answer string // whole answer frame
		want   any
	}{
		{
			name: "short status", req: "02 05 10 1E 00 00 00 0B",
			answer: "02 10 10 00 1E 92 02 08 00 01 9F E5 18 01 00 8B 02 00 6D",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.ShortStatus(ctx) },
			want: ShortStatus{Operator: 30, Flags: 0x0292, RawMode: 8, Operations: 1, BatteryVoltage: 0x9F,
				PowerVoltage: 0xE5, FMError: 0x18, EJError: 0x01},
		},
		{
			name: "FN status", req: "02 06 FF 01 1E 00 00 00 E6",
			answer: "02 21 FF 01 00 03 00 00 01 00 15 07 1D 0B 1D 39 32 38 37 34 34 30 33 30 31 31 32 30 39 39 31 A9 01 00 00 68",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.FNStatus(ctx) },
			want: FNStatus{Phase: 3, ShiftOpen: true, Time: time.Date(2021, 7, 29, 11, 29, 0, 0, time.UTC),
				Serial: "9287440301120991", LastFD: 425},
		},
		{
			name: "find FD 163", req: "02 0A FF 0A 1E 00 00 00 A3 00 00 00 42",
			answer: "02 18 FF 0A 00 03 00 11 03 18 14 35 A3 00 00 00 EB EA 4B 2E 01 20 4E 00 00 00 6D",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.FindDocument(ctx, 163) },
			want: Document{Type: DocReceipt, Time: time.Date(2017, 3, 24, 20, 53, 0, 0, time.UTC), FDNumber: 163,
				FiscalSign: 776727275, OpType: 1, Sum: 20000},
		},
		{
			name: "cancel receipt", req: "02 05 88 1E 00 00 00 93", answer: "02 03 88 00 1E 95",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.CancelReceipt(ctx) },
		},
		{
			name: "open shift", req: "02 05 E0 1E 00 00 00 FB", answer: "02 03 E0 00 1E FD",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.OpenShift(ctx) },
		},
		{
			name: "open sale receipt", req: "02 06 8D 1E 00 00 00 00 95", answer: "02 03 8D 00 1E 90",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.OpenReceipt(ctx, Sale) },
		},
		{
			name: "continue print", req: "02 05 B0 1E 00 00 00 AB", answer: "02 03 B0 00 1E AD",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.ContinuePrint(ctx) },
		},
		{
			// LEN 0x24 for the name "Test", as javapos sends it.
			name: "add item", answer: "02 03 FF 46 00 BA",
			req:  "02 24 FF 46 1E 00 00 00 01 40 42 0F 00 00 00 10 27 00 00 00 FF FF FF FF FF FF FF FF FF FF 01 00 04 01 54 65 73 74 8A",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.AddItem(ctx, testItem) },
		},
		{
			name: "add weighed item with sum, cp1251 name", answer: "02 03 FF 46 00 BA",
			req: "02 23 FF 46 1E 00 00 00 01 00 D0 07 00 00 00 F0 49 02 00 00 00 2C 01 00 00 FF FF FF FF FF 02 03 04 01 D1 FB F0 E5",
			call: func(ctx context.Context, d *Driver) (any, error) {
				return nil, d.AddItem(ctx, Item{Qty: 512, Price: 150000, Sum: 76800, Tax: TaxVAT10, Dept: 3, Name: "Сыр"})
			},
		},
		{
			// LEN 0x76 with an empty text, as javapos sends it; the extended answer carries the time.
			name: "close receipt", answer: "02 15 FF 45 00 64 00 00 00 00 A3 00 00 00 EB EA 4B 2E 11 03 18 14 35 27",
			req: "02 76 FF 45 1E 00 00 00 10 27 00 00 00" + zeros(15*5) + " 00" + zeros(6*5) + " 01 E4",
			call: func(ctx context.Context, d *Driver) (any, error) {
				return d.CloseReceipt(ctx, Close{Payments: [16]int64{10000}})
			},
			want: Closed{Change: 100, FDNumber: 163, FiscalSign: 776727275, Time: time.Date(2017, 3, 24, 20, 53, 0, 0, time.UTC)},
		},
		{
			name: "device type", req: "02 01 FC FD",
			answer: "02 0D FC 00 00 00 01 0C 13 00 D8 D2 D0 C8 D5 28",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.DeviceType(ctx) },
			want:   DeviceInfo{ProtocolVersion: 1, ProtocolSubversion: 12, Model: 0x13, Name: "ШТРИХ"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := unhex(t, tt.answer)
			var req []byte
			d, done := newPeerDriver(t, Config{}, func(p *peer) { req = p.exchange(ans) })
			got, err := tt.call(context.Background(), d)
			<-done
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if want := unhex(t, tt.req); !bytes.Equal(req, want) {
				t.Errorf("request\n got % X\nwant % X", req, want)
			}
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func zeros(n int) string { return string(bytes.Repeat([]byte(" 00"), n)) }

func TestDeviceErrorAnswer(t *testing.T) {
	d, done := newPeerDriver(t, Config{}, func(p *peer) { p.exchange(unhex(t, "02 02 41 73 30")) })
	err := d.ZReport(context.Background())
	<-done
	var de *DeviceError
	if !errors.As(err, &de) || de.Code != 0x73 || de.Command != CmdZReport {
		t.Fatalf("err = %v, want DeviceError 0x41/0x73", err)
	}
	if got := err.Error(); got != "kkt: command 0x41 refused with error 0x73" {
		t.Errorf("Error() = %q", got)
	}
	if de.Text() != "Команда не поддерживается в этом режиме" {
		t.Errorf("Text() = %q", de.Text())
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		code byte
		want string
	}{
		{0x6B, "Нет бумаги"},
		{0x4E, "Смена превысила 24 часа: снимите Z-отчёт"},
		{0x73, "Команда не поддерживается в этом режиме"},
		{0x4A, "Открыт чек — операция невозможна"},
		{0x16, "ФН: смена превысила 24 часа: снимите Z-отчёт"},
		{0x45, "Сумма всех видов оплаты меньше итога чека"},
		{0x08, "ФН: нет запрошенных данных"},
		{0xEE, "Ошибка ККТ 0xEE"},
	}
	for _, tt := range tests {
		if got := ErrorText(tt.code); got != tt.want {
			t.Errorf("ErrorText(0x%02X) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestItemParamsErrors(t *testing.T) {
	d := NewDriver(nil, Config{})
	tests := []struct {
		name string
		it   Item
	}{
		{"zero qty", Item{Qty: 0, Price: 1}},
		{"negative price", Item{Qty: 1000, Price: -1}},
		{"negative sum", Item{Qty: 1000, Price: 1, Sum: -5}},
	}
	for _, tt := range tests {
		if _, err := d.itemParams(tt.it); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	if _, err := d.closeParams(Close{Rounding: 100}); err == nil {
		t.Error("rounding 100: no error")
	}
}
