package escpos

import (
	"errors"
	"fmt"
	"image"

	qrcode "github.com/skip2/go-qrcode"
)

// ErrQRTooLarge: the QR code does not fit the paper width at the requested module size.
var ErrQRTooLarge = errors.New("escpos: qr code does not fit the paper")

// MinQRDots is the smallest side of a receipt QR code: 20 mm (ФФД) at 203 dpi (8 dots per mm).
const MinQRDots = 160

// quietModules is the white margin a QR code needs around it (ISO/IEC 18004).
const quietModules = 4

// QR prints data as a QR code (model 2, error correction M), centred. moduleDots is the side of one module
// in dots; zero chooses the smallest size that makes the code at least MinQRDots wide, so a ФНС receipt
// string (version 4–5) comes out at 5 dots a module, over 20 mm. Unless the profile has NativeQR, the code is
// drawn here and sent as a raster image (GS v 0), which every model prints the same way.
func (d *Document) QR(data string, moduleDots int) *Document {
	code, err := qrcode.New(data, qrcode.Medium)
	if err != nil {
		d.fail(fmt.Errorf("escpos: qr: %w", err))
		return d
	}
	code.DisableBorder = true
	bits := code.Bitmap()
	modules := len(bits)
	if moduleDots <= 0 {
		moduleDots = (MinQRDots + modules - 1) / modules
		// Shrink to fit rather than refuse: a smaller code on narrow paper still scans.
		for moduleDots > 1 && (modules+2*quietModules)*moduleDots > d.p.WidthDots {
			moduleDots--
		}
	}
	if (modules+2*quietModules)*moduleDots > d.p.WidthDots || (d.p.NativeQR && moduleDots > 16) {
		d.fail(fmt.Errorf("%w: %d modules of %d dots, paper %d dots", ErrQRTooLarge, modules, moduleDots, d.p.WidthDots))
		return d
	}
	prev := d.align
	if d.p.NativeQR {
		d.Align(Center)
		d.nativeQR([]byte(data), byte(moduleDots))
	} else {
		d.Align(Left) // the image is already centred on the full width
		d.Raster(qrImage(bits, moduleDots, d.p.WidthDots))
	}
	return d.Align(prev)
}

// nativeQR is GS ( k: model 2, module size, EC level M, store the data, print it.
func (d *Document) nativeQR(data []byte, moduleDots byte) {
	d.Raw(gs, '(', 'k', 4, 0, 0x31, 0x41, 0x32, 0x00)
	d.Raw(gs, '(', 'k', 3, 0, 0x31, 0x43, moduleDots)
	d.Raw(gs, '(', 'k', 3, 0, 0x31, 0x45, 0x31)
	n := len(data) + 3
	d.Raw(gs, '(', 'k', byte(n), byte(n>>8), 0x31, 0x50, 0x30)
	d.Raw(data...)
	d.Raw(gs, '(', 'k', 3, 0, 0x31, 0x51, 0x30)
}

// qrImage draws the modules scaled by dots, centred on a white band as wide as the paper with a quiet zone
// above and below.
func qrImage(bits [][]bool, dots, width int) *image.Gray {
	side := len(bits) * dots
	quiet := quietModules * dots
	img := image.NewGray(image.Rect(0, 0, width, side+2*quiet))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	x0 := (width - side) / 2
	for y, row := range bits {
		for x, black := range row {
			if !black {
				continue
			}
			for dy := range dots {
				off := img.PixOffset(x0+x*dots, quiet+y*dots+dy)
				for dx := range dots {
					img.Pix[off+dx] = 0
				}
			}
		}
	}
	return img
}

// Raster prints an image with GS v 0 at normal density: a pixel darker than mid-grey prints as a dot. Rows
// are padded to whole bytes; an image wider than the paper is cropped by the printer.
func (d *Document) Raster(img image.Image) *Document {
	b := img.Bounds()
	xBytes := (b.Dx() + 7) / 8
	rows := b.Dy()
	if xBytes > 0xFFFF || rows > 0xFFFF {
		d.fail(fmt.Errorf("escpos: raster %dx%d is too large", b.Dx(), b.Dy()))
		return d
	}
	d.Raw(gs, 'v', '0', 0, byte(xBytes), byte(xBytes>>8), byte(rows), byte(rows>>8))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for xb := range xBytes {
			var v byte
			for bit := range 8 {
				x := b.Min.X + xb*8 + bit
				if x < b.Max.X && dark(img, x, y) {
					v |= 0x80 >> bit
				}
			}
			d.buf = append(d.buf, v)
		}
	}
	return d
}

func dark(img image.Image, x, y int) bool {
	if g, ok := img.(*image.Gray); ok {
		return g.GrayAt(x, y).Y < 0x80
	}
	r, g, b, a := img.At(x, y).RGBA()
	if a < 0x8000 {
		return false
	}
	return (299*r+587*g+114*b)/1000 < 0x8000
}
