package escpos

import (
	"fmt"
	"image"
)

// group decodes the GS commands.
func (p *parser) group(b []byte) (int, error) {
	if err := args(b, 2); err != nil {
		return 0, err
	}
	switch b[1] {
	case 'v':
		return p.raster(b)
	case '(':
		return p.function(b)
	case 'k':
		return barcode(b)
	case 'L', 'W', 'P':
		return 4, args(b, 4)
	}
	if err := args(b, 3); err != nil {
		return 0, err
	}
	n := b[2]
	switch b[1] {
	case '!':
		p.w, p.h = 1+int(n>>4&7), 1+int(n&7)
	case 'V':
		return p.cut(b)
	case 'B', 'h', 'w', 'H', 'f', 'a', 'r', 'b', 'I':
	default:
		return 0, fmt.Errorf("%w: GS 0x%02X", ErrUnknownCommand, b[1])
	}
	return 3, nil
}

// cut is GS V m, or GS V m n for the feed-and-cut functions.
func (p *parser) cut(b []byte) (int, error) {
	p.flush()
	m := b[2]
	switch m {
	case 0, '0':
		p.emit(Element{Kind: KindCut, Cut: CutFull})
		return 3, nil
	case 1, '1':
		p.emit(Element{Kind: KindCut, Cut: CutPartial})
		return 3, nil
	case 'A', 'B', 'a', 'b', 'g', 'h':
		if err := args(b, 4); err != nil {
			return 0, err
		}
		mode := CutFull
		if m == 'B' || m == 'b' || m == 'h' {
			mode = CutPartial
		}
		p.emit(Element{Kind: KindCut, Cut: mode, Feed: int(b[3])})
		return 4, nil
	}
	return 0, fmt.Errorf("%w: GS V 0x%02X", ErrUnknownCommand, m)
}

// raster is GS v 0 m xL xH yL yH d1…dk: k = x·y bytes, bit 7 the leftmost dot.
func (p *parser) raster(b []byte) (int, error) {
	if err := args(b, 8); err != nil {
		return 0, err
	}
	if b[2] != '0' {
		return 0, fmt.Errorf("%w: GS v 0x%02X", ErrUnknownCommand, b[2])
	}
	xBytes := int(b[4]) | int(b[5])<<8
	rows := int(b[6]) | int(b[7])<<8
	total := 8 + xBytes*rows
	// The size is checked against what arrived before allocating, so a forged header costs nothing.
	if err := args(b, total); err != nil {
		return 0, err
	}
	p.flush()
	img := image.NewGray(image.Rect(0, 0, xBytes*8, rows))
	data := b[8:total]
	for y := range rows {
		for x := range xBytes * 8 {
			v := byte(0xFF)
			if data[y*xBytes+x/8]&(0x80>>(x%8)) != 0 {
				v = 0
			}
			img.Pix[y*img.Stride+x] = v
		}
	}
	p.emit(Element{Kind: KindImage, Image: img})
	return total, nil
}

// function is GS ( fn pL pH …; for fn 'k' with cn 0x31 (QR) the store and print functions are followed.
func (p *parser) function(b []byte) (int, error) {
	if err := args(b, 5); err != nil {
		return 0, err
	}
	total := 5 + (int(b[3]) | int(b[4])<<8)
	if err := args(b, total); err != nil {
		return 0, err
	}
	body := b[5:total]
	if b[2] != 'k' || len(body) < 2 || body[0] != 0x31 {
		return total, nil
	}
	switch body[1] {
	case 0x50: // store: m = '0', then the data
		if len(body) >= 3 {
			p.qrData = append(p.qrData[:0], body[3:]...)
		}
	case 0x51: // print the stored symbol
		p.flush()
		p.emit(Element{Kind: KindQR, Text: string(p.qrData), Align: p.align})
	}
	return total, nil
}

// barcode is GS k m: NUL-terminated data for m 0–6, or a length byte and data for m 65–79.
func barcode(b []byte) (int, error) {
	if err := args(b, 3); err != nil {
		return 0, err
	}
	if b[2] >= 65 {
		if err := args(b, 4); err != nil {
			return 0, err
		}
		n := 4 + int(b[3])
		return n, args(b, n)
	}
	for i := 3; i < len(b); i++ {
		if b[i] == 0 {
			return i + 1, nil
		}
	}
	return 0, errShort
}
