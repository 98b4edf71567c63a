package kkt

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"
)

// testKM is a water-style GS1 DataMatrix code: 01 GTIN, 21 serial, GS, 93 check code.
const testKM = "010460123456789321ABC\x1d93dGVz"

const testKMHex = "30 31 30 34 36 30 31 32 33 34 35 36 37 38 39 33 32 31 41 42 43 1D 39 33 64 47 56 7A"

func TestServiceCommands(t *testing.T) {
	name := CashierName("Иванов И.И.")
	inn, err := CashierINN("770123456789")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		call   func(context.Context, *Driver) (any, error)
		req    string // whole request frame
		answer string // whole answer frame
		want   any
	}{
		{
			// op 30, fw "A4" build 22070 of 24.06.21, hall 1, doc 7, flags 0x0292, mode 2, FM fields, 02.03.26
			// 09:30:05, serial low D2029649, last shift 5, 2000 free, 0/3 re-registrations, INN 7700000000,
			// serial high 0001.
			name: "full status", req: "02 05 11 1E 00 00 00 0A",
			answer: "02 32 11 00 1E 41 34 36 56 18 06 15 01 07 00 92 02 02 00 00 41 34 36 56 18 06 15 02 03 1A 09 1E 05 00 D2 02 96 49 05 00 D0 07 00 03 00 AD F4 CA 01 00 01 00 ED",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.FullStatus(ctx) },
			want: FullStatus{Operator: 30, FirmwareVersion: "A.4", FirmwareBuild: 22070,
				FirmwareDate: time.Date(2021, 6, 24, 0, 0, 0, 0, time.UTC), HallNumber: 1, DocNumber: 7, Flags: 0x0292,
				RawMode: 2, Time: time.Date(2026, 3, 2, 9, 30, 5, 0, time.UTC), Serial: 1<<32 | 0x499602D2,
				LastShift: 5, RefiscalizationsLeft: 3, INN: "7700000000"},
		},
		{
			name: "print line padded to 40 bytes", answer: "02 03 17 00 1E 0A",
			req:  "02 2E 17 1E 00 00 00 02 C8 F2 EE E3 EE" + zeros(35) + " FC",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.PrintLine(ctx, "Итого", 0) },
		},
		{
			name: "full cut (vector 8)", req: "02 06 25 1E 00 00 00 00 3D", answer: "02 03 25 00 1E 38",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.Cut(ctx, false) },
		},
		{
			name: "partial cut", req: "02 06 25 1E 00 00 00 01 3C", answer: "02 03 25 00 1E 38",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.Cut(ctx, true) },
		},
		{
			name: "X report", req: "02 05 40 1E 00 00 00 5B", answer: "02 03 40 00 1E 5D",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.XReport(ctx) },
		},
		{
			name: "cash in 100,00 with doc number", req: "02 0A 50 1E 00 00 00 10 27 00 00 00 73",
			answer: "02 05 50 00 1E 0C 00 47",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.CashIn(ctx, 10000) },
			want:   CashResult{Operator: 30, DocNumber: 12},
		},
		{
			name: "cash out 1 000,00 without doc number", req: "02 0A 51 1E 00 00 00 A0 86 01 00 00 62",
			answer: "02 03 51 00 1E 4C",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.CashOut(ctx, 100000) },
			want:   CashResult{Operator: 30},
		},
		{
			name: "open drawer 0", req: "02 06 28 1E 00 00 00 00 30", answer: "02 03 28 00 1E 35",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.OpenDrawer(ctx, 0) },
		},
		{
			// 1021 "Иванов И.И." and 1203 in CP866, tag and length LE (re-star-ru's 1203: B3 04 0C 00).
			name: "FF0C cashier", answer: "02 03 FF 0C 00 F0",
			req:  "02 25 FF 0C 1E 00 00 00 FD 03 0B 00 88 A2 A0 AD AE A2 20 88 2E 88 2E B3 04 0C 00 37 37 30 31 32 33 34 35 36 37 38 39 8C",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.SendTLV(ctx, name, inn) },
		},
		{
			name: "FF4D operation TLV", req: "02 0D FF 4D 1E 00 00 00 A7 04 03 00 61 62 63 61", answer: "02 03 FF 4D 00 B1",
			call: func(ctx context.Context, d *Driver) (any, error) {
				return nil, d.SendOperationTLV(ctx, StringTLV(1191, "abc", 64))
			},
		},
		{
			name: "open return receipt", req: "02 06 8D 1E 00 00 00 02 97", answer: "02 03 8D 00 1E 90",
			call: func(ctx context.Context, d *Driver) (any, error) { return nil, d.OpenReceipt(ctx, SaleReturn) },
		},
		{
			name: "return item (op 2)", answer: "02 03 FF 46 00 BA",
			req: "02 24 FF 46 1E 00 00 00 02 40 42 0F 00 00 00 10 27 00 00 00 FF FF FF FF FF FF FF FF FF FF 01 00 04 01 54 65 73 74 89",
			call: func(ctx context.Context, d *Driver) (any, error) {
				return nil, d.AddItem(ctx, Item{Op: OpIncomeReturn, Qty: 1000, Price: 10000, Sum: SumByDevice, Tax: TaxVAT20, Name: "Test"})
			},
		},
		{
			name: "settle prepaid order: slot 14", answer: "02 10 FF 45 00 00 00 00 00 00 A4 00 00 00 EB EA 4B 2E 6A",
			req: "02 76 FF 45 1E 00 00 00" + zeros(13*5) + " 10 27 00 00 00" + zeros(2*5) + " 00" + zeros(6*5) + " 01 E4",
			call: func(ctx context.Context, d *Driver) (any, error) {
				var c Close
				c.Payments[PayPrepaid] = 10000
				return d.CloseReceipt(ctx, c)
			},
			want: Closed{FDNumber: 164, FiscalSign: 776727275},
		},
		{
			name: "check mark, positive online", req: "02 26 FF 61 1E 00 00 00 01 00 1C 00 " + testKMHex + " E1",
			answer: "02 13 FF 61 00 03 00 05 0C 00 0F 39 08 01 00 00 3D 08 01 00 01 8D",
			call: func(ctx context.Context, d *Driver) (any, error) {
				return d.CheckMark(ctx, MarkCheck{Code: testKM})
			},
			want: MarkResult{LocalStatus: 3, CodeType: 5, Online: true, Result: 0x0F,
				ServerTLV: []TLV{{Tag: 2105, Value: []byte{0}}, {Tag: 2109, Value: []byte{1}}}},
		},
		{
			// Partial sale of a measured item: 2108 = 11 (kg), 1023 = 0.001 as FVLN (03 01).
			name:   "check mark with TLV, offline answer",
			req:    "02 31 FF 61 1E 00 00 00 02 00 1C 0B " + testKMHex + " 3C 08 01 00 0B FF 03 02 00 03 01 3C",
			answer: "02 07 FF 61 00 00 04 00 00 9D",
			call: func(ctx context.Context, d *Driver) (any, error) {
				return d.CheckMark(ctx, MarkCheck{Code: testKM, PlannedStatus: MarkMeasuredSold,
					TLV: []TLV{ByteTLV(TagMeasure, 11), FVLN(TagQuantity, 1, 3)}})
			},
			want: MarkResult{LocalReason: 4},
		},
		{
			name: "accept mark", req: "02 07 FF 69 1E 00 00 00 01 8E", answer: "02 04 FF 69 00 0F 9D",
			call: func(ctx context.Context, d *Driver) (any, error) { return d.AcceptMark(ctx, true) },
			want: byte(0x0F),
		},
		{
			name: "reject mark", req: "02 07 FF 69 1E 00 00 00 00 8F", answer: "02 04 FF 69 00 0F 9D",
			call: func(ctx context.Context, d *Driver) (any, error) { return d.AcceptMark(ctx, false) },
			want: byte(0x0F),
		},
		{
			name: "bind mark", req: "02 23 FF 67 1E 00 00 00 1C " + testKMHex + " E3", answer: "02 06 FF 67 00 05 00 01 9A",
			call: func(ctx context.Context, d *Driver) (any, error) { return d.BindMark(ctx, testKM) },
			want: MarkBinding{CodeType: 5, DMType: 1},
		},
		{
			name: "bind mark with the device's own check", req: "02 23 FF 67 1E 00 00 00 1C " + testKMHex + " E3",
			answer: "02 0C FF 67 00 05 00 01 03 00 05 02 00 0F 9B",
			call:   func(ctx context.Context, d *Driver) (any, error) { return d.BindMark(ctx, testKM) },
			want: MarkBinding{CodeType: 5, DMType: 1,
				Check: &MarkResult{LocalStatus: 3, CodeType: 5, Online: true, Result: 0x0F, ServerTLV: nil}},
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
