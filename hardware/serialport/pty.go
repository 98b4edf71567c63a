package serialport

import (
	"fmt"
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// PTY is a pseudo-terminal pair in raw mode for device emulators: the emulator serves Master, a host opens
// Path as if it were a serial port.
type PTY struct {
	// Master is non-blocking underneath, so SetReadDeadline works on it (creack/pty hands out a blocking one).
	Master *os.File
	// Path is the slave device, e.g. /dev/pts/3.
	Path string
	// slave stays open so that Master never reads EIO between two hosts, as a real device's line stays up.
	slave *os.File
}

// OpenPTY makes a raw (no echo, no line editing) pseudo-terminal.
func OpenPTY() (*PTY, error) {
	m, s, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("serialport: open pty: %w", err)
	}
	if err := makeRaw(int(s.Fd())); err != nil {
		m.Close()
		s.Close()
		return nil, err
	}
	fd, err := unix.Dup(int(m.Fd()))
	m.Close()
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("serialport: pty master: %w", err)
	}
	return &PTY{Master: os.NewFile(uintptr(fd), "/dev/ptmx"), Path: s.Name(), slave: s}, nil
}

// Close closes both ends.
func (p *PTY) Close() error {
	err := p.Master.Close()
	if serr := p.slave.Close(); err == nil {
		err = serr
	}
	return err
}

// makeRaw is cfmakeraw(3) on the terminal fd.
func makeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("serialport: get termios: %w", err)
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return fmt.Errorf("serialport: set raw mode: %w", err)
	}
	return nil
}
