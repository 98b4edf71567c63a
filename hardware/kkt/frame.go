// Package kkt speaks the Shtrih-M fiscal register protocol ("Протокол ККТ", standard low level) over any
// io.ReadWriter: the frame codec, the host side of the link layer (ENQ/ACK/NAK) and a Driver with the
// commands a till needs. It knows nothing of the till's domain types; package emulator beside it is the
// device side of the same protocol.
package kkt

import (
	"errors"
	"fmt"
)

// Control bytes of the link layer.
const (
	ENQ byte = 0x05
	STX byte = 0x02
	ACK byte = 0x06
	NAK byte = 0x15
)

// MaxPayload is the largest LEN a frame can carry (command code plus parameters).
const MaxPayload = 255

// Command is a Shtrih-M command code: one byte (0x10) or two bytes sent big-endian as FF xx (0xFF46).
type Command uint16

// Commands used by the driver and understood by the emulator.
const (
	CmdShortStatus    Command = 0x10
	CmdFullStatus     Command = 0x11
	CmdPrintString    Command = 0x17
	CmdCut            Command = 0x25
	CmdOpenDrawer     Command = 0x28
	CmdXReport        Command = 0x40
	CmdZReport        Command = 0x41
	CmdCashIn         Command = 0x50
	CmdCashOut        Command = 0x51
	CmdCancelReceipt  Command = 0x88
	CmdOpenReceipt    Command = 0x8D
	CmdContinuePrint  Command = 0xB0
	CmdOpenShift      Command = 0xE0
	CmdDeviceType     Command = 0xFC
	CmdFNStatus       Command = 0xFF01
	CmdFNSerial       Command = 0xFF02
	CmdFindDocument   Command = 0xFF0A
	CmdFNOpenShift    Command = 0xFF0B
	CmdSendTLV        Command = 0xFF0C
	CmdBeginOpenShift Command = 0xFF41
	CmdBeginClose     Command = 0xFF42
	CmdFNCloseShift   Command = 0xFF43
	CmdCloseReceipt   Command = 0xFF45
	CmdOperation      Command = 0xFF46
	CmdOperationTLV   Command = 0xFF4D
	CmdCheckMark      Command = 0xFF61
	CmdBindMark       Command = 0xFF67
	CmdAcceptMark     Command = 0xFF69
)

// Size is the number of bytes the code takes in a frame.
func (c Command) Size() int {
	if c > 0xFF {
		return 2
	}
	return 1
}

// Valid reports whether c can be put in a frame: one-byte codes other than 0xFF, or FF xx.
func (c Command) Valid() bool {
	return c < 0xFF || c>>8 == 0xFF
}

func (c Command) String() string {
	if c > 0xFF {
		return fmt.Sprintf("0x%04X", uint16(c))
	}
	return fmt.Sprintf("0x%02X", uint16(c))
}

// Frame is a decoded frame: the command code and the bytes after it (for an answer the first of them is
// the error code).
type Frame struct {
	Command Command
	Data    []byte
}

// ErrBadFrame reports a frame that cannot be encoded or decoded (length, checksum, command code).
var ErrBadFrame = errors.New("kkt: bad frame")

// LRC is the XOR of the given bytes; over LEN and the payload it is the frame checksum.
func LRC(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

// EncodeFrame builds STX, LEN, CMD, data, LRC.
func EncodeFrame(cmd Command, data []byte) ([]byte, error) {
	n, err := payloadLen(cmd, data)
	if err != nil {
		return nil, err
	}
	return appendFrame(make([]byte, 0, n+3), cmd, data, n), nil
}

// AppendFrame appends the frame of cmd and data to dst and returns the extended slice, like EncodeFrame
// but without allocating when dst has room (a link re-using one buffer per command).
func AppendFrame(dst []byte, cmd Command, data []byte) ([]byte, error) {
	n, err := payloadLen(cmd, data)
	if err != nil {
		return dst, err
	}
	return appendFrame(dst, cmd, data, n), nil
}

func payloadLen(cmd Command, data []byte) (int, error) {
	if !cmd.Valid() {
		return 0, fmt.Errorf("%w: invalid command code %v", ErrBadFrame, cmd)
	}
	n := cmd.Size() + len(data)
	if n > MaxPayload {
		return 0, fmt.Errorf("%w: payload of %d bytes exceeds %d", ErrBadFrame, n, MaxPayload)
	}
	return n, nil
}

func appendFrame(dst []byte, cmd Command, data []byte, n int) []byte {
	start := len(dst)
	dst = append(dst, STX, byte(n))
	if cmd > 0xFF {
		dst = append(dst, 0xFF)
	}
	dst = append(dst, byte(cmd))
	dst = append(dst, data...)
	return append(dst, LRC(dst[start+1:]))
}

// DecodeFrame parses a whole frame (STX through LRC). Data is a copy.
func DecodeFrame(b []byte) (Frame, error) {
	if len(b) < 4 || b[0] != STX {
		return Frame{}, fmt.Errorf("%w: no STX or too short (%d bytes)", ErrBadFrame, len(b))
	}
	n := int(b[1])
	if n == 0 || len(b) != n+3 {
		return Frame{}, fmt.Errorf("%w: LEN %d does not match %d bytes", ErrBadFrame, n, len(b))
	}
	if got, want := b[len(b)-1], LRC(b[1:len(b)-1]); got != want {
		return Frame{}, fmt.Errorf("%w: LRC 0x%02X, want 0x%02X", ErrBadFrame, got, want)
	}
	return DecodePayload(b[2 : len(b)-1])
}

// DecodePayload splits the LEN bytes of a frame into the command code and data.
func DecodePayload(p []byte) (Frame, error) {
	if len(p) == 0 {
		return Frame{}, fmt.Errorf("%w: empty payload", ErrBadFrame)
	}
	if p[0] != 0xFF {
		return Frame{Command: Command(p[0]), Data: append([]byte{}, p[1:]...)}, nil
	}
	if len(p) < 2 {
		return Frame{}, fmt.Errorf("%w: truncated two-byte command", ErrBadFrame)
	}
	return Frame{Command: 0xFF00 | Command(p[1]), Data: append([]byte{}, p[2:]...)}, nil
}
