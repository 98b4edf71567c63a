package emulator

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// ParseFaults reads a fault script: one fault per line, `kind key=value …`, blank lines and everything
// after `#` ignored. See the package doc for the kinds and their keys.
func ParseFaults(r io.Reader) ([]Fault, error) {
	sc := bufio.NewScanner(r)
	var out []Fault
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f, err := ParseFault(line)
		if err != nil {
			return nil, fmt.Errorf("emulator: fault script line %d: %w", n, err)
		}
		out = append(out, f)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("emulator: fault script: %w", err)
	}
	return out, nil
}

// ParseFault reads one script line, e.g. "power-loss cmd=FF45 nth=1 down=2s".
func ParseFault(line string) (Fault, error) {
	line, _, _ = strings.Cut(line, "#")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return Fault{}, errors.New("empty fault")
	}
	var f Fault
	for k, name := range faultNames {
		if name == fields[0] {
			f.Kind = k
		}
	}
	if f.Kind == 0 {
		return Fault{}, fmt.Errorf("unknown fault %q", fields[0])
	}
	seen := map[string]bool{}
	for _, kv := range fields[1:] {
		key, val, ok := strings.Cut(kv, "=")
		switch {
		case !ok || val == "":
			return Fault{}, fmt.Errorf("%s: %q is not key=value", f.Kind, kv)
		case !takes(f.Kind, key):
			return Fault{}, fmt.Errorf("%s takes no %q (it takes %s)", f.Kind, key, strings.Join(faultKeys[f.Kind], ", "))
		case seen[key]:
			return Fault{}, fmt.Errorf("%s: %s given twice", f.Kind, key)
		}
		seen[key] = true
		if err := f.set(key, val); err != nil {
			return Fault{}, fmt.Errorf("%s: %s: %w", f.Kind, key, err)
		}
	}
	if err := f.Validate(); err != nil {
		return Fault{}, err
	}
	return f, nil
}

// set parses one parameter into its field.
func (f *Fault) set(key, val string) error {
	var err error
	switch key {
	case "cmd":
		var v uint64
		v, err = strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(val, "0x"), "0X"), 16, 16)
		if err == nil && v == 0 {
			err = errors.New("0 is not a command code")
		}
		f.Cmd = kkt.Command(v)
	case "nth":
		f.Nth, err = parseInt(val, maxFaultCount)
	case "count":
		f.Count, err = parseInt(val, maxFaultCount)
	case "line":
		f.Lines, err = parseInt(val, 1<<30)
	case "ms":
		var ms int
		ms, err = parseInt(val, int(maxByteDelay/time.Millisecond))
		f.Delay = time.Duration(ms) * time.Millisecond
	case "down":
		f.Down, err = time.ParseDuration(val)
	case "flags":
		f.Flags, err = parseByte(val)
	case "code":
		f.Code, err = parseByte(val)
	case "status":
		f.Status, err = parseByte(val)
	case "gtin":
		f.GTIN, err = parseGTIN(val)
	}
	return err
}

// parseNum reads a decimal number or a hexadecimal one with 0x.
func parseNum(s string, bits int) (uint64, error) {
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		return strconv.ParseUint(h, 16, bits)
	}
	return strconv.ParseUint(s, 10, bits)
}

func parseInt(s string, limit int) (int, error) {
	v, err := parseNum(s, 32)
	if err != nil {
		return 0, err
	}
	if v > uint64(limit) {
		return 0, fmt.Errorf("%d over %d", v, limit)
	}
	return int(v), nil
}

func parseByte(s string) (byte, error) {
	v, err := parseNum(s, 8)
	return byte(v), err
}

// parseGTIN takes a GTIN of 8 to 14 digits (an EAN-13 as printed under the barcode) as the 14 digits of
// a marking code's AI 01.
func parseGTIN(s string) (string, error) {
	if len(s) < 8 || len(s) > 14 || strings.Trim(s, "0123456789") != "" {
		return "", fmt.Errorf("%q is not a GTIN of 8 to 14 digits", s)
	}
	return strings.Repeat("0", 14-len(s)) + s, nil
}
