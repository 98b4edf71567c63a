package kkt

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

// chunkLine hands out its input one chunk per Read, as a serial port returns what has arrived so far.
type chunkLine struct {
	chunks    [][]byte
	reads     int
	discarded int
}

func (c *chunkLine) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	c.reads++
	n := copy(p, c.chunks[0])
	c.chunks = c.chunks[1:]
	return n, nil
}

func (c *chunkLine) Write(p []byte) (int, error) { return len(p), nil }

func (c *chunkLine) DiscardInput() error { c.discarded++; return nil }

// TestLinkReadsWhatArrived: a frame that arrives in one piece costs one read, not one per byte, and bytes
// read ahead are dropped with the line's input.
func TestLinkReadsWhatArrived(t *testing.T) {
	frame := unhex(t, "02 03 88 00 1E 95")
	tests := []struct {
		name      string
		chunks    [][]byte
		control   bool // an ACK comes first
		wantReads int
	}{
		{"frame in one piece", [][]byte{frame}, false, 1},
		{"ACK and frame together", [][]byte{append([]byte{ACK}, frame...)}, true, 1},
		{"frame in three pieces", [][]byte{frame[:2], frame[2:4], frame[4:]}, false, 3},
		{"byte by byte", [][]byte{{ACK}, frame[:1], frame[1:2], frame[2:3], frame[3:4], frame[4:5], frame[5:]}, true, 7},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := &chunkLine{chunks: tt.chunks}
			l := newLink(line, 0, time.Second, time.Second)
			if tt.control {
				if b, err := l.readControl(ctx, time.Now().Add(time.Second)); err != nil || b != ACK {
					t.Fatalf("control byte %#x, %v", b, err)
				}
			}
			f, err := l.readFrame(ctx, time.Now().Add(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if f.Command != 0x88 || !bytes.Equal(f.Data, []byte{0x00, 0x1E}) {
				t.Errorf("frame %+v", f)
			}
			if line.reads != tt.wantReads {
				t.Errorf("%d reads, want %d", line.reads, tt.wantReads)
			}
		})
	}
	t.Run("read-ahead is dropped with the input", func(t *testing.T) {
		line := &chunkLine{chunks: [][]byte{append([]byte{ACK}, frame...), {NAK}}}
		l := newLink(line, 0, time.Second, time.Second)
		if b, err := l.readControl(ctx, time.Now().Add(time.Second)); err != nil || b != ACK {
			t.Fatalf("control byte %#x, %v", b, err)
		}
		if err := l.discardInput(); err != nil {
			t.Fatal(err)
		}
		if b, err := l.readControl(ctx, time.Now().Add(time.Second)); err != nil || b != NAK || line.discarded != 1 {
			t.Errorf("after discard: %#x, %v, %d discards", b, err, line.discarded)
		}
	})
}
