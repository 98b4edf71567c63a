package escpos

import (
	"errors"
	"image"
	"reflect"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// fnsQR is a ФНС receipt string of the usual length (ФФД appendix: t, s, fn, i, fp, n).
const fnsQR = "t=20260302T1015&s=1116.49&fn=9999078900012345&i=12&fp=3826418920&n=1"

var decodeCases = []struct {
	name string
	in   string // hex
	want []Element
	err  error
}{
	{"init", "1b40", []Element{{Kind: KindInit}}, nil},
	{"code page and kanji", "1c2e 1b7411", []Element{{Kind: KindCancelKanji}, {Kind: KindCodePage, N: 17}}, nil},
	{"cut A 3", "1d564103", []Element{{Kind: KindCut, Cut: CutFull, Feed: 3}}, nil},
	{"cut B 5", "1d564205", []Element{{Kind: KindCut, Cut: CutPartial, Feed: 5}}, nil},
	{"cut 0", "1d5600", []Element{{Kind: KindCut, Cut: CutFull}}, nil},
	{"cut 49", "1d5631", []Element{{Kind: KindCut, Cut: CutPartial}}, nil},
	{"status", "100404", []Element{{Kind: KindStatus, N: 4}}, nil},
	{"line attrs", "1b6102 1b4501 1d2111 8fe0a8a2a5e2 0a",
		[]Element{{Kind: KindText, Text: "Привет", Align: Right, Bold: true, Width: 2, Height: 2}}, nil},
	{"print mode", "1b2138 41 0a", []Element{{Kind: KindText, Text: "A", Bold: true, Width: 2, Height: 2}}, nil},
	{"feed flushes", "41 1b6402", []Element{
		{Kind: KindText, Text: "A", Width: 1, Height: 1},
		{Kind: KindText, Width: 1, Height: 1}, {Kind: KindText, Width: 1, Height: 1}}, nil},
	{"unterminated line", "4142", []Element{{Kind: KindText, Text: "AB", Width: 1, Height: 1}}, nil},
	{"native qr", "1b6101 1d286b0400314132 00 1d286b05003150306869 1d286b0300315130",
		[]Element{{Kind: KindQR, Text: "hi", Align: Center}}, nil},
	{"raster 8x2", "1d7630000100 0200 80 01", []Element{{Kind: KindImage}}, nil},
	{"drawer", "1b7000197d", []Element{{Kind: KindPulse}}, nil},
	{"barcode", "1d6b0431323300 1d6b4903414243", nil, nil},
	{"truncated raster", "1d7630000100 0200 80", nil, ErrTruncated},
	{"truncated esc", "1b", nil, ErrTruncated},
	{"truncated qr", "1d286b0600315030", nil, ErrTruncated},
	{"unknown control", "41 07", []Element{{Kind: KindText, Text: "A", Width: 1, Height: 1}}, ErrUnknownCommand},
	{"unknown esc", "1b7e00", nil, ErrUnknownCommand},
}

func TestDecode(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(unhex(t, tc.in))
			if !errors.Is(err, tc.err) || (err != nil) != (tc.err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			for i := range got.Elements {
				got.Elements[i].Image = nil // images are checked below
			}
			if !reflect.DeepEqual(got.Elements, tc.want) {
				t.Errorf("elements =\n%v\nwant\n%v", got, Decoded{tc.want})
			}
		})
	}
}

func TestDecodeRasterBits(t *testing.T) {
	got, err := Decode(unhex(t, "1d7630000100 0200 80 01"))
	if err != nil {
		t.Fatal(err)
	}
	img := got.Images()[0]
	black := func(x, y int) bool { return img.GrayAt(x, y).Y == 0 }
	if img.Bounds() != image.Rect(0, 0, 8, 2) || !black(0, 0) || black(1, 0) || !black(7, 1) || black(6, 1) {
		t.Errorf("raster decoded wrongly: %v %v", img.Bounds(), img.Pix)
	}
}

func TestRoundTripRussianText(t *testing.T) {
	lines := []struct {
		text  string
		align Align
		bold  bool
		w, h  int
	}{
		{"ООО «Ромашка»", Center, true, 2, 2},
		{"Съешь же ещё этих мягких французских булок, да выпей чаю", Left, false, 1, 1},
		{"ИТОГО 1 234,50 ₽", Right, true, 1, 2},
		{"№ 15 — ЁЛКА", Left, false, 1, 1},
	}
	want := []string{`ООО "Ромашка"`, "Съешь же ещё этих мягких французских булок, да выпей чаю", "ИТОГО 1 234,50 р.", "№ 15 - ЁЛКА"}
	d := NewDocument(Clone58).Init()
	for _, l := range lines {
		d.Align(l.align).Bold(l.bold).Size(l.w, l.h).Line(l.text)
	}
	got, err := Decode(d.Cut(CutFull, 3).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Lines(), want) {
		t.Fatalf("lines = %q, want %q", got.Lines(), want)
	}
	i := 0
	for _, e := range got.Elements {
		if e.Kind != KindText {
			continue
		}
		l := lines[i]
		if e.Align != l.align || e.Bold != l.bold || e.Width != l.w || e.Height != l.h {
			t.Errorf("line %d attributes %v, want %+v", i, e, l)
		}
		i++
	}
	if got.Count(KindCut) != 1 || got.Count(KindInit) != 1 {
		t.Errorf("decoded %v", got)
	}
}

// scanQR decodes the QR code in img as a phone would.
func scanQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return res.GetText()
}

func TestRoundTripRasterQR(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		data string
		dots int
	}{
		{"fns receipt 58 mm", Clone58, fnsQR, 0},
		{"fns receipt 80 mm", RongtaRP326, fnsQR, 0},
		{"url explicit 3 dots", RongtaRP326, "https://kassa.example/r/0001", 3},
		{"cyrillic", Clone58, "Касса №1", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDocument(tc.p).Init().QR(tc.data, tc.dots)
			if d.Err() != nil {
				t.Fatal(d.Err())
			}
			got, err := Decode(d.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			imgs := got.Images()
			if len(imgs) != 1 || imgs[0].Bounds().Dx() != tc.p.WidthDots {
				t.Fatalf("decoded %v", got)
			}
			if s := scanQR(t, imgs[0]); s != tc.data {
				t.Errorf("scanned %q, want %q", s, tc.data)
			}
			side := blackExtent(imgs[0])
			if tc.dots == 0 && side < MinQRDots {
				t.Errorf("QR is %d dots (%.1f mm), want at least %d", side, float64(side)/8, MinQRDots)
			}
		})
	}
}

// blackExtent is the width of the box holding every black dot.
func blackExtent(img *image.Gray) int {
	lo, hi := img.Bounds().Dx(), -1
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			if img.GrayAt(x, y).Y == 0 {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
	}
	return hi - lo + 1
}

func TestRoundTripNativeQR(t *testing.T) {
	got, err := Decode(NewDocument(EpsonTMT20).Init().QR(fnsQR, 0).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got.Count(KindQR) != 1 || got.Elements[len(got.Elements)-1].Text != fnsQR {
		t.Errorf("decoded %v", got)
	}
}

func FuzzDecode(f *testing.F) {
	for _, tc := range byteCases {
		d := NewDocument(Clone58)
		tc.build(d)
		f.Add(d.Bytes())
	}
	for _, tc := range decodeCases {
		f.Add(unhex(f, tc.in))
	}
	f.Add(NewDocument(EpsonTMT20).QR("t=1", 0).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		whole, err := Decode(b)
		// The emulator gets the same bytes in pieces (and skips what it does not know): it must see the
		// same document.
		split := len(b) / 2
		got := streamDecode(b[:split], b[split:])
		if err == nil && got != whole.String() {
			t.Errorf("streamed\n%s\nwhole\n%s", got, whole)
		}
	})
}

// streamDecode feeds chunks to a parser the way Emulator.Serve does.
func streamDecode(chunks ...[]byte) string {
	var d Decoded
	p := newParser(func(e Element) { d.Elements = append(d.Elements, e) })
	e := NewEmulator(EmulatorConfig{})
	var pending []byte
	for _, c := range chunks {
		pending = e.consume(p, append(pending, c...))
	}
	p.flush()
	return d.String()
}
