// Package scale reads a checkout scale that speaks Massa-K «Протокол 100» over any io.ReadWriter (a serial
// port in production): the frame codec, a Scale with Weight and StableWeight, and an Emulator of the device
// side for tests and demos. It knows nothing of the till's domain types: weights are integer grams.
//
// Every fact about the wire is kept in this file. Where it comes from:
//   - frame F8 55 CE, LEN (uint16 little-endian, bytes of command plus data), command, data, CRC (uint16
//     little-endian over command and data): the vendor's protocol description (Massa-K, «Протокол 100»,
//     Мк.2.790.237РЭ) as quoted by several independent open-source drivers; checked against their captured
//     frames in frame_test.go.
//   - the CRC is the vendor's own routine (polynomial 0x1021, initial value 0, each byte XORed in at the low
//     end after the shift, no final XOR). It is not CRC-16/XMODEM: for the one-byte body 23 it gives 0x0023.
//   - CMD_GET_MASSA 0x23 → CMD_ACK_MASSA 0x24: weight int32 LE, division (0 = 0.1 g, 1 = 1 g, 2 = 10 g,
//     3 = 100 g, 4 = 1 kg; the weight counts these units), stable, net, zero flags, then on newer firmware
//     the tare as int32 LE (a 9- or 13-byte body).
//   - CMD_ERROR 0x28 with one error code (table in errors.go); CMD_NACK 0xF0 for a command the scale does
//     not know.
//
// Unverified (no public source states it; kept here so that a device test can settle it): that a scale
// over its maximum answers CMD_GET_MASSA with CMD_ERROR code 0x08 rather than a weight; how a scale reacts
// to a request with a bad CRC (the emulator stays silent); the largest LEN a scale sends (MaxBody bounds
// what this package accepts).
package scale

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Header opens every frame in both directions.
var Header = [3]byte{0xF8, 0x55, 0xCE}

// Command codes of «Протокол 100» used here.
const (
	CmdGetMassa byte = 0x23 // request: weight, division, flags
	CmdAckMassa byte = 0x24 // answer to CmdGetMassa
	CmdError    byte = 0x28 // answer: the command failed, one byte of error code follows
	CmdNack     byte = 0xF0 // answer: unknown command
)

// Division codes of CMD_ACK_MASSA: the unit the weight is counted in.
const (
	Div100mg byte = 0
	Div1g    byte = 1
	Div10g   byte = 2
	Div100g  byte = 3
	Div1kg   byte = 4
)

// MaxBody bounds LEN: no answer this package uses comes near it, and a corrupt LEN must not make the reader
// wait for 64 KiB.
const MaxBody = 512

// overhead is the header, LEN and CRC around the body.
const overhead = len(Header) + 2 + 2

// massaBody and massaTareBody are the two CMD_ACK_MASSA sizes, command byte included.
const (
	massaBody     = 9
	massaTareBody = 13
)

// ErrBadFrame reports bytes that are not a well-formed frame or answer (header, LEN, CRC, layout).
var ErrBadFrame = errors.New("scale: bad frame")

// Frame is a decoded frame: the command code and the bytes after it.
type Frame struct {
	Command byte
	Data    []byte
}

// CRC16 is the checksum of «Протокол 100» over command and data.
func CRC16(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		var acc uint16
		hi := crc >> 8 << 8
		for range 8 {
			if (hi^acc)&0x8000 != 0 {
				acc = acc<<1 ^ 0x1021
			} else {
				acc <<= 1
			}
			hi <<= 1
		}
		crc = acc ^ crc<<8 ^ uint16(c)
	}
	return crc
}

// EncodeFrame builds header, LEN, command, data, CRC.
func EncodeFrame(cmd byte, data []byte) ([]byte, error) {
	n := 1 + len(data)
	if n > MaxBody {
		return nil, fmt.Errorf("%w: body of %d bytes exceeds %d", ErrBadFrame, n, MaxBody)
	}
	out := make([]byte, 0, n+overhead)
	out = append(out, Header[:]...)
	out = binary.LittleEndian.AppendUint16(out, uint16(n))
	out = append(out, cmd)
	out = append(out, data...)
	return binary.LittleEndian.AppendUint16(out, CRC16(out[len(Header)+2:])), nil
}

// bodyLen validates the five bytes of header and LEN and returns LEN.
func bodyLen(head []byte) (int, error) {
	if len(head) < len(Header)+2 || [3]byte(head[:3]) != Header {
		return 0, fmt.Errorf("%w: no F8 55 CE header", ErrBadFrame)
	}
	n := int(binary.LittleEndian.Uint16(head[3:5]))
	if n == 0 || n > MaxBody {
		return 0, fmt.Errorf("%w: LEN %d out of range 1..%d", ErrBadFrame, n, MaxBody)
	}
	return n, nil
}

// DecodeFrame parses one whole frame. Data is a copy.
func DecodeFrame(b []byte) (Frame, error) {
	n, err := bodyLen(b)
	if err != nil {
		return Frame{}, err
	}
	if len(b) != n+overhead {
		return Frame{}, fmt.Errorf("%w: LEN %d does not match %d bytes", ErrBadFrame, n, len(b))
	}
	body := b[5 : 5+n]
	if got, want := binary.LittleEndian.Uint16(b[5+n:]), CRC16(body); got != want {
		return Frame{}, fmt.Errorf("%w: CRC 0x%04X, want 0x%04X", ErrBadFrame, got, want)
	}
	return Frame{Command: body[0], Data: append([]byte{}, body[1:]...)}, nil
}

// Massa is the data of CMD_ACK_MASSA as sent.
type Massa struct {
	Weight   int32 // in units of Division
	Division byte
	Stable   bool
	Net      bool // the scale shows NET: a tare is subtracted
	Zero     bool // the scale shows >0<
	HasTare  bool // the 13-byte form, with Tare
	Tare     int32
}

// DecodeMassa parses the data of a CMD_ACK_MASSA frame (the bytes after the command code).
func DecodeMassa(data []byte) (Massa, error) {
	if len(data) != massaBody-1 && len(data) != massaTareBody-1 {
		return Massa{}, fmt.Errorf("%w: CMD_ACK_MASSA with %d data bytes, want 8 or 12", ErrBadFrame, len(data))
	}
	m := Massa{
		Weight:   int32(binary.LittleEndian.Uint32(data[0:4])),
		Division: data[4],
		Stable:   data[5] != 0,
		Net:      data[6] != 0,
		Zero:     data[7] != 0,
	}
	if m.Division > Div1kg {
		return Massa{}, fmt.Errorf("%w: unknown division code %d", ErrBadFrame, m.Division)
	}
	if len(data) == massaTareBody-1 {
		m.HasTare, m.Tare = true, int32(binary.LittleEndian.Uint32(data[8:12]))
	}
	return m, nil
}

// Encode is the inverse of DecodeMassa.
func (m Massa) Encode() []byte {
	out := binary.LittleEndian.AppendUint32(make([]byte, 0, massaTareBody-1), uint32(m.Weight))
	out = append(out, m.Division, flag(m.Stable), flag(m.Net), flag(m.Zero))
	if m.HasTare {
		out = binary.LittleEndian.AppendUint32(out, uint32(m.Tare))
	}
	return out
}

func flag(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// Grams converts Weight to whole grams, rounding a 0.1 g division half away from zero.
func (m Massa) Grams() int64 { return toGrams(int64(m.Weight), m.Division) }

// TareGrams converts Tare to whole grams like Grams.
func (m Massa) TareGrams() int64 { return toGrams(int64(m.Tare), m.Division) }

func toGrams(v int64, div byte) int64 {
	switch div {
	case Div100mg:
		if v < 0 {
			return -((-v + 5) / 10)
		}
		return (v + 5) / 10
	case Div10g:
		return v * 10
	case Div100g:
		return v * 100
	case Div1kg:
		return v * 1000
	}
	return v
}
