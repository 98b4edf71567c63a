package scale

import (
	"bytes"
	"testing"
)

// FuzzEmulator feeds arbitrary bytes, in two chunks, to the emulated scale as a host would send them over
// the line: it never panics, every answer it writes is a well-formed frame, and it answers each
// well-formed request once.
func FuzzEmulator(f *testing.F) {
	req, err := EncodeFrame(CmdGetMassa, nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range vectors {
		f.Add(unhex(f, v.frame), 1)
	}
	f.Add(append(append([]byte{0xF8, 0x55}, req...), req...), 3)
	f.Add(append([]byte("\xF8\x55\xCE\xFF\xFF"), req...), 0)
	f.Fuzz(func(t *testing.T, b []byte, split int) {
		e := NewEmulator()
		e.SetWeight(int64(len(b))*37, len(b)%2 == 0)
		e.SetOverload(len(b)%5 == 0)
		split = max(0, min(len(b), split))
		var out bytes.Buffer
		pending := e.serveFrames(&out, append([]byte(nil), b[:split]...))
		pending = e.serveFrames(&out, append(pending, b[split:]...))
		if len(pending) > len(b) {
			t.Fatalf("%d bytes pending from %d sent", len(pending), len(b))
		}
		answers := 0
		for rest := out.Bytes(); len(rest) > 0; answers++ {
			n, err := bodyLen(rest)
			if err != nil || len(rest) < n+overhead {
				t.Fatalf("answer % X is not a frame: %v", rest, err)
			}
			if _, err := DecodeFrame(rest[:n+overhead]); err != nil {
				t.Fatalf("answer % X: %v", rest[:n+overhead], err)
			}
			rest = rest[n+overhead:]
		}
		if answers != e.Requests() {
			t.Fatalf("%d answers to %d requests", answers, e.Requests())
		}
	})
}
