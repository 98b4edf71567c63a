package terminal

import (
	"fmt"
	"log/slog"

	"github.com/kassa-pos/kassa/hardware/serialport"
)

// openPort opens a device's serial port so that it survives a pulled cable: when the port fails it is
// closed and reopened at the same path (a udev link such as /dev/ttyKKT follows the device) with backoff,
// and until then the device's calls fail at once with serialport.ErrOffline, which the drivers report as
// their device being offline. A device that is not plugged in yet is waited for the same way; a port held
// by another program is refused at once. lost, when set, runs each time the port is lost, before it is
// reopened, so that whatever the device forgets when unplugged is set up again on the new line.
func openPort(log *slog.Logger, what, path string, baud int, lost func()) (*serialport.Reconnecting, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := serialport.OpenReconnecting(serialport.Config{Path: path, Baud: baud}, serialport.ReconnectConfig{
		OnState: func(online bool, err error) {
			if online {
				log.Info(what+" port back", "port", path)
				return
			}
			log.Warn(what+" port lost, reopening it", "port", path, "err", err)
			if lost != nil {
				lost()
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("%s port %s: %w", what, path, err)
	}
	return p, nil
}
