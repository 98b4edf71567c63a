package simulate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// ZReport is a shift's totals as the emulated register printed them on its Z report (отчёт о закрытии
// смены): what the backend's figures for the terminal are reconciled against.
type ZReport struct {
	Shift    int   `json:"shift"`
	Receipts int   `json:"receipts"`
	Income   int64 `json:"income"`  // приход, kopecks
	Returns  int64 `json:"returns"` // возврат прихода, kopecks
}

// zReader collects the Z reports from the register's tape as they print: the tape is the register's own
// record, so a report printed by a command whose answer was lost is still counted.
type zReader struct {
	mu      sync.Mutex
	reports []ZReport
	cur     *ZReport
}

const zTitle = "ОТЧЁТ О ЗАКРЫТИИ СМЕНЫ"

func (z *zReader) line(l string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if strings.Contains(l, zTitle) {
		z.reports = append(z.reports, ZReport{})
		z.cur = &z.reports[len(z.reports)-1]
		return
	}
	if z.cur == nil {
		return
	}
	label, value, ok := strings.Cut(l, "=")
	label = strings.TrimSpace(label)
	if !ok {
		// "СМЕНА  12" and "ЧЕКОВ ЗА СМЕНУ  3" carry a count instead of an amount.
		f := strings.Fields(l)
		if len(f) == 0 {
			return
		}
		n, err := strconv.Atoi(f[len(f)-1])
		switch label = strings.Join(f[:len(f)-1], " "); {
		case err != nil:
		case label == "СМЕНА":
			z.cur.Shift = n
		case label == "ЧЕКОВ ЗА СМЕНУ":
			z.cur.Receipts = n
		}
		return
	}
	sum, err := parseKopecks(value)
	if err != nil {
		return
	}
	switch label {
	case "ПРИХОД":
		z.cur.Income = sum
	case "ВОЗВРАТ ПРИХОДА":
		z.cur.Returns = sum
	case "НЕОБНУЛЯЕМАЯ СУММА":
		z.cur = nil // the last of the totals
	}
}

func (z *zReader) all() []ZReport {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]ZReport(nil), z.reports...)
}

// parseKopecks reads the tape's "1 234,50".
func parseKopecks(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	rub, kop, ok := strings.Cut(s, ",")
	if !ok || len(kop) != 2 {
		return 0, fmt.Errorf("amount %q", s)
	}
	r, err := strconv.ParseInt(rub, 10, 64)
	if err != nil {
		return 0, err
	}
	k, err := strconv.ParseInt(kop, 10, 64)
	if err != nil || r < 0 {
		return 0, fmt.Errorf("amount %q", s)
	}
	return r*100 + k, nil
}

// faultMenu are the register faults a run injects: each one the till must get through without losing or
// repeating a receipt (a damaged frame, a lost or damaged answer, a power cut before the answer).
var faultMenu = []func(rng *rand.Rand) emulator.Fault{
	func(rng *rand.Rand) emulator.Fault {
		return emulator.Fault{Kind: emulator.FaultNAK, Cmd: pickCmd(rng), Count: 1 + rng.IntN(2)}
	},
	func(rng *rand.Rand) emulator.Fault {
		return emulator.Fault{Kind: emulator.FaultBadLRC, Cmd: pickCmd(rng), Count: 1 + rng.IntN(2)}
	},
	func(rng *rand.Rand) emulator.Fault {
		return emulator.Fault{Kind: emulator.FaultDropAnswer, Cmd: pickCmd(rng)}
	},
	func(rng *rand.Rand) emulator.Fault {
		return emulator.Fault{Kind: emulator.FaultPowerLoss, Cmd: pickCmd(rng),
			Down: time.Duration(50+rng.IntN(250)) * time.Millisecond}
	},
}

// pickCmd is a command of a sale: a line, the close (the fiscalisation itself) or a status request.
func pickCmd(rng *rand.Rand) kkt.Command {
	return []kkt.Command{kkt.CmdOperation, kkt.CmdCloseReceipt, kkt.CmdCloseReceipt, kkt.CmdShortStatus}[rng.IntN(4)]
}

// injectFault arms a random fault from the menu on the emulated register.
func (s *seller) injectFault() error {
	dev := s.term.Register.Emulator
	if dev == nil {
		return fmt.Errorf("faults need the emulated register")
	}
	f := faultMenu[s.rng.IntN(len(faultMenu))](s.rng)
	if err := dev.Inject(f); err != nil {
		return fmt.Errorf("inject %s: %w", f, err)
	}
	s.faults++
	s.log.Debug("register fault armed", "fault", f.String())
	return nil
}

// closeShift prints the Z report, resolving first a sale a fault left pending.
func (s *seller) closeShift(ctx context.Context) error {
	till := s.term.Till
	if _, open := till.Shift(); !open {
		return nil
	}
	if _, err := till.ResolvePending(ctx); err != nil {
		return fmt.Errorf("resolve before the Z report: %w", err)
	}
	if err := till.CloseShift(ctx); err != nil {
		return fmt.Errorf("close the shift: %w", err)
	}
	return nil
}
