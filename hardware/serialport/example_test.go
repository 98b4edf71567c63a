package serialport_test

import (
	"context"
	"errors"
	"log"
	"time"

	"github.com/kassa-pos/kassa/hardware/serialport"
)

// A register on a udev link: when its cable is pulled the port reopens by itself, and in between every
// call fails at once with ErrOffline instead of waiting for a device that is not there.
func ExampleOpenReconnecting() {
	port, err := serialport.OpenReconnecting(serialport.Config{Path: "/dev/ttyKKT", Baud: 115200},
		serialport.ReconnectConfig{OnState: func(online bool, err error) {
			log.Printf("ККТ port online=%v (%v)", online, err)
		}})
	if err != nil {
		log.Fatal(err) // held by another program, or no permission: waiting would not help
	}
	defer port.Close()

	if _, err := port.Write([]byte{0x05}); errors.Is(err, serialport.ErrOffline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := port.WaitOnline(ctx); err != nil {
			log.Printf("still unplugged: %v", port.Err())
		}
	}
}
