package fiscal

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// defaultTextWidth is the characters a 57 mm roll prints on a line in the device's first font.
const defaultTextWidth = 36

// printOffer prints a line's personal offer text under its positions: the position shows only the
// discounted price (tag 1079 is the price after discounts), the text says why. It is a non-fiscal text line
// (0x17, print string, on the receipt tape) inside the open receipt, as the vendor's JavaPOS driver prints a
// receipt's messages between its positions (FSSalesReceipt.printReceiptItems); it reaches neither the ФН
// nor the ОФД. A device that refuses the line leaves the receipt as it was, so the sale goes on without
// it; a link failure stops the receipt like any other command's.
func (r *Register) printOffer(ctx context.Context, text string) error {
	for _, line := range textLines(text, min(r.cfg.TextWidth, r.drv.LineWidth())) {
		err := r.paper(ctx, func() error { return r.drv.PrintLine(ctx, line, kkt.PrintReceipt) })
		var de *kkt.DeviceError
		if errors.As(err, &de) {
			return nil
		}
		if err != nil {
			return mapErr("print offer text", err)
		}
	}
	return nil
}

// printable replaces the characters a CRM's text may hold that Windows-1251 (the device's code page)
// lacks, which the device would print as '?'.
var printable = strings.NewReplacer("−", "-", "‐", "-", "‑", "-", "‒", "-", "₽", "руб.")

// textLines word-wraps text into lines of at most width characters, each indented by two spaces like the
// lines of a position; a word longer than a line is cut. Whitespace (line breaks included) separates words.
func textLines(text string, width int) []string {
	const indent = "  "
	room := width - len(indent)
	if room <= 0 {
		return nil
	}
	var out []string
	var cur strings.Builder
	n := 0 // characters in cur
	flush := func() {
		if n > 0 {
			out = append(out, indent+cur.String())
			cur.Reset()
			n = 0
		}
	}
	for _, w := range strings.Fields(printable.Replace(text)) {
		wn := utf8.RuneCountInString(w)
		if n > 0 && n+1+wn > room {
			flush()
		}
		for wn > room { // a word longer than a line: as much as fits, the rest on the next ones
			r := []rune(w)
			out = append(out, indent+string(r[:room]))
			w, wn = string(r[room:]), wn-room
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wn
	}
	flush()
	return out
}
