package terminal

import (
	"context"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/pos/pickup"
)

// PrintPickupSlip prints the acknowledgment of a click&collect hand-over on the receipt printer: the
// order, the goods handed over, what the customer refused, how it was paid, when and by whom. The fiscal
// receipts come from the register; this slip is what the customer signs for or keeps.
func (s *Slips) PrintPickupSlip(ctx context.Context, p pickup.Slip) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	slip := PickupSlip(p, SlipHeader{Shop: s.Shop, Terminal: s.Terminal, Printed: now()})
	if err := s.Printer.Print(ctx, escpos.SlipDocument(s.Printer.Profile(), slip)); err != nil {
		return fmt.Errorf("pickup slip: %w", err)
	}
	return nil
}

// PickupSlip lays out the pickup slip.
func PickupSlip(p pickup.Slip, h SlipHeader) escpos.Slip {
	var lines []escpos.SlipLine
	add := func(left, right string) { lines = append(lines, escpos.SlipLine{Left: left, Right: right}) }
	if h.Shop != "" {
		add("Магазин", h.Shop)
	}
	add("Касса", h.Terminal)
	if p.Customer != "" {
		add("Клиент", p.Customer)
	}
	add("Выдал", p.Staff)
	add("Выдан", p.HandedAt.Format("02.01.2006 15:04"))
	add("", "")
	for _, l := range p.Lines {
		name := l.Name
		if l.Marking != "" {
			name += " [М]"
		}
		add(name, fmt.Sprintf("%s x %s = %s", l.Qty, l.Price, l.Sum))
	}
	add("Выдано на сумму", p.Total.String())
	if len(p.Refused) > 0 {
		add("", "")
		add("ОТКАЗ ОТ ТОВАРА:", "")
		for _, r := range p.Refused {
			reason := ""
			if r.Reason != "" {
				reason = " (" + r.Reason + ")"
			}
			add(r.Name+reason, r.Qty.String())
		}
	}
	add("", "")
	if p.Offset > 0 {
		add("Зачтена предоплата", p.Offset.String())
	}
	if p.Paid > 0 {
		add("Оплачено при получении", p.Paid.String())
	}
	if p.Change > 0 {
		add("Сдача", p.Change.String())
	}
	if p.SaleFD != 0 {
		add("Кассовый чек", fmt.Sprintf("ФД %d", p.SaleFD))
	}
	if p.Refund > 0 {
		add("Возврат предоплаты на карту", p.Refund.String())
		if p.RefundFD != 0 {
			add("Чек возврата", fmt.Sprintf("ФД %d", p.RefundFD))
		}
	}
	return escpos.Slip{
		Title: "Выдача заказа " + p.Number,
		Lines: lines,
		Footer: []string{"Товар получен, претензий к внешнему виду и комплектности не имею", "",
			"Подпись клиента ____________", "Напечатано " + h.Printed.Format("02.01.2006 15:04"),
			"Не является фискальным документом"},
	}
}
