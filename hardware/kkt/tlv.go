package kkt

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// ФФД tags the driver builds values for (PROTOCOLS.md §5.2).
const (
	TagBuyerContact  uint16 = 1008 // телефон или электронный адрес покупателя
	TagCashierName   uint16 = 1021 // кассир
	TagQuantity      uint16 = 1023 // количество, FVLN
	TagCashierINN    uint16 = 1203 // ИНН кассира
	TagMeasure       uint16 = 2108 // мера количества
	TagOISMStatus    uint16 = 2109 // ответ ОИСМ о статусе товара
	TagMarkCheckCode uint16 = 2105 // коды обработки запроса
)

// MaxTLVBytes is the most TLV data one FF0C or FF4D carries: the protocol allows 250, but a frame (255 bytes
// with the 2-byte code and the password) has room for 249.
const MaxTLVBytes = MaxPayload - 2 - 4

// ErrTLVTooLong: a TLV does not fit one FF0C/FF4D command (MaxTLVBytes).
var ErrTLVTooLong = errors.New("kkt: TLV longer than one command carries")

// TLV is one ФФД attribute as FF0C/FF4D carry it: tag and length as uint16 LE, then the value.
type TLV struct {
	Tag   uint16
	Value []byte
}

// Len is the encoded size of t.
func (t TLV) Len() int { return 4 + len(t.Value) }

// AppendTo appends the encoded t to b.
func (t TLV) AppendTo(b []byte) []byte {
	b = putLE(b, uint64(t.Tag), 2)
	b = putLE(b, uint64(len(t.Value)), 2)
	return append(b, t.Value...)
}

// EncodeTLVs concatenates encoded TLVs.
func EncodeTLVs(tlvs ...TLV) []byte {
	var b []byte
	for _, t := range tlvs {
		b = t.AppendTo(b)
	}
	return b
}

// ParseTLVs splits encoded TLVs; values alias b.
func ParseTLVs(b []byte) ([]TLV, error) {
	var out []TLV
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, fmt.Errorf("%w: TLV header of %d bytes", ErrBadFrame, len(b))
		}
		n := int(le(b[2:4]))
		if len(b) < 4+n {
			return nil, fmt.Errorf("%w: TLV %d wants %d bytes, %d left", ErrBadFrame, le(b[:2]), n, len(b)-4)
		}
		out = append(out, TLV{Tag: uint16(le(b[:2])), Value: b[4 : 4+n]})
		b = b[4+n:]
	}
	return out, nil
}

// StringTLV is a string attribute in CP866, as the FN stores them; runes without a CP866 form become '?'.
func StringTLV(tag uint16, s string, max int) TLV {
	v := make([]byte, 0, len(s))
	for _, r := range s {
		if len(v) == max {
			break
		}
		c, ok := charmap.CodePage866.EncodeRune(r)
		if !ok {
			c = '?'
		}
		v = append(v, c)
	}
	return TLV{Tag: tag, Value: v}
}

// String decodes a CP866 string value.
func (t TLV) String() string {
	out := make([]rune, 0, len(t.Value))
	for _, c := range t.Value {
		out = append(out, charmap.CodePage866.DecodeByte(c))
	}
	return string(out)
}

// ByteTLV is a one-byte attribute.
func ByteTLV(tag uint16, v byte) TLV { return TLV{Tag: tag, Value: []byte{v}} }

// VLN is an unsigned integer attribute in the fewest little-endian bytes (at least one).
func VLN(tag uint16, v uint64) TLV { return TLV{Tag: tag, Value: vln(nil, v)} }

func vln(b []byte, v uint64) []byte {
	for {
		b = append(b, byte(v))
		v >>= 8
		if v == 0 {
			return b
		}
	}
}

// FVLN is a decimal attribute: the number of digits after the point, then the integer mantissa as VLN
// (FVLN(1023, 1000000, 6) is 1.000000).
func FVLN(tag uint16, mantissa uint64, point byte) TLV {
	return TLV{Tag: tag, Value: vln([]byte{point}, mantissa)}
}

// UnixTime is a date-time attribute: seconds since 1970 of t's wall clock taken as UTC, as the FN counts.
func UnixTime(tag uint16, t time.Time) TLV {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return TLV{Tag: tag, Value: putLE(nil, uint64(wall.Unix()), 4)}
}

// CashierName is tag 1021 (up to 64 characters).
func CashierName(name string) TLV { return StringTLV(TagCashierName, name, 64) }

// BuyerContact is tag 1008, the buyer's phone (+7…) or e-mail for the electronic receipt (up to 64 characters).
func BuyerContact(s string) TLV { return StringTLV(TagBuyerContact, s, 64) }

// CashierINN is tag 1203: a person's INN, 12 digits.
func CashierINN(inn string) (TLV, error) {
	if len(inn) != 12 {
		return TLV{}, fmt.Errorf("kkt: cashier INN %q is not 12 digits", inn)
	}
	for _, c := range inn {
		if c < '0' || c > '9' {
			return TLV{}, fmt.Errorf("kkt: cashier INN %q is not 12 digits", inn)
		}
	}
	return StringTLV(TagCashierINN, inn, 12), nil
}

// packTLVs groups encoded TLVs into command payloads of at most MaxTLVBytes; a TLV never straddles two.
func packTLVs(tlvs []TLV) ([][]byte, error) {
	var out [][]byte
	var cur []byte
	for _, t := range tlvs {
		if t.Len() > MaxTLVBytes {
			return nil, fmt.Errorf("tag %d of %d bytes: %w", t.Tag, t.Len(), ErrTLVTooLong)
		}
		if len(cur)+t.Len() > MaxTLVBytes {
			out, cur = append(out, cur), nil
		}
		cur = t.AppendTo(cur)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// SendTLV adds receipt-level attributes to the open document (FF0C), several commands when they exceed
// MaxTLVBytes. Sent with no receipt open they go to the next document (the cashier of a shift report).
func (d *Driver) SendTLV(ctx context.Context, tlvs ...TLV) error {
	return d.sendTLV(ctx, CmdSendTLV, tlvs)
}

// SendOperationTLV adds attributes to the last position of the receipt (FF4D).
func (d *Driver) SendOperationTLV(ctx context.Context, tlvs ...TLV) error {
	return d.sendTLV(ctx, CmdOperationTLV, tlvs)
}

func (d *Driver) sendTLV(ctx context.Context, cmd Command, tlvs []TLV) error {
	chunks, err := packTLVs(tlvs)
	if err != nil {
		return err
	}
	for _, c := range chunks {
		if _, err := d.Do(ctx, cmd, append(d.pwd(), c...)); err != nil {
			return err
		}
	}
	return nil
}
