package scanner

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// Marking codes as a serial scanner sends them (GS as \x1d), after PROTOCOLS.md §6.
const (
	shoes = "0104690257528523" + "21G+mgsHw<DiLN_" + "\x1d91EE05" + "\x1d92" +
		"sOe6fy7Pw0/QzR1l3uVj+HkNxY8aTqB5dCmK2sLgEi4="
	water       = "0104640043463309" + "215UWtYHQ3hiHnm" + "\x1d93dGVz"
	tobaccoPack = "04606203084623" + "-UQ5y6%" + "AAAB" + "6jLF"
)

// result is one Next outcome: a Scan, or an error it must wrap.
type result struct {
	scan Scan
	err  error
}

func scan(raw string) result {
	sym, data := SplitAIM(raw)
	return result{scan: Scan{Symbology: sym, Data: data, Raw: raw}}
}

var readerCases = []struct {
	name string
	cfg  Config
	in   string
	want []result // followed by io.EOF
}{
	{name: "CR LF", in: "4607001771401\r\n46009333\r\n", want: []result{scan("4607001771401"), scan("46009333")}},
	{name: "CR", in: "4607001771401\r46009333\r", want: []result{scan("4607001771401"), scan("46009333")}},
	{name: "LF", in: "4607001771401\n46009333\n", want: []result{scan("4607001771401"), scan("46009333")}},
	{name: "mixed and empty lines", in: "\r\n\r\n]E04607001771401\n\n\r\r\n46009333\r\n",
		want: []result{scan("]E04607001771401"), scan("46009333")}},
	{name: "marking code with GS and AIM", in: "]d2" + shoes + "\r\n" + "]d2" + water + "\r\n",
		want: []result{{scan: Scan{Symbology: "]d2", Data: shoes, Raw: "]d2" + shoes}}, {scan: Scan{Symbology: "]d2", Data: water, Raw: "]d2" + water}}}},
	{name: "AIM identifiers", in: "]Q3t=20170324T2053&s=200.00\r\n]C1" + water + "\r\n]E00036000291452\r\n]d1" + tobaccoPack + "\r\n",
		want: []result{
			{scan: Scan{Symbology: "]Q3", Data: "t=20170324T2053&s=200.00", Raw: "]Q3t=20170324T2053&s=200.00"}},
			{scan: Scan{Symbology: "]C1", Data: water, Raw: "]C1" + water}},
			{scan: Scan{Symbology: "]E0", Data: "0036000291452", Raw: "]E00036000291452"}},
			{scan: Scan{Symbology: "]d1", Data: tobaccoPack, Raw: "]d1" + tobaccoPack}},
		}},
	{name: "no AIM", in: water + "\n", want: []result{{scan: Scan{Data: water, Raw: water}}}},
	{name: "bracket without AIM", in: "]1\r\n", want: []result{{scan: Scan{Data: "]1", Raw: "]1"}}}},
	{name: "custom suffix tab", cfg: Config{Suffix: "\t"}, in: "123\r\n456\t789\t",
		want: []result{scan("123\r\n456"), scan("789")}},
	{name: "custom suffix two bytes", cfg: Config{Suffix: "\x03\x04"}, in: "12\x0334\x03\x04\x03\x04" + water + "\x03\x04",
		want: []result{scan("12\x0334"), scan(water)}},
	{name: "max length", cfg: Config{MaxLen: 13}, in: "4607001771401\r\n46070017714011234\r\n46009333\r\n",
		want: []result{scan("4607001771401"), {err: ErrTooLong}, scan("46009333")}},
	{name: "max length with suffix", cfg: Config{MaxLen: 4, Suffix: "\x03\x04"}, in: "1234\x03\x04123456789\x03\x04" + "12\x03\x04",
		want: []result{scan("1234"), {err: ErrTooLong}, scan("12")}},
	{name: "unterminated tail", in: "46009333\r\n4607001", want: []result{scan("46009333"), {err: ErrIncomplete}}},
	{name: "empty", in: ""},
}

func TestReader(t *testing.T) {
	for _, tc := range readerCases {
		for _, split := range []struct {
			name string
			wrap func(io.Reader) io.Reader
		}{
			{"whole", func(r io.Reader) io.Reader { return r }},
			{"byte by byte", iotest.OneByteReader},
		} {
			t.Run(tc.name+"/"+split.name, func(t *testing.T) {
				r := NewReader(split.wrap(strings.NewReader(tc.in)), tc.cfg)
				for i, want := range tc.want {
					got, err := r.Next(context.Background())
					if want.err != nil {
						if !errors.Is(err, want.err) {
							t.Fatalf("Next #%d = %+v, %v; want %v", i, got, err, want.err)
						}
						continue
					}
					if err != nil || got != want.scan {
						t.Fatalf("Next #%d = %+v, %v; want %+v", i, got, err, want.scan)
					}
				}
				if got, err := r.Next(context.Background()); err != io.EOF {
					t.Fatalf("Next after the last line = %+v, %v; want io.EOF", got, err)
				}
			})
		}
	}
}

// A reader without deadlines (a pipe) still honours ctx and LineTimeout, through its read goroutine.
func TestReaderPipe(t *testing.T) {
	pr, pw := io.Pipe()
	defer pr.Close()
	r := NewReader(pr, Config{LineTimeout: 50 * time.Millisecond})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next on a cancelled ctx = %v, want context.Canceled", err)
	}
	// The read started before the cancel is still in flight and delivers these bytes.
	go func() {
		io.WriteString(pw, "]d2"+water[:10])
	}()
	if _, err := r.Next(context.Background()); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("Next after half a code = %v, want ErrIncomplete", err)
	}
	go func() {
		io.WriteString(pw, "]d2"+water+"\r\n")
		pw.Close()
	}()
	got, err := r.Next(context.Background())
	if err != nil || got.Data != water || got.Symbology != "]d2" {
		t.Fatalf("Next = %+v, %v; want the whole code", got, err)
	}
	if _, err := r.Next(context.Background()); err != io.EOF {
		t.Fatalf("Next at the end = %v, want io.EOF", err)
	}
}

func FuzzReader(f *testing.F) {
	for _, tc := range readerCases {
		f.Add(tc.in, tc.cfg.Suffix, tc.cfg.MaxLen)
	}
	f.Fuzz(func(t *testing.T, in, suffix string, maxLen int) {
		if maxLen > 1<<16 || maxLen < 0 {
			return
		}
		r := NewReader(strings.NewReader(in), Config{Suffix: suffix, MaxLen: maxLen})
		limit := r.cfg.MaxLen
		for range len(in) + 1 {
			s, err := r.Next(context.Background())
			if err == io.EOF {
				return
			}
			if errors.Is(err, ErrTooLong) || errors.Is(err, ErrIncomplete) {
				continue
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if s.Raw == "" || s.Symbology+s.Data != s.Raw || len(s.Raw) > limit || !strings.Contains(in, s.Raw) {
				t.Fatalf("Next = %+v from %q: inconsistent", s, in)
			}
			if suffix == "" && strings.ContainsAny(s.Raw, "\r\n") || suffix != "" && strings.Contains(s.Raw, suffix) {
				t.Fatalf("Next = %+v kept a line end", s)
			}
		}
		t.Fatalf("Next did not reach io.EOF on %q", in)
	})
}
