package kkt

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Vectors of javapos TLVItemTests (PROTOCOLS.md §1.3).
func TestTLVValues(t *testing.T) {
	tests := []struct {
		name string
		tlv  TLV
		want string
	}{
		{"VLN 132", VLN(1079, 132), "84"},
		{"VLN 0", VLN(1079, 0), "00"},
		{"VLN 100000", VLN(1043, 100000), "A0 86 01"},
		{"FVLN 1.000000", FVLN(TagQuantity, 1000000, 6), "06 40 42 0F"},
		{"UnixTime 02.04.2018 18:16", UnixTime(1012, time.Date(2018, 4, 2, 18, 16, 0, 0, time.FixedZone("MSK", 3*3600))), "60 73 C2 5A"},
		{"cashier CP866", CashierName("Петров"), "8F A5 E2 E0 AE A2"},
		{"buyer e-mail", BuyerContact("a@b.ru"), "61 40 62 2E 72 75"},
		{"byte", ByteTLV(TagMeasure, 11), "0B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if want := unhex(t, tt.want); !bytes.Equal(tt.tlv.Value, want) {
				t.Errorf("value % X, want % X", tt.tlv.Value, want)
			}
		})
	}
	if got := CashierName("Петров").String(); got != "Петров" {
		t.Errorf("String() = %q", got)
	}
	if n := len(CashierName(strings.Repeat("я", 100)).Value); n != 64 {
		t.Errorf("cashier name cut to %d bytes, want 64", n)
	}
}

func TestCashierINN(t *testing.T) {
	tests := []struct {
		inn string
		ok  bool
	}{
		{"770123456789", true},
		{"7701234567", false},
		{"77012345678A", false},
		{"", false},
	}
	for _, tt := range tests {
		v, err := CashierINN(tt.inn)
		if (err == nil) != tt.ok {
			t.Errorf("CashierINN(%q) err = %v", tt.inn, err)
		}
		if tt.ok && (v.Tag != TagCashierINN || v.String() != tt.inn) {
			t.Errorf("CashierINN(%q) = %+v", tt.inn, v)
		}
	}
}

func TestParseTLVs(t *testing.T) {
	tlvs := []TLV{CashierName("Иванов"), VLN(1079, 132), {Tag: 1, Value: []byte{}}}
	got, err := ParseTLVs(EncodeTLVs(tlvs...))
	if err != nil || len(got) != 3 || got[0].String() != "Иванов" || got[1].Value[0] != 0x84 || got[2].Tag != 1 {
		t.Fatalf("ParseTLVs = %+v, %v", got, err)
	}
	for _, bad := range []string{"FD 03 05 00 41", "FD 03"} {
		if _, err := ParseTLVs(unhex(t, bad)); !errors.Is(err, ErrBadFrame) {
			t.Errorf("ParseTLVs(%s) err = %v", bad, err)
		}
	}
}

func TestPackTLVs(t *testing.T) {
	big := TLV{Tag: 1192, Value: bytes.Repeat([]byte{'x'}, 200)}
	tests := []struct {
		name   string
		tlvs   []TLV
		chunks []int // lengths
		err    error
	}{
		{"one", []TLV{CashierName("Иванов")}, []int{10}, nil},
		{"exactly 249", []TLV{{Tag: 1, Value: make([]byte, 245)}}, []int{249}, nil},
		{"two commands", []TLV{big, big}, []int{204, 204}, nil},
		{"250 does not fit a frame", []TLV{{Tag: 1, Value: make([]byte, 246)}}, nil, ErrTLVTooLong},
	}
	for _, tt := range tests {
		got, err := packTLVs(tt.tlvs)
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
			continue
		}
		var lens []int
		for _, c := range got {
			lens = append(lens, len(c))
		}
		if len(lens) != len(tt.chunks) || (len(lens) > 0 && lens[0] != tt.chunks[0]) {
			t.Errorf("%s: chunks %v, want %v", tt.name, lens, tt.chunks)
		}
	}
	// A refused TLV sends nothing: the driver has no link here and would fail on any write.
	d := NewDriver(nil, Config{})
	if err := d.SendTLV(context.Background(), TLV{Tag: 1, Value: make([]byte, 300)}); !errors.Is(err, ErrTLVTooLong) {
		t.Errorf("SendTLV of 304 bytes: %v", err)
	}
}

func TestFormatINN(t *testing.T) {
	tests := []struct {
		v    uint64
		want string
	}{
		{7700000000, "7700000000"},
		{274012345, "0274012345"},
		{27412345678, "027412345678"},
		{770123456789, "770123456789"},
		{0, ""},
	}
	for _, tt := range tests {
		if got := formatINN(tt.v); got != tt.want {
			t.Errorf("formatINN(%d) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestMarkPositive(t *testing.T) {
	tests := []struct {
		res  byte
		want bool
	}{
		{0x0F, true}, {0x03, true}, {0x07, false}, {0x01, false}, {0x00, false}, {0x04, false},
	}
	for _, tt := range tests {
		if got := (MarkResult{Result: tt.res}).Positive(); got != tt.want {
			t.Errorf("Positive(0x%02X) = %v", tt.res, got)
		}
	}
}

// protocolErrorCodes is the table of PROTOCOLS.md §1.5.
var protocolErrorCodes = []byte{0x01, 0x02, 0x03, 0x04, 0x05, 0x07, 0x08, 0x09, 0x10, 0x11, 0x12, 0x14, 0x16, 0x17,
	0x20, 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0x2F, 0x30, 0x33, 0x37, 0x45, 0x46, 0x4A, 0x4E, 0x4F, 0x50, 0x55,
	0x58, 0x5E, 0x6B, 0x71, 0x72, 0x73, 0x7E, 0xC0}

func TestErrorTextComplete(t *testing.T) {
	for _, c := range protocolErrorCodes {
		if s := ErrorText(c); strings.HasPrefix(s, "Ошибка ККТ") {
			t.Errorf("code 0x%02X has no text", c)
		}
	}
}

func FuzzDecoders(f *testing.F) {
	f.Add(unhex(f, "1E 41 34 36 56 18 06 15 01 07 00 92 02 02 00 00 41 34 36 56 18 06 15 02 03 1A 09 1E 05 00 D2 02 96 49 05 00 D0 07 00 03 00 AD F4 CA 01 00 01 00"))
	f.Add(unhex(f, "03 00 05 0C 00 0F 39 08 01 00 00 3D 08 01 00 01"))
	f.Add(unhex(f, "05 00 01 03 00 05 02 00 0F"))
	f.Add(unhex(f, "FD 03 0B 00 88 A2 A0 AD AE A2 20 88 2E 88 2E"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = decodeFullStatus(b, time.UTC)
		if r, err := decodeMarkResult(b); err == nil && r.Online && len(b) < 6 {
			t.Fatalf("online result from %d bytes", len(b))
		}
		if tlvs, err := ParseTLVs(b); err == nil && len(EncodeTLVs(tlvs...)) != len(b) {
			t.Fatalf("TLVs of % X re-encode to another length", b)
		}
	})
}
