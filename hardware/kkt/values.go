package kkt

import (
	"fmt"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// putLE appends v as an n-byte little-endian integer.
func putLE(b []byte, v uint64, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// le reads an up to 8-byte little-endian unsigned integer.
func le(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// putMoney appends a 5-byte amount; it refuses negatives and values over 2^40-1 kopecks.
func putMoney(b []byte, v int64) ([]byte, error) {
	if v < 0 || v >= 1<<40 {
		return nil, fmt.Errorf("kkt: amount %d out of range", v)
	}
	return putLE(b, uint64(v), 5), nil
}

// putDateTime appends the FN date-time YY MM DD hh mm of t's wall clock.
func putDateTime(b []byte, t time.Time) []byte {
	return append(b, byte(t.Year()%100), byte(t.Month()), byte(t.Day()), byte(t.Hour()), byte(t.Minute()))
}

// parseDateTime reads YY MM DD hh mm (years 2000–2099) in loc.
func parseDateTime(b []byte, loc *time.Location) (time.Time, error) {
	if len(b) < 5 {
		return time.Time{}, fmt.Errorf("%w: short date-time", ErrBadFrame)
	}
	y, m, d, hh, mm := int(b[0]), int(b[1]), int(b[2]), int(b[3]), int(b[4])
	if m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 {
		return time.Time{}, fmt.Errorf("%w: bad date-time % X", ErrBadFrame, b[:5])
	}
	return time.Date(2000+y, time.Month(m), d, hh, mm, 0, 0, loc), nil
}

// encodeText converts UTF-8 to Windows-1251, cut to max bytes; runes without a cp1251 form become '?'.
func encodeText(s string, max int) []byte {
	enc := charmap.Windows1251
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if len(out) == max {
			break
		}
		c, ok := enc.EncodeRune(r)
		if !ok {
			c = '?'
		}
		out = append(out, c)
	}
	return out
}

// decodeText converts Windows-1251 to UTF-8, stopping at the first NUL (fixed fields are zero-padded).
func decodeText(b []byte) string {
	out := make([]rune, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		out = append(out, charmap.Windows1251.DecodeByte(c))
	}
	return string(out)
}

// EncodeText is the cp1251 form of s cut to max bytes, as the device prints it.
func EncodeText(s string, max int) []byte { return encodeText(s, max) }

// DecodeText is the UTF-8 form of cp1251 bytes, up to the first NUL.
func DecodeText(b []byte) string { return decodeText(b) }
