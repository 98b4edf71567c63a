package barcode

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/kassa-pos/kassa/pos"
)

// maxTextLen is well above the largest QR code (7089 digits) and DataMatrix (3116 digits) payloads:
// anything longer is a stuck key or a paste accident, not a scan.
const maxTextLen = 8 << 10

// Recognizer claims the texts of one kind of code. It gets the text already trimmed and without its AIM
// symbology identifier. It returns ok=false, and no error, for text that is not its kind; ok=true with a
// Code when it is; and an error when the text is its kind but broken (a bad checksum, a missing field).
// An error claims the text even with ok=false. Errors should wrap pos.ErrInvalidBarcode; other errors are
// wrapped in it by the Classifier so that the till can always map them to a message.
type Recognizer func(text string) (Code, bool, error)

// Classifier turns scanner and keyboard text into a Code. It is safe for concurrent use, including
// Register while another goroutine classifies.
type Classifier struct {
	labels labels

	mu          sync.RWMutex
	recognizers []Recognizer
	repair      WedgeRepair
}

// builtin recognizers run after the registered ones: marking codes and receipt QR codes (returns) are
// part of every till's job.
var builtin = [...]Recognizer{recognizeMarking, recognizeReceiptQR, recognizeBasketQR}

// NewClassifier returns a Classifier that reads in-store labels laid out as w, and marking codes (see
// MarkingRecognizer) and receipt QR codes (see ReceiptQRRecognizer) without any registration. The layout must be valid:
// check it with w.Validate when it comes from settings. NewClassifier panics on an invalid layout, as a
// wiring bug, so that it stops the till at start-up rather than misreading the first weighed item.
func NewClassifier(w WeightLayout) *Classifier {
	l, err := compile(w)
	if err != nil {
		panic("barcode.NewClassifier: " + err.Error())
	}
	return &Classifier{labels: l}
}

// Register adds r to the recognizers tried, in registration order, before the built-in marking code
// and numeric ones, so a store can override them. A nil r is ignored.
func (c *Classifier) Register(r Recognizer) {
	if r == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recognizers = append(c.recognizers, r)
}

// SetWedgeRepair makes Classify repair keyboard-wedge text with w first (see WedgeRepair); the zero
// WedgeRepair turns repair off again.
func (c *Classifier) SetWedgeRepair(w WedgeRepair) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.repair = w
}

// Classify turns text into a Code. It trims spaces and the trailing CR/LF of keyboard wedges, applies
// the wedge repair when one is set, strips an AIM symbology identifier ("]E0", "]d2", …), offers the
// text to the registered recognizers, to the marking code one (GS1 DataMatrix, Kind KindMarking) and to
// the receipt QR one (Kind KindReceiptQR), and then reads it as:
//   - 13 digits: a weight label when its prefix is in the layout, otherwise an EAN-13;
//   - 12 digits: a UPC-A; 8 digits: an EAN-8;
//   - 1–7 digits: an article number or PLU typed by the cashier.
//
// A wrong check digit, or a label with a zero weight or price, gives an *Error wrapping
// pos.ErrInvalidBarcode; text nothing recognises gives one
// wrapping pos.ErrUnknownBarcode. When the repaired text is unknown but differs from the input (a
// Russian word the layout repair turned into Latin garbage) the input is classified as it came.
func (c *Classifier) Classify(text string) (Code, error) {
	if len(text) > maxTextLen {
		return Code{}, newError(text, pos.ErrUnknownBarcode, fmt.Sprintf("%d bytes is too long for a code", len(text)))
	}
	text = strings.TrimSpace(text)
	c.mu.RLock()
	w := c.repair
	c.mu.RUnlock()
	if fixed := w.Repair(text); fixed != text {
		code, err := c.classify(fixed)
		if !errors.Is(err, pos.ErrUnknownBarcode) {
			return code, err
		}
	}
	return c.classify(text)
}

func (c *Classifier) classify(text string) (Code, error) {
	sym, s := splitAIM(text)
	if s == "" {
		return Code{}, newError(text, pos.ErrUnknownBarcode, "empty input")
	}
	code, ok, err := c.tryRecognizers(s)
	if !ok {
		code, err = c.numeric(s)
	}
	if err != nil {
		return Code{}, err
	}
	code.Symbology = sym
	return code, nil
}

func (c *Classifier) tryRecognizers(s string) (Code, bool, error) {
	c.mu.RLock()
	rs := c.recognizers
	c.mu.RUnlock()
	// Register only writes beyond len(rs), so the snapshot is read unlocked: a recognizer may then be
	// slow, or even call Register, without blocking other scans.
	for _, list := range [...][]Recognizer{rs, builtin[:]} {
		for _, r := range list {
			code, ok, err := r(s)
			if err != nil {
				return Code{}, true, recognizerError(s, err)
			}
			if ok {
				if code.Raw == "" {
					code.Raw = s
				}
				return code, true, nil
			}
		}
	}
	return Code{}, false, nil
}

// recognizerError makes sure a recognizer's error carries the text and a barcode sentinel.
func recognizerError(s string, err error) error {
	var e *Error
	if errors.As(err, &e) &&
		(errors.Is(err, pos.ErrInvalidBarcode) || errors.Is(err, pos.ErrUnknownBarcode)) {
		return err
	}
	if errors.Is(err, pos.ErrInvalidBarcode) || errors.Is(err, pos.ErrUnknownBarcode) {
		return newError(s, err, "")
	}
	return newError(s, fmt.Errorf("%w: %w", pos.ErrInvalidBarcode, err), "")
}

func (c *Classifier) numeric(s string) (Code, error) {
	if !allDigits(s) {
		return Code{}, newError(s, pos.ErrUnknownBarcode, "not a code the till knows")
	}
	switch n := len(s); {
	case n == 13:
		if e := checkError(s, "EAN-13"); e != nil {
			return Code{}, e
		}
		if c.labels.matches(s) {
			return c.labels.decode(s)
		}
		return Code{Kind: KindEAN13, Raw: s, GTIN: s}, nil
	case n == 12:
		if e := checkError(s, "UPC-A"); e != nil {
			return Code{}, e
		}
		return Code{Kind: KindUPCA, Raw: s, GTIN: "0" + s}, nil
	case n == 8:
		if e := checkError(s, "EAN-8"); e != nil {
			return Code{}, e
		}
		return Code{Kind: KindEAN8, Raw: s, GTIN: s}, nil
	case n <= 7:
		return Code{Kind: KindArticle, Raw: s, Item: s}, nil
	default:
		return Code{}, newError(s, pos.ErrUnknownBarcode, strconv.Itoa(n)+" digits is not a known code length")
	}
}

// splitAIM separates an AIM symbology identifier (ISO/IEC 15424: "]", a symbology letter, a modifier
// character) from the data that follows it.
func splitAIM(s string) (sym, data string) {
	if len(s) >= 3 && s[0] == ']' && isLetter(s[1]) && (isLetter(s[2]) || s[2] >= '0' && s[2] <= '9') {
		return s[:3], s[3:]
	}
	return "", s
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' }
