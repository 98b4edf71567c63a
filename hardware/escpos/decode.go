package escpos

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

var (
	// ErrTruncated: the bytes end inside a command.
	ErrTruncated = errors.New("escpos: truncated command")
	// ErrUnknownCommand: a control byte or sequence the decoder does not know.
	ErrUnknownCommand = errors.New("escpos: unknown command")
)

// Kind is what an Element is.
type Kind int

const (
	KindText        Kind = iota // a printed line of text (an empty one for a feed)
	KindImage                   // a raster image (GS v 0)
	KindQR                      // a native QR code (GS ( k print), Text holds the stored data
	KindCut                     // a paper cut
	KindInit                    // ESC @
	KindCodePage                // ESC t n, N holds n
	KindCancelKanji             // FS .
	KindStatus                  // a real-time status request DLE EOT n, N holds n
	KindPulse                   // a cash drawer kick (ESC p)
)

// Element is one decoded item, in the order the printer would act on it.
type Element struct {
	Kind Kind
	// Text is a line (decoded from CP866, without LF) or a native QR code's data.
	Text string
	// Align, Bold, Width and Height are a line's attributes when its first character arrived.
	Align         Align
	Bold          bool
	Width, Height int
	// Image is a raster image: black is a printed dot.
	Image *image.Gray
	// Cut and Feed describe a cut; Feed is the feed before it (0 for GS V 0/1).
	Cut  CutMode
	Feed int
	// N is the argument of KindCodePage and KindStatus.
	N byte
}

// Decoded is what a byte stream prints.
type Decoded struct {
	Elements []Element
}

// Lines is the text of the printed lines.
func (d Decoded) Lines() []string {
	var out []string
	for _, e := range d.Elements {
		if e.Kind == KindText {
			out = append(out, e.Text)
		}
	}
	return out
}

// Images is the raster images.
func (d Decoded) Images() []*image.Gray {
	var out []*image.Gray
	for _, e := range d.Elements {
		if e.Kind == KindImage {
			out = append(out, e.Image)
		}
	}
	return out
}

// Count is how many elements of kind k there are.
func (d Decoded) Count(k Kind) int {
	n := 0
	for _, e := range d.Elements {
		if e.Kind == k {
			n++
		}
	}
	return n
}

// String renders the elements one a line, for logs and golden files.
func (d Decoded) String() string {
	var b strings.Builder
	for _, e := range d.Elements {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func (e Element) String() string {
	switch e.Kind {
	case KindText:
		bold := "."
		if e.Bold {
			bold = "B"
		}
		return fmt.Sprintf("[%v %s %dx%d] %s", e.Align, bold, e.Width, e.Height, e.Text)
	case KindImage:
		return fmt.Sprintf("[image %dx%d]", e.Image.Bounds().Dx(), e.Image.Bounds().Dy())
	case KindQR:
		return fmt.Sprintf("[qr %q]", e.Text)
	case KindCut:
		return fmt.Sprintf("[cut %v feed %d]", e.Cut, e.Feed)
	case KindInit:
		return "[init]"
	case KindCodePage:
		return fmt.Sprintf("[codepage %d]", e.N)
	case KindCancelKanji:
		return "[kanji off]"
	case KindStatus:
		return fmt.Sprintf("[status %d]", e.N)
	case KindPulse:
		return "[drawer]"
	}
	return fmt.Sprintf("[kind %d]", e.Kind)
}

// Decode interprets ESC/POS bytes as a printer would. On an unknown command or bytes that end inside a
// command it returns what it decoded so far and an error wrapping ErrUnknownCommand or ErrTruncated with the
// offset. A line not ended by LF is returned as if it had been.
func Decode(b []byte) (Decoded, error) {
	var d Decoded
	p := newParser(func(e Element) { d.Elements = append(d.Elements, e) })
	for off := 0; off < len(b); {
		n, err := p.step(b[off:])
		if errors.Is(err, errShort) {
			err = ErrTruncated
		}
		if err != nil {
			p.flush()
			return d, fmt.Errorf("escpos: decode at byte %d: %w", off, err)
		}
		off += n
	}
	p.flush()
	return d, nil
}

// errShort: the command is incomplete, more bytes are needed.
var errShort = errors.New("short")

// parser is the printer's interpreter state; step consumes one command or run of text.
type parser struct {
	emit   func(Element)
	align  Align
	bold   bool
	w, h   int
	line   []byte
	attrs  Element // the attributes of the line in progress, taken at its first character
	qrData []byte
}

func newParser(emit func(Element)) *parser {
	p := &parser{emit: emit}
	p.reset()
	return p
}

func (p *parser) reset() {
	p.align, p.bold, p.w, p.h = Left, false, 1, 1
	p.line, p.qrData = nil, nil
}

func (p *parser) attributes() Element {
	return Element{Kind: KindText, Align: p.align, Bold: p.bold, Width: p.w, Height: p.h}
}

// flush prints the line in progress, if any.
func (p *parser) flush() {
	if len(p.line) > 0 {
		p.endLine()
	}
}

func (p *parser) endLine() {
	e := p.attrs
	if len(p.line) == 0 {
		e = p.attributes()
	}
	var b strings.Builder
	for _, c := range p.line {
		b.WriteRune(charmap.CodePage866.DecodeByte(c))
	}
	e.Text = b.String()
	p.line = p.line[:0]
	p.emit(e)
}

func (p *parser) step(b []byte) (int, error) {
	c := b[0]
	switch {
	case c >= 0x20:
		i := 0
		for i < len(b) && b[i] >= 0x20 {
			i++
		}
		if len(p.line) == 0 {
			p.attrs = p.attributes()
		}
		p.line = append(p.line, b[:i]...)
		return i, nil
	case c == lf:
		p.endLine()
		return 1, nil
	case c == '\r':
		return 1, nil
	case c == '\t':
		return p.step([]byte{' '})
	case c == esc:
		return p.escape(b)
	case c == gs:
		return p.group(b)
	case c == fs:
		return p.fsCommand(b)
	case c == dle:
		return p.realtime(b)
	}
	return 0, fmt.Errorf("%w: 0x%02X", ErrUnknownCommand, c)
}

// args checks that the command has n bytes in all.
func args(b []byte, n int) error {
	if len(b) < n {
		return errShort
	}
	return nil
}

func (p *parser) escape(b []byte) (int, error) {
	if err := args(b, 2); err != nil {
		return 0, err
	}
	switch b[1] {
	case '@':
		p.reset()
		p.emit(Element{Kind: KindInit})
		return 2, nil
	case '2':
		return 2, nil
	case 'D': // tab stops, NUL-terminated
		for i := 2; i < len(b); i++ {
			if b[i] == 0 {
				return i + 1, nil
			}
		}
		return 0, errShort
	case 'p':
		if err := args(b, 5); err != nil {
			return 0, err
		}
		p.emit(Element{Kind: KindPulse})
		return 5, nil
	case '$':
		return 4, args(b, 4)
	}
	if err := args(b, 3); err != nil {
		return 0, err
	}
	n := b[2]
	switch b[1] {
	case 't':
		p.emit(Element{Kind: KindCodePage, N: n})
	case 'a':
		p.align = Align(n % 48)
		if p.align > Right {
			p.align = Left
		}
	case 'E':
		p.bold = n&1 == 1
	case '!':
		p.bold, p.h, p.w = n&0x08 != 0, 1+int(n>>4&1), 1+int(n>>5&1)
	case 'd':
		p.flush()
		for range n {
			p.endLine()
		}
	case 'J':
		p.flush()
	case '-', 'G', 'M', 'R', '3', 'V', '{', 'c', 'U', 'r', 'S', 'T':
	default:
		return 0, fmt.Errorf("%w: ESC 0x%02X", ErrUnknownCommand, b[1])
	}
	return 3, nil
}

func (p *parser) fsCommand(b []byte) (int, error) {
	if err := args(b, 2); err != nil {
		return 0, err
	}
	switch b[1] {
	case '.':
		p.emit(Element{Kind: KindCancelKanji})
		return 2, nil
	case '&':
		return 2, nil
	case 'p':
		return 4, args(b, 4)
	}
	return 0, fmt.Errorf("%w: FS 0x%02X", ErrUnknownCommand, b[1])
}

func (p *parser) realtime(b []byte) (int, error) {
	if err := args(b, 3); err != nil {
		return 0, err
	}
	switch b[1] {
	case eot:
		p.emit(Element{Kind: KindStatus, N: b[2]})
		return 3, nil
	case 0x05: // DLE ENQ n: real-time request to the printer
		return 3, nil
	case 0x14: // DLE DC4 fn a b
		return 5, args(b, 5)
	}
	return 0, fmt.Errorf("%w: DLE 0x%02X", ErrUnknownCommand, b[1])
}
