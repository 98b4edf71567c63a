package kkt

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// vectors are every Shtrih-M frame of PROTOCOLS.md §1.7, requests and answers.
var vectors = []struct {
	name  string
	frame string
	cmd   Command
	data  string
}{
	{"1 short status pwd 30", "02 05 10 1E 00 00 00 0B", 0x10, "1E000000"},
	{"1r short status answer", "02 10 10 00 1E 92 02 02 00 00 9F E5 18 01 00 92 08 00 75", 0x10, "001E9202020000 9FE518010092 0800"},
	{"1r' open sale receipt", "02 10 10 00 1E 92 02 08 00 01 9F E5 18 01 00 8B 02 00 6D", 0x10, "001E920208000 19FE51801008B0200"},
	{"2 cancel receipt", "02 05 88 1E 00 00 00 93", 0x88, "1E000000"},
	{"2r cancel answer", "02 03 88 00 1E 95", 0x88, "001E"},
	{"3 FN status", "02 06 FF 01 1E 00 00 00 E6", 0xFF01, "1E000000"},
	{"3r FN status answer", "02 21 FF 01 00 03 00 00 01 00 15 07 1D 0B 1D 39 32 38 37 34 34 30 33 30 31 31 32 30 39 39 31 A9 01 00 00 68", 0xFF01,
		"00030000010015071D0B1D 39323837343430333031313230393931 A9010000"},
	{"4 Z report", "02 05 41 1E 00 00 00 5A", 0x41, "1E000000"},
	{"4r Z refused 0x73", "02 02 41 73 30", 0x41, "73"},
	{"5 find FD 163", "02 0A FF 0A 1E 00 00 00 A3 00 00 00 42", 0xFF0A, "1E000000A3000000"},
	{"5r found receipt", "02 18 FF 0A 00 03 00 11 03 18 14 35 A3 00 00 00 EB EA 4B 2E 01 20 4E 00 00 00 6D", 0xFF0A,
		"0003001103181435A3000000EBEA4B2E01204E000000"},
	{"8 open shift", "02 05 E0 1E 00 00 00 FB", 0xE0, "1E000000"},
	{"8 open sale receipt", "02 06 8D 1E 00 00 00 00 95", 0x8D, "1E00000000"},
	{"8 full cut", "02 06 25 1E 00 00 00 00 3D", 0x25, "1E00000000"},
	{"8 FN close shift", "02 06 FF 43 1E 00 00 00 A4", 0xFF43, "1E000000"},
}

func TestFrameVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			raw, data := unhex(t, v.frame), unhex(t, v.data)
			got, err := EncodeFrame(v.cmd, data)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(got, raw) {
				t.Errorf("encode = % X, want % X", got, raw)
			}
			f, err := DecodeFrame(raw)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if f.Command != v.cmd || !bytes.Equal(f.Data, data) {
				t.Errorf("decode = %v % X, want %v % X", f.Command, f.Data, v.cmd, data)
			}
		})
	}
}

func TestDecodeFrameErrors(t *testing.T) {
	tests := []struct{ name, frame string }{
		{"empty", ""},
		{"no STX", "05 05 10 1E 00 00 00 0B"},
		{"bad LRC", "02 05 10 1E 00 00 00 0C"},
		{"LEN too long", "02 06 10 1E 00 00 00 0B"},
		{"LEN zero", "02 00 00"},
		{"truncated FF", "02 01 FF FE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeFrame(unhex(t, tt.frame)); !errors.Is(err, ErrBadFrame) {
				t.Errorf("err = %v, want ErrBadFrame", err)
			}
		})
	}
}

func TestEncodeFrameErrors(t *testing.T) {
	tests := []struct {
		name string
		cmd  Command
		n    int
	}{
		{"one-byte 0xFF", 0xFF, 0},
		{"high byte not FF", 0x1046, 0},
		{"too long", 0x10, 255},
		{"too long FF", 0xFF46, 254},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := EncodeFrame(tt.cmd, make([]byte, tt.n)); !errors.Is(err, ErrBadFrame) {
				t.Errorf("err = %v, want ErrBadFrame", err)
			}
		})
	}
}

func FuzzDecodeFrame(f *testing.F) {
	for _, v := range vectors {
		f.Add(unhex(f, v.frame))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := DecodeFrame(b)
		if err != nil {
			return
		}
		again, err := EncodeFrame(fr.Command, fr.Data)
		if err != nil {
			t.Fatalf("decoded %v % X does not encode: %v", fr.Command, fr.Data, err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("encode(decode(% X)) = % X", b, again)
		}
		back, err := DecodeFrame(again)
		if err != nil || back.Command != fr.Command || !bytes.Equal(back.Data, fr.Data) {
			t.Fatalf("decode(encode(x)) = %v % X, %v; want %v % X", back.Command, back.Data, err, fr.Command, fr.Data)
		}
	})
}
