package scale

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// scripted is a scale that answers the n-th request with answers[n] (nil: stays silent) and records the
// requests.
func scripted(t *testing.T, answers ...[]byte) (net.Conn, <-chan []byte) {
	t.Helper()
	host, dev := net.Pipe()
	reqs := make(chan []byte, len(answers)+1)
	go func() {
		defer dev.Close()
		for _, ans := range answers {
			req := make([]byte, 8) // CMD_GET_MASSA is always 8 bytes
			if _, err := io.ReadFull(dev, req); err != nil {
				return
			}
			reqs <- req
			if ans != nil {
				if _, err := dev.Write(ans); err != nil {
					return
				}
			}
		}
		_, _ = io.Copy(io.Discard, dev)
	}()
	t.Cleanup(func() { host.Close() })
	return host, reqs
}

func frame(t *testing.T, cmd byte, data []byte) []byte {
	t.Helper()
	b, err := EncodeFrame(cmd, data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func massa(t *testing.T, m Massa) []byte { return frame(t, CmdAckMassa, m.Encode()) }

func TestWeight(t *testing.T) {
	noise := []byte{0x00, 0xF8, 0x55, 0x00, 0xF8}
	tests := []struct {
		name    string
		answers func(t *testing.T) [][]byte
		want    Reading
		wantErr error
		tries   int
	}{
		{"stable 1234 g", func(t *testing.T) [][]byte {
			return [][]byte{massa(t, Massa{Weight: 1234, Division: Div1g, Stable: true})}
		}, Reading{Grams: 1234, Stable: true}, nil, 1},
		{"unstable net 0.1 g", func(t *testing.T) [][]byte {
			return [][]byte{massa(t, Massa{Weight: 3456, Division: Div100mg, Net: true, HasTare: true, Tare: 150})}
		}, Reading{Grams: 346, Net: true}, nil, 1},
		{"noise before the header", func(t *testing.T) [][]byte {
			return [][]byte{append(append([]byte{}, noise...), massa(t, Massa{Weight: 7, Division: Div1g, Stable: true})...)}
		}, Reading{Grams: 7, Stable: true}, nil, 1},
		{"negative", func(t *testing.T) [][]byte {
			return [][]byte{massa(t, Massa{Weight: -20, Division: Div1g, Stable: true})}
		}, Reading{Grams: -20, Stable: true}, ErrUnderload, 1},
		{"overload", func(t *testing.T) [][]byte {
			return [][]byte{frame(t, CmdError, []byte{0x08})}
		}, Reading{}, ErrOverload, 1},
		{"device fault", func(t *testing.T) [][]byte {
			return [][]byte{frame(t, CmdError, []byte{0x19})}
		}, Reading{}, &DeviceError{Code: 0x19}, 1},
		{"nack", func(t *testing.T) [][]byte { return [][]byte{frame(t, CmdNack, nil)} }, Reading{}, ErrNack, 1},
		{"foreign answer", func(t *testing.T) [][]byte { return [][]byte{frame(t, 0x76, []byte("Max 15"))} },
			Reading{}, ErrBadFrame, 1},
		{"bad layout", func(t *testing.T) [][]byte { return [][]byte{frame(t, CmdAckMassa, []byte{1, 2, 3})} },
			Reading{}, ErrBadFrame, 1},
		{"silent twice", func(t *testing.T) [][]byte { return [][]byte{nil, nil} }, Reading{}, ErrNoAnswer, 2},
		{"silent then answers", func(t *testing.T) [][]byte {
			return [][]byte{nil, massa(t, Massa{Weight: 500, Division: Div1g, Stable: true})}
		}, Reading{Grams: 500, Stable: true}, nil, 2},
		{"bad CRC then good", func(t *testing.T) [][]byte {
			bad := massa(t, Massa{Weight: 1, Division: Div1g, Stable: true})
			bad[len(bad)-1] ^= 0xFF
			return [][]byte{bad, massa(t, Massa{Weight: 2, Division: Div1g, Stable: true})}
		}, Reading{Grams: 2, Stable: true}, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, reqs := scripted(t, tt.answers(t)...)
			s := New(host, Config{AnswerTimeout: 100 * time.Millisecond})
			got, err := s.Weight(context.Background())
			var de *DeviceError
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err = %v", err)
				}
			case *DeviceError:
				if !errors.As(err, &de) || de.Code != want.Code {
					t.Fatalf("err = %v, want %v", err, want)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
			}
			if got != tt.want {
				t.Errorf("reading = %+v, want %+v", got, tt.want)
			}
			if len(reqs) != tt.tries {
				t.Errorf("%d requests, want %d", len(reqs), tt.tries)
			}
			for range len(reqs) {
				if r := <-reqs; string(r) != string(unhex(t, "F8 55 CE 01 00 23 23 00")) {
					t.Errorf("request % X", r)
				}
			}
		})
	}
}

func TestNoAnswerWrapsTimeout(t *testing.T) {
	host, _ := scripted(t, nil)
	_, err := New(host, Config{AnswerTimeout: 50 * time.Millisecond, Retries: -1}).Weight(context.Background())
	if !errors.Is(err, ErrNoAnswer) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("err = %v, want ErrNoAnswer wrapping os.ErrDeadlineExceeded", err)
	}
}

func TestWeightCancelled(t *testing.T) {
	host, _ := scripted(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New(host, Config{}).Weight(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestStableWeightSettles(t *testing.T) {
	host, _ := scripted(t,
		massa(t, Massa{Weight: 990, Division: Div1g}),
		massa(t, Massa{Weight: 1003, Division: Div1g}),
		massa(t, Massa{Weight: 1000, Division: Div1g, Stable: true}))
	s := New(host, Config{AnswerTimeout: time.Second, PollInterval: time.Millisecond})
	got, err := s.StableWeight(context.Background(), time.Minute)
	if err != nil || got != 1000 {
		t.Fatalf("StableWeight = %d, %v; want 1000", got, err)
	}
}

func TestErrorText(t *testing.T) {
	if got := ErrorText(0x08); got != "Нагрузка на весах превышает НПВ" {
		t.Errorf("ErrorText(0x08) = %q", got)
	}
	if got := ErrorText(0x99); got != "Ошибка весов 0x99" {
		t.Errorf("ErrorText(0x99) = %q", got)
	}
	if got := (&DeviceError{Code: 0x19}).Error(); got != "scale: error 0x19: Весы неисправны" {
		t.Errorf("DeviceError = %q", got)
	}
}
