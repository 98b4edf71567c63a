package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kassa-pos/kassa/hardware/scanner"
)

// A serial scanner's stream: an EAN-13 and a marking code with its GS, each behind an AIM identifier.
func ExampleReader() {
	stream := "]E04607001771401\r\n" + "]d20104640043463309215UWtYHQ3hiHnm\x1d93dGVz\r\n"
	r := scanner.NewReader(strings.NewReader(stream), scanner.Config{})
	for {
		s, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%s %q\n", s.Symbology, s.Data)
	}
	// Output:
	// ]E0 "4607001771401"
	// ]d2 "0104640043463309215UWtYHQ3hiHnm\x1d93dGVz"
}

// The emulator writes each code as a line; here into a pipe, in cmd/kktemu into a pty.
func ExampleEmulator() {
	pr, pw := io.Pipe()
	emu := scanner.NewEmulator()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go emu.Serve(ctx, pw)

	emu.Send("]d20104640043463309215UWtYHQ3hiHnm\x1d93dGVz")
	r := scanner.NewReader(pr, scanner.Config{})
	s, err := r.Next(ctx)
	fmt.Printf("%q %v\n", s.Raw, err)
	// Output:
	// "]d20104640043463309215UWtYHQ3hiHnm\x1d93dGVz" <nil>
}
