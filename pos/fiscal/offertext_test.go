package fiscal

import (
	"bytes"
	"context"
	"net"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
)

// A personal offer's text is printed under its line's positions, after a split line's second position
// and a marked line's code, and nowhere else; the receipt's sums are those of the discounted positions.
func TestOfferTextUnderItsPosition(t *testing.T) {
	tests := []struct {
		name  string
		items []item
		offer map[int]string // per line
		codes map[int]string // marking codes per line
		want  []string       // the tape lines from the offer's line name on
		cmds  string         // the commands of the receipt
	}{
		{
			name:  "one position",
			items: []item{{p: bread, qty: pos.Pieces(1), discount: 629}, {p: coffee, qty: pos.Pieces(1)}},
			offer: map[int]string{0: "−10 % на хлеб"},
			want: []string{"Хлеб Дарницкий формовой 700 г", "  1 x 56,61                   =56,61", "  НДС 10%",
				"  -10 % на хлеб", "Кофе молотый 250 г"},
			cmds: "FF01 8D FF0C FF46 17 FF46 FF45",
		},
		{
			name:  "a split line, a long text, a ruble sign",
			items: []item{{p: coffee, qty: pos.Pieces(1)}, {p: bread, qty: pos.Pieces(3), discount: 1600}},
			offer: map[int]string{1: "−5 ₽ на каждый хлеб Дарницкий по карте «Соседи» до конца марта"},
			want: []string{"Хлеб Дарницкий формовой 700 г", "  2 x 57,56                  =115,12", "  НДС 10%",
				"Хлеб Дарницкий формовой 700 г", "  1 x 57,58                   =57,58", "  НДС 10%",
				"  -5 руб. на каждый хлеб Дарницкий", "  по карте «Соседи» до конца марта", rule},
			cmds: "FF01 8D FF0C FF46 FF46 FF46 17 17 FF45",
		},
		{
			name:  "a marked line",
			items: []item{{p: water, qty: pos.QtyOne, discount: 699}, {p: bread, qty: pos.Pieces(1)}},
			offer: map[int]string{0: "−10 % на воду"},
			codes: map[int]string{0: water1},
			want: []string{"Вода Святой Источник 1,5 л", "  1 x 62,91                   =62,91", "  НДС 22%",
				"  [М+]", "  -10 % на воду", "Хлеб Дарницкий формовой 700 г"},
			cmds: "FF01 8D FF0C FF61 FF69 FF46 FF67 17 FF46 FF45",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			b := newBench(t, benchOpts{onCommand: rec.onCommand})
			b.openShift(t)
			sale := saleOf(t, tt.items, 0, cash(0))
			for i, text := range tt.offer {
				sale.Lines[i].Offer = text
			}
			for i, code := range tt.codes {
				sale.Lines[i].Marking = code
			}
			rec.arm()
			if _, err := b.reg.Fiscalise(context.Background(), sale); err != nil {
				t.Fatal(err)
			}
			if got := rec.String(); got != tt.cmds {
				t.Errorf("commands %s, want %s", got, tt.cmds)
			}
			tape := strings.Split(b.dev.Tape(), "\n")
			from := -1
			for i, l := range tape {
				if l == tt.want[0] {
					from = i
					break
				}
			}
			if from < 0 || from+len(tt.want) > len(tape) {
				t.Fatalf("no %q on the tape:\n%s", tt.want[0], b.dev.Tape())
			}
			if got := tape[from : from+len(tt.want)]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tape\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if n := strings.Count(b.dev.Tape(), "  -"); n != 1 {
				t.Errorf("the offer text is on the tape %d times, want once:\n%s", n, b.dev.Tape())
			}
		})
	}
}

// The 0x17 frame of an offer text, byte for byte: the password, the receipt-tape flag, the text in
// Windows-1251 zero-padded to the driver's 40-byte field.
func TestOfferTextFrame(t *testing.T) {
	dev, err := emulator.New(emulator.Config{Now: (&clock{t: start}).Now})
	if err != nil {
		t.Fatal(err)
	}
	host, line := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = dev.Serve(ctx, line) }()
	t.Cleanup(func() { cancel(); host.Close(); line.Close(); <-done })
	wire := &tee{Conn: host}
	reg := New(kkt.NewDriver(wire, kkt.Config{Location: time.UTC}), Config{})
	if err := reg.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	sale := saleOf(t, []item{{p: bread, qty: pos.Pieces(1), discount: 629}}, 0, cash(0))
	sale.Lines[0].Offer = "−10 % на хлеб"
	if _, err := reg.Fiscalise(ctx, sale); err != nil {
		t.Fatal(err)
	}
	// 30 = 1E 00 00 00; 02 receipt tape; "  -10 % на хлеб" in cp1251; 25 zero bytes.
	data := []byte{0x1E, 0, 0, 0, 0x02, ' ', ' ', '-', '1', '0', ' ', '%', ' ', 0xED, 0xE0, ' ', 0xF5, 0xEB, 0xE5, 0xE1}
	data = append(data, make([]byte, 40-15)...)
	frame, err := kkt.EncodeFrame(kkt.CmdPrintString, data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(wire.sent(), frame) {
		t.Errorf("no frame % X among the bytes sent", frame)
	}
}

// rule is the tape's line under the last position.
var rule = strings.Repeat("-", emulator.Width)

// tee records what the driver writes to the line.
type tee struct {
	net.Conn
	mu  sync.Mutex
	out []byte
}

func (c *tee) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.out = append(c.out, p...)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *tee) sent() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.out)
}

// A device that refuses the text line (a model that prints no strings inside a receipt) still fiscalises
// the sale: the text is not fiscal data.
func TestOfferTextRefused(t *testing.T) {
	b := newScriptedBench(t, Config{})
	ctx := context.Background()
	if err := b.reg.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	b.line.set(paperScript{refuse: kkt.CmdPrintString})
	sale := saleOf(t, []item{{p: bread, qty: pos.Pieces(1), discount: 629}, {p: coffee, qty: pos.Pieces(1)}}, 0, cash(0))
	sale.Lines[0].Offer = "−10 % на хлеб"
	res, err := b.reg.Fiscalise(ctx, sale)
	if err != nil || res.FDNumber == 0 {
		t.Fatalf("Fiscalise: %+v, %v", res, err)
	}
	if log, _ := b.line.log(); !strings.Contains(log, "17!37 FF46") || !strings.HasSuffix(log, "FF45") {
		t.Errorf("commands %s, want 0x17 refused and the receipt closed", log)
	}
}

func TestTextLines(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  []string
	}{
		{"−10 % на молоко", 36, []string{"  -10 % на молоко"}},
		{"  двойные\tбаллы\n", 36, []string{"  двойные баллы"}},
		{"−5 ₽", 36, []string{"  -5 руб."}},
		{"aaaa bbbb cccc", 11, []string{"  aaaa bbbb", "  cccc"}},
		{"aaaaaaaaaaaaaaaaaaaa b", 10, []string{"  aaaaaaaa", "  aaaaaaaa", "  aaaa b"}},
		{"aaaaaaaa", 10, []string{"  aaaaaaaa"}},
		{"", 36, nil},
		{" \n ", 36, nil},
		{"текст", 2, nil},
	}
	for _, tt := range tests {
		if got := textLines(tt.text, tt.width); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("textLines(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
	}
}
