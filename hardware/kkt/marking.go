package kkt

import (
	"context"
	"fmt"
)

// Planned item statuses of FF61 (tag 2003).
const (
	MarkPieceSold        byte = 1
	MarkMeasuredSold     byte = 2
	MarkPieceReturned    byte = 3
	MarkMeasuredReturned byte = 4
	MarkUnchanged        byte = 255
)

// Bits of the check result (tag 2106).
const (
	MarkCheckedByFN  byte = 0x01 // the FN checked the code's crypto tail
	MarkFNPositive   byte = 0x02 // … and found it right
	MarkCheckedByOIS byte = 0x04 // ОИСМ (Честный знак) answered
	MarkOISPositive  byte = 0x08 // … that the item may be sold
)

// MarkCheck is the request of FF61: a marking code (КМ) to check before it is sold.
type MarkCheck struct {
	Code          string // as read by the scanner, GS (0x1D) separators included
	PlannedStatus byte   // tag 2003; MarkPieceSold when zero
	Mode          byte   // tag 2102, always 0 today
	TLV           []TLV  // 2108 and 1023 for a partial sale
}

// MarkResult is the answer of FF61.
type MarkResult struct {
	LocalStatus byte // tag 2004: bit0 checked by the FN, bit1 positive
	LocalReason byte // why the FN did not check: 1 not checkable, 2 no key, 3 no or bad AI 91/92, 4 other
	CodeType    byte // tag 2100
	Online      bool // the answer has the online part below
	OnlineCode  byte // FN code of the online check: 0 done, 0xFF server timeout, 0x20 reason in ServerTLV
	Result      byte // tag 2106
	ServerTLV   []TLV
}

// Positive reports a code the FN found right and that ОИСМ, when it answered, allows to sell.
func (r MarkResult) Positive() bool { return markPositive(r.Result) }

func markPositive(res byte) bool {
	fn := res&(MarkCheckedByFN|MarkFNPositive) == MarkCheckedByFN|MarkFNPositive
	ois := res&MarkCheckedByOIS == 0 || res&MarkOISPositive != 0
	return fn && ois
}

// MarkBinding is the answer of FF67.
type MarkBinding struct {
	CodeType uint16      // recognised code type
	DMType   byte        // 0 КМ88, 1 symmetric, 2 tobacco, 3 КМ44, 0xFF GS1 without marking
	Check    *MarkResult // the check the device ran itself when the code was not checked before; nil else
}

func decodeMarkResult(b []byte) (MarkResult, error) {
	if len(b) < 4 {
		return MarkResult{}, fmt.Errorf("%w: marking check answer of %d bytes", ErrBadFrame, len(b))
	}
	r := MarkResult{LocalStatus: b[0], LocalReason: b[1], CodeType: b[2]}
	if b[3] == 0 {
		return r, nil
	}
	if len(b) < 6 {
		return MarkResult{}, fmt.Errorf("%w: marking check answer of %d bytes", ErrBadFrame, len(b))
	}
	r.Online, r.OnlineCode, r.Result = true, b[4], b[5]
	tlv, err := ParseTLVs(b[6:])
	if err != nil {
		return MarkResult{}, err
	}
	r.ServerTLV = tlv
	return r, nil
}

// CheckMark asks the FN (and, online, ОИСМ) about a marking code (FF61). Then AcceptMark, AddItem and
// BindMark must follow in this order.
func (d *Driver) CheckMark(ctx context.Context, m MarkCheck) (MarkResult, error) {
	if m.PlannedStatus == 0 {
		m.PlannedStatus = MarkPieceSold
	}
	tlv := EncodeTLVs(m.TLV...)
	if len(m.Code) == 0 || len(m.Code) > 255 || len(tlv) > 255 || 2+8+len(m.Code)+len(tlv) > MaxPayload {
		return MarkResult{}, fmt.Errorf("kkt: marking code of %d bytes with %d TLV bytes does not fit a frame",
			len(m.Code), len(tlv))
	}
	p := append(d.pwd(), m.PlannedStatus, m.Mode, byte(len(m.Code)), byte(len(tlv)))
	p = append(p, m.Code...)
	b, err := d.Do(ctx, CmdCheckMark, append(p, tlv...))
	if err != nil {
		return MarkResult{}, err
	}
	return decodeMarkResult(b)
}

// AcceptMark accepts (or rejects) the code checked last (FF69) and returns its tag-2106 result.
func (d *Driver) AcceptMark(ctx context.Context, accept bool) (byte, error) {
	var a byte
	if accept {
		a = 1
	}
	b, err := d.Do(ctx, CmdAcceptMark, append(d.pwd(), a))
	if err != nil {
		return 0, err
	}
	if len(b) < 1 {
		return 0, fmt.Errorf("%w: empty accept answer", ErrBadFrame)
	}
	return b[0], nil
}

// BindMark binds an accepted code to the position added last (FF67).
func (d *Driver) BindMark(ctx context.Context, km string) (MarkBinding, error) {
	if len(km) == 0 || 2+5+len(km) > MaxPayload {
		return MarkBinding{}, fmt.Errorf("kkt: marking code of %d bytes does not fit a frame", len(km))
	}
	p := append(d.pwd(), byte(len(km)))
	b, err := d.Do(ctx, CmdBindMark, append(p, km...))
	if err != nil {
		return MarkBinding{}, err
	}
	if len(b) < 3 {
		return MarkBinding{}, fmt.Errorf("%w: bind answer of %d bytes", ErrBadFrame, len(b))
	}
	r := MarkBinding{CodeType: uint16(le(b[:2])), DMType: b[2]}
	if len(b) >= 7 {
		c, err := decodeMarkResult(b[3:])
		if err != nil {
			return MarkBinding{}, err
		}
		r.Check = &c
	}
	return r, nil
}
