package kkt

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// Config tunes a Driver; the zero value works with factory settings.
type Config struct {
	// Password is sent with every command that takes one; 30 (system administrator, wanted by FF commands)
	// when zero.
	Password uint32
	// Timeouts overrides DefaultTimeout per command.
	Timeouts map[Command]time.Duration
	// Retries bounds ENQ tries, frame re-sends after NAK and answer re-requests; 3 when zero.
	Retries int
	// EnqTimeout is the wait for a control byte after ENQ or a frame; 500 ms when zero.
	EnqTimeout time.Duration
	// ByteTimeout is the wait between two bytes of an answer frame; 500 ms when zero.
	ByteTimeout time.Duration
	// Location is the time zone of the device clock; time.Local when nil.
	Location *time.Location
	// LineWidth is the text field of command 0x17 in bytes (the model's print width); 40 when zero.
	LineWidth int
}

// DefaultTimeout is the answer timeout the vendor's JavaPOS driver uses for cmd.
func DefaultTimeout(cmd Command) time.Duration {
	switch cmd {
	case CmdShortStatus, CmdFullStatus:
		return 3 * time.Second
	case CmdXReport:
		return 30 * time.Second
	case CmdZReport:
		return 65 * time.Second
	case CmdOpenShift:
		return 120 * time.Second
	case 0x16:
		return 60 * time.Second
	case CmdCheckMark, CmdBindMark:
		return 40 * time.Second
	}
	return 30 * time.Second
}

// Driver runs commands on a Shtrih-M device. Its methods are safe for concurrent use; they run one at a time.
type Driver struct {
	mu    sync.Mutex
	cfg   Config
	link  *link
	frame []byte // the frame being sent, re-used under mu: the link writes it and keeps no reference
}

// NewDriver makes a driver over rw (a serial port, a TCP connection …). Reads time out only when rw has
// SetReadDeadline (see ReadDeadliner).
func NewDriver(rw io.ReadWriter, cfg Config) *Driver {
	if cfg.Password == 0 {
		cfg.Password = 30
	}
	if cfg.Retries <= 0 {
		cfg.Retries = 3
	}
	if cfg.EnqTimeout <= 0 {
		cfg.EnqTimeout = 500 * time.Millisecond
	}
	if cfg.ByteTimeout <= 0 {
		cfg.ByteTimeout = 500 * time.Millisecond
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.LineWidth <= 0 {
		cfg.LineWidth = 40
	}
	return &Driver{cfg: cfg, link: newLink(rw, cfg.Retries, cfg.EnqTimeout, cfg.ByteTimeout)}
}

func (d *Driver) timeout(cmd Command) time.Duration {
	if t, ok := d.cfg.Timeouts[cmd]; ok && t > 0 {
		return t
	}
	return DefaultTimeout(cmd)
}

// Do runs any command with raw parameters and returns the answer data after the error byte. A non-zero
// error byte is a *DeviceError.
func (d *Driver) Do(ctx context.Context, cmd Command, params []byte) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	frame, err := AppendFrame(d.frame[:0], cmd, params)
	if err != nil {
		return nil, err
	}
	d.frame = frame
	ans, err := d.link.transact(ctx, cmd, frame, d.timeout(cmd))
	if err != nil {
		return nil, err
	}
	if len(ans.Data) == 0 {
		return nil, fmt.Errorf("%w: answer to %v without error byte", ErrBadFrame, cmd)
	}
	if ans.Data[0] != 0 {
		return nil, &DeviceError{Command: cmd, Code: ans.Data[0]}
	}
	return ans.Data[1:], nil
}

func (d *Driver) pwd() []byte { return putLE(nil, uint64(d.cfg.Password), 4) }

// simple runs a command whose only parameter is the password.
func (d *Driver) simple(ctx context.Context, cmd Command) error {
	_, err := d.Do(ctx, cmd, d.pwd())
	return err
}

// DeviceType asks the model (0xFC, no password).
func (d *Driver) DeviceType(ctx context.Context) (DeviceInfo, error) {
	b, err := d.Do(ctx, CmdDeviceType, nil)
	if err != nil {
		return DeviceInfo{}, err
	}
	if len(b) < 6 {
		return DeviceInfo{}, fmt.Errorf("%w: device type of %d bytes", ErrBadFrame, len(b))
	}
	return DeviceInfo{Type: b[0], Subtype: b[1], ProtocolVersion: b[2], ProtocolSubversion: b[3],
		Model: b[4], Language: b[5], Name: decodeText(b[6:])}, nil
}

// ShortStatus reads the mode and flags (0x10).
func (d *Driver) ShortStatus(ctx context.Context) (ShortStatus, error) {
	b, err := d.Do(ctx, CmdShortStatus, d.pwd())
	if err != nil {
		return ShortStatus{}, err
	}
	return decodeShortStatus(b)
}

// FNStatus reads the fiscal storage state and the last document number (FF01).
func (d *Driver) FNStatus(ctx context.Context) (FNStatus, error) {
	b, err := d.Do(ctx, CmdFNStatus, d.pwd())
	if err != nil {
		return FNStatus{}, err
	}
	return decodeFNStatus(b, d.cfg.Location)
}

// OpenShift opens a shift and prints its report (0xE0).
func (d *Driver) OpenShift(ctx context.Context) error { return d.simple(ctx, CmdOpenShift) }

// ZReport closes the shift (0x41).
func (d *Driver) ZReport(ctx context.Context) error { return d.simple(ctx, CmdZReport) }

// CancelReceipt drops the open receipt (0x88).
func (d *Driver) CancelReceipt(ctx context.Context) error { return d.simple(ctx, CmdCancelReceipt) }

// ContinuePrint resumes printing after the paper was replaced (0xB0).
func (d *Driver) ContinuePrint(ctx context.Context) error { return d.simple(ctx, CmdContinuePrint) }

// OpenReceipt opens a receipt of the given kind (0x8D). Optional: the first AddItem opens a sale receipt.
func (d *Driver) OpenReceipt(ctx context.Context, kind ReceiptKind) error {
	_, err := d.Do(ctx, CmdOpenReceipt, append(d.pwd(), byte(kind)))
	return err
}

// AddItem adds a position to the receipt (FF46).
func (d *Driver) AddItem(ctx context.Context, it Item) error {
	p, err := d.itemParams(it)
	if err != nil {
		return err
	}
	_, err = d.Do(ctx, CmdOperation, p)
	return err
}

func (d *Driver) itemParams(it Item) ([]byte, error) {
	if it.Op == 0 {
		it.Op = OpIncome
	}
	if it.PaymentMethod == 0 {
		it.PaymentMethod = 4
	}
	if it.PaymentObject == 0 {
		it.PaymentObject = 1
	}
	if it.Qty <= 0 || it.Qty >= 1<<48/1000 {
		return nil, fmt.Errorf("kkt: quantity %d out of range", it.Qty)
	}
	p := append(d.pwd(), it.Op)
	p = putLE(p, uint64(it.Qty)*1000, 6)
	p, err := putMoney(p, it.Price)
	if err != nil {
		return nil, err
	}
	if it.Sum == SumByDevice {
		p = append(p, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
	} else if p, err = putMoney(p, it.Sum); err != nil {
		return nil, err
	}
	p = append(p, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF) // tax amount: the device computes it
	p = append(p, it.Tax, it.Dept, it.PaymentMethod, it.PaymentObject)
	return append(p, encodeText(it.Name, MaxNameBytes)...), nil
}

// CloseReceipt pays and closes the receipt (FF45), returning the fiscal document number and sign.
func (d *Driver) CloseReceipt(ctx context.Context, c Close) (Closed, error) {
	p, err := d.closeParams(c)
	if err != nil {
		return Closed{}, err
	}
	b, err := d.Do(ctx, CmdCloseReceipt, p)
	if err != nil {
		return Closed{}, err
	}
	if len(b) < 13 {
		return Closed{}, fmt.Errorf("%w: close answer of %d bytes", ErrBadFrame, len(b))
	}
	r := Closed{Change: int64(le(b[0:5])), FDNumber: uint32(le(b[5:9])), FiscalSign: uint32(le(b[9:13]))}
	if len(b) >= 18 {
		if r.Time, err = parseDateTime(b[13:18], d.cfg.Location); err != nil {
			return Closed{}, err
		}
	}
	return r, nil
}

func (d *Driver) closeParams(c Close) ([]byte, error) {
	if c.TaxSystem == 0 {
		c.TaxSystem = 1
	}
	if c.Rounding > 99 {
		return nil, fmt.Errorf("kkt: rounding %d over 99 kopecks", c.Rounding)
	}
	p := d.pwd()
	var err error
	for _, v := range c.Payments {
		if p, err = putMoney(p, v); err != nil {
			return nil, err
		}
	}
	p = append(p, c.Rounding)
	for _, v := range c.Taxes {
		if p, err = putMoney(p, v); err != nil {
			return nil, err
		}
	}
	p = append(p, c.TaxSystem)
	return append(p, encodeText(c.Text, 64)...), nil
}

// FindDocument reads a fiscal document from the FN by its number (FF0A).
func (d *Driver) FindDocument(ctx context.Context, fd uint32) (Document, error) {
	b, err := d.Do(ctx, CmdFindDocument, putLE(d.pwd(), uint64(fd), 4))
	if err != nil {
		return Document{}, err
	}
	return decodeDocument(b, d.cfg.Location)
}
