package escpos

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// byteCases are the PROTOCOLS §4 vectors; FuzzDecode is seeded from them.
var byteCases = []struct {
	name  string
	build func(d *Document)
	want  string // hex
}{
	{"init epson", func(d *Document) { d.Init() }, "1b40 1b7411"},
	{"code page", func(d *Document) { d.CodePage(7) }, "1b7407"},
	{"align center", func(d *Document) { d.Align(Center) }, "1b6101"},
	{"align right", func(d *Document) { d.Align(Right) }, "1b6102"},
	{"bold on off", func(d *Document) { d.Bold(true).Bold(false) }, "1b4501 1b4500"},
	{"size 2x2", func(d *Document) { d.Size(2, 2) }, "1d2111"},
	{"size 1x2", func(d *Document) { d.Size(1, 2) }, "1d2101"},
	{"size clamped", func(d *Document) { d.Size(0, 9) }, "1d2107"},
	{"feed", func(d *Document) { d.Feed(4) }, "1b6404"},
	{"cut full feed 3", func(d *Document) { d.Cut(CutFull, 3) }, "1d564103"},
	{"cut partial", func(d *Document) { d.Cut(CutPartial, 0) }, "1d564200"},
	{"cyrillic line", func(d *Document) { d.Line("Привет, мир") }, "8fe0a8a2a5e22c20aca8e0 0a"},
	{"yo and numero", func(d *Document) { d.Line("Ёё №") }, "f0f120fc 0a"},
	{"rouble sign", func(d *Document) { d.Text("5 ₽") }, "3520e02e"},
	{"unknown rune", func(d *Document) { d.Text("日€") }, "3f3f"},
	{"control chars", func(d *Document) { d.Text("a\x1b@\x00b\nc") }, "613f403f620a63"},
	{"raw", func(d *Document) { d.Raw(0x10, 0x04, 0x04) }, "100404"},
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocumentBytes(t *testing.T) {
	for _, tc := range byteCases {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDocument(EpsonTMT20)
			tc.build(d)
			if got, want := d.Bytes(), unhex(t, tc.want); !bytes.Equal(got, want) {
				t.Errorf("bytes = % x, want % x", got, want)
			}
		})
	}
}

func TestInitPerProfile(t *testing.T) {
	tests := []struct {
		p    Profile
		want string
	}{
		{EpsonTMT20, "1b40 1b7411"},
		{Clone58, "1b40 1c2e 1b7411"},
		{RongtaRP326, "1b40 1b7407"},
		{Profile{}, "1b40 1b7411"},
	}
	for _, tc := range tests {
		t.Run(tc.p.Name, func(t *testing.T) {
			if got, want := NewDocument(tc.p).Init().Bytes(), unhex(t, tc.want); !bytes.Equal(got, want) {
				t.Errorf("init = % x, want % x", got, want)
			}
		})
	}
}

func TestNativeQRFraming(t *testing.T) {
	data := strings.Repeat("x", 300) // pL/pH: 303 = 0x012F
	p := EpsonTMT20
	got := NewDocument(p).QR(data, 6).Bytes()
	want := unhex(t, "1b6101"+ // centred
		"1d286b0400314132 00"+ // model 2
		"1d286b0300314306"+ // module 6 dots
		"1d286b0300314531"+ // EC M
		"1d286b2f01315030") // store, pL pH = 303
	want = append(want, data...)
	want = append(want, unhex(t, "1d286b0300315130 1b6100")...) // print, alignment restored
	if !bytes.Equal(got, want) {
		t.Errorf("native QR =\n% x\nwant\n% x", got, want)
	}
}

func TestRasterFraming(t *testing.T) {
	got := NewDocument(Clone58).QR("t=1", 0).Bytes()
	// 384 dots = 48 bytes a row; version 1 is 21 modules, 8 dots each (168 ≥ 160), quiet zone 4 modules.
	rows := 21*8 + 2*4*8
	head := []byte{0x1b, 0x61, 0x00, 0x1d, 0x76, 0x30, 0x00, 48, 0, byte(rows), byte(rows >> 8)}
	if !bytes.HasPrefix(got, head) {
		t.Fatalf("raster head = % x, want % x", got[:len(head)], head)
	}
	if len(got) != len(head)+48*rows+3 {
		t.Errorf("raster length %d, want %d", len(got), len(head)+48*rows+3)
	}
}

func TestQRTooLarge(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		dots int
	}{
		{"raster wider than paper", Clone58, 20},
		{"native module over 16", EpsonTMT20, 17},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDocument(tc.p).QR("t=20260302T1015&s=1116.49", tc.dots).Line("после")
			if !errors.Is(d.Err(), ErrQRTooLarge) {
				t.Errorf("Err = %v, want ErrQRTooLarge", d.Err())
			}
		})
	}
}
