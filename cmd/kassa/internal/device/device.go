// Package device is `kassa device …`: service commands for an engineer at a real or emulated fiscal
// register, without the till's window: status, ФН status, shift, X and Z reports, cash in and out, a test
// receipt and the last fiscal document.
package device

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/fiscal"
)

// ErrUsage means the command line was wrong; the usage was printed.
var ErrUsage = errors.New("usage")

const usage = `kassa device [--port P] [--baud N] [--password N] [--data DIR] COMMAND [ARGS]

  --port emulator (default) runs the emulated ККТ with its state in DIR/kkt-emulator.json;
  --port /dev/ttyACM0 speaks to a real Shtrih-M register.

commands:
  status                     device, mode, shift, ФН
  fn                         ФН status and warnings
  open-shift                 open the shift (0xE0)
  x-report                   X report (0x40)
  z-report                   Z report, closes the shift (0x41)
  cash-in SUM | cash-out SUM внесение / выплата, e.g. cash-in 5000,00
  test-receipt ITEM... [--cash SUM] [--card SUM]
                             a real sale receipt; ITEM is name:price:qty[:vat], e.g. "Хлеб:55,00:2:10"
  last-doc                   the last fiscal document and its receipt QR
  test-slip --printer PORT [--profile NAME]
                             a test slip on the receipt printer (no ККТ needed)
`

type command struct {
	run  func(s *session, ctx context.Context, args []string) error
	args string // "" none, "1" exactly one, "*" any
}

var commands = map[string]command{
	"status": {run: (*session).status},
	"fn":     {run: (*session).fn},
	"open-shift": {run: func(s *session, ctx context.Context, _ []string) error {
		return s.done(s.drv.OpenShift(ctx), "Смена открыта")
	}},
	"x-report": {run: func(s *session, ctx context.Context, _ []string) error {
		return s.done(s.drv.XReport(ctx), "X-отчёт напечатан")
	}},
	"z-report": {run: func(s *session, ctx context.Context, _ []string) error {
		return s.done(s.drv.ZReport(ctx), "Z-отчёт напечатан, смена закрыта")
	}},
	"cash-in":      {run: (*session).cashIn, args: "1"},
	"cash-out":     {run: (*session).cashOut, args: "1"},
	"test-receipt": {run: (*session).testReceipt, args: "*"},
	"last-doc":     {run: (*session).lastDoc},
}

// session is one command against one opened register.
type session struct {
	reg *terminal.Register
	drv *kkt.Driver
	out io.Writer
}

// Run parses args (after "device") and runs the command.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kassa device", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	port := fs.String("port", "emulator", "serial device of the ККТ, or emulator")
	baud := fs.Int("baud", 115200, "baud rate")
	password := fs.Uint("password", 30, "ККТ password")
	data := fs.String("data", "kassa-data", "data folder (the emulator's state)")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fs.Usage()
		return ErrUsage
	}
	if rest[0] == "test-slip" {
		return testSlip(ctx, rest[1:], stdout)
	}
	cmd, ok := commands[rest[0]]
	if !ok || (cmd.args == "" && len(rest) != 1) || (cmd.args == "1" && len(rest) != 2) {
		fs.Usage()
		return ErrUsage
	}
	reg, err := terminal.OpenRegister(ctx, terminal.Options{KKTPort: *port, KKTBaud: *baud, Password: uint32(*password), Data: *data})
	if err != nil {
		return err
	}
	defer reg.Close()
	s := &session{reg: reg, drv: reg.Driver, out: stdout}
	return cmd.run(s, ctx, rest[1:])
}

func (s *session) done(err error, what string) error {
	if err != nil {
		return explain(err)
	}
	fmt.Fprintln(s.out, what)
	return nil
}

// explain adds the device's Russian text to a refusal, for the engineer.
func explain(err error) error {
	var de *kkt.DeviceError
	if errors.As(err, &de) {
		return fmt.Errorf("%w (%s)", err, de.Text())
	}
	var re *pos.RegisterError
	if errors.As(err, &re) {
		return fmt.Errorf("%w (%s)", err, re.Text)
	}
	return err
}

func (s *session) cashIn(ctx context.Context, args []string) error { return s.cash(ctx, args[0], true) }
func (s *session) cashOut(ctx context.Context, args []string) error {
	return s.cash(ctx, args[0], false)
}

func (s *session) cash(ctx context.Context, amount string, in bool) error {
	sum, err := pos.ParseMoney(amount)
	if err != nil || sum <= 0 {
		return fmt.Errorf("%w: sum %q", ErrUsage, amount)
	}
	what, do := "Внесено", s.drv.CashIn
	if !in {
		what, do = "Выплачено", s.drv.CashOut
	}
	if _, err := do(ctx, int64(sum)); err != nil {
		return explain(err)
	}
	fmt.Fprintf(s.out, "%s %s ₽\n", what, sum)
	return nil
}

var modes = map[byte]string{
	kkt.ModeShiftOpen: "смена открыта", kkt.ModeShiftExpired: "смена открыта, 24 часа истекли (только Z-отчёт)",
	kkt.ModeShiftClosed: "смена закрыта", kkt.ModeReceiptOpen: "открыт документ",
}

func (s *session) status(ctx context.Context, _ []string) error {
	info, err := s.drv.DeviceType(ctx)
	if err != nil {
		return explain(err)
	}
	ss, err := s.drv.ShortStatus(ctx)
	if err != nil {
		return explain(err)
	}
	mode := modes[ss.Mode()]
	if mode == "" {
		mode = fmt.Sprintf("режим %d", ss.Mode())
	}
	fmt.Fprintf(s.out, "Устройство: %s (тип %d, модель %d, протокол %d.%d)\n", info.Name, info.Type, info.Model,
		info.ProtocolVersion, info.ProtocolSubversion)
	fmt.Fprintf(s.out, "Режим: %s (%d.%d), подрежим %d, оператор %d\n", mode, ss.Mode(), ss.ModeStatus(), ss.Submode, ss.Operator)
	return s.fn(ctx, nil)
}

func (s *session) fn(ctx context.Context, _ []string) error {
	st, err := s.drv.FNStatus(ctx)
	if err != nil {
		return explain(err)
	}
	shift := "закрыта"
	if st.ShiftOpen {
		shift = "открыта"
	}
	fmt.Fprintf(s.out, "ФН: %s, фаза 0x%02X, смена %s, последний ФД %d, время ФН %s\n", st.Serial, st.Phase, shift,
		st.LastFD, st.Time.Format("02.01.2006 15:04"))
	warnings := fiscal.Warnings(st.Warnings)
	if len(warnings) == 0 {
		warnings = []string{"предупреждений нет"}
	}
	fmt.Fprintln(s.out, "Предупреждения ФН: "+strings.Join(warnings, "; "))
	return nil
}
