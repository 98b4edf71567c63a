package terminal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

// maxCheckDocs bounds the ФН documents read back for one summary: far more than a shift of a busy till,
// and at about 20 ms a document still a bearable wait on a serial line.
const maxCheckDocs = 3000

// checkTimeout bounds the whole read-back, so that a register that dies half-way cannot hold the slip.
const checkTimeout = 90 * time.Second

// Slips prints the till's non-fiscal slips on the receipt printer, from the journal and the register.
type Slips struct {
	Store    *store.Store
	Register *Register // may be nil: the summary is then not compared with the ФН
	Printer  *Printer
	Terminal string
	Shop     string
	Now      func() time.Time // time.Now when nil
}

// PrintShiftSummary prints the summary of a shift from the journal: its times and cashier, receipts and
// refunds by tender, unfinished and cancelled sales, and the register's own sums of the same fiscal
// documents read back from the ФН. The register being unreachable only leaves the comparison out; the
// printer's failures are the error (pos.ErrPaperOut wrapped, or a *PrinterOfflineError).
func (s *Slips) PrintShiftSummary(ctx context.Context, shift int) error {
	rep, err := s.Store.ShiftReport(shift)
	if err != nil {
		return fmt.Errorf("shift summary: %w", err)
	}
	check := s.readBack(ctx, rep)
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	slip := ShiftSlip(rep, check, SlipHeader{Shop: s.Shop, Terminal: s.Terminal, Printed: now()})
	if err := s.Printer.Print(ctx, escpos.SlipDocument(s.Printer.Profile(), slip)); err != nil {
		return fmt.Errorf("shift summary: %w", err)
	}
	return nil
}

// RegisterCheck is the register's side of a shift: the receipts the ФН holds among the documents the
// journal's receipts span.
type RegisterCheck struct {
	// Skipped says why the register was not asked (in Russian, for the slip); empty when it was.
	Skipped         string
	FirstFD, LastFD uint32
	Sales, Refunds  int
	SalesSum        pos.Money
	RefundsSum      pos.Money
}

// Agrees reports whether the register holds what the journal says.
func (c RegisterCheck) Agrees(r store.ShiftReport) bool {
	return c.Sales == r.Sales.Count && c.SalesSum == r.Sales.Total &&
		c.Refunds == r.Refunds.Count && c.RefundsSum == r.Refunds.Total
}

// readBack reads the shift's documents from the ФН.
func (s *Slips) readBack(ctx context.Context, rep store.ShiftReport) RegisterCheck {
	c := RegisterCheck{FirstFD: rep.FirstFD, LastFD: rep.LastFD}
	switch {
	case s.Register == nil:
		c.Skipped = "ККТ не подключена"
		return c
	case rep.LastFD == 0:
		return c // no receipt: nothing to read, and nothing the register could disagree with
	case rep.LastFD-rep.FirstFD >= maxCheckDocs:
		c.Skipped = fmt.Sprintf("больше %d документов", maxCheckDocs)
		return c
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	for fd := rep.FirstFD; fd <= rep.LastFD; fd++ {
		doc, err := s.Register.Driver.FindDocument(ctx, fd)
		if err != nil {
			var de *kkt.DeviceError
			if errors.As(err, &de) {
				c.Skipped = fmt.Sprintf("ФД %d не прочитан: %s", fd, de.Text())
			} else {
				c.Skipped = "ККТ не отвечает"
			}
			return c
		}
		if doc.Type != kkt.DocReceipt {
			continue
		}
		switch doc.OpType {
		case kkt.OpIncome:
			c.Sales++
			c.SalesSum += pos.Money(doc.Sum)
		case kkt.OpIncomeReturn:
			c.Refunds++
			c.RefundsSum += pos.Money(doc.Sum)
		}
	}
	return c
}

// SlipHeader is who printed a slip, where and when.
type SlipHeader struct {
	Shop, Terminal string
	Printed        time.Time
}

// ShiftSlip lays out the shift summary.
func ShiftSlip(r store.ShiftReport, c RegisterCheck, h SlipHeader) escpos.Slip {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "смена открыта"
		}
		return t.Format("02.01.2006 15:04")
	}
	money := func(m pos.Money) string { return m.String() }
	var lines []escpos.SlipLine
	add := func(left, right string) { lines = append(lines, escpos.SlipLine{Left: left, Right: right}) }
	if h.Shop != "" {
		add("Магазин", h.Shop)
	}
	add("Касса", h.Terminal)
	add("Кассир", r.Shift.Cashier)
	add("Открыта", stamp(r.Shift.OpenedAt))
	add("Закрыта", stamp(r.Shift.ClosedAt))
	add("", "")
	for _, k := range []struct {
		name string
		t    store.TenderTotals
	}{{"Продажи", r.Sales}, {"Возвраты", r.Refunds}} {
		add(fmt.Sprintf("%s (%d)", k.name, k.t.Count), money(k.t.Total))
		add("  наличными", money(k.t.Cash))
		add("  картой", money(k.t.Card))
		if k.t.Prepaid != 0 {
			add("  предоплатой", money(k.t.Prepaid))
		}
	}
	add("Итого за смену", money(r.Net()))
	add("Наличные по чекам", money(r.NetCash()))
	add(fmt.Sprintf("Внесения (%d)", r.Cash.InCount), money(r.Cash.In))
	add(fmt.Sprintf("Изъятия (%d)", r.Cash.OutCount), money(r.Cash.Out))
	add("Наличных в ящике", money(r.ExpectedCash()))
	if r.Cash.Pending > 0 {
		add(fmt.Sprintf("Внесения/изъятия без ответа ККТ (%d): сверьте с X-отчётом", r.Cash.Pending), "")
	}
	if r.Pending > 0 {
		add(fmt.Sprintf("НЕ ЗАВЕРШЕНЫ (%d): проверьте F12", r.Pending), "")
	}
	if r.Cancelled > 0 {
		add(fmt.Sprintf("Не пробиты ККТ (%d)", r.Cancelled), "")
	}
	add("", "")
	switch {
	case c.Skipped != "":
		add("Сверка с ККТ не выполнена: "+c.Skipped, "")
	case c.LastFD == 0:
		add("Сверка с ККТ: чеков нет", "")
	default:
		add(fmt.Sprintf("Сверка с ККТ, ФД %d–%d", c.FirstFD, c.LastFD), "")
		add(fmt.Sprintf("  приход ККТ (%d)", c.Sales), money(c.SalesSum))
		add(fmt.Sprintf("  возврат ККТ (%d)", c.Refunds), money(c.RefundsSum))
		if c.Agrees(r) {
			add("  расхождений нет", "")
		} else {
			add("  РАСХОЖДЕНИЕ (ККТ − журнал)", money(c.SalesSum-c.RefundsSum-r.Net()))
		}
	}
	return escpos.Slip{
		Title:  fmt.Sprintf("Сводка смены № %d", r.Shift.Number),
		Lines:  lines,
		Footer: []string{"Напечатано " + h.Printed.Format("02.01.2006 15:04"), "Не является фискальным документом"},
	}
}
