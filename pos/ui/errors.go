package ui

import (
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
)

// Message is an error as a cashier reads it: one sentence of cause, one of what to do, and the device's
// own code in small print when there is one. Never a stack trace.
type Message struct {
	Text   string
	Action string
	Detail string
}

type errText struct {
	err              error
	ruText, ruAction string
	enText, enAction string
}

// errTexts is checked in order; the first match wins, so specific errors come before general ones.
var errTexts = []errText{
	{pos.ErrInvalidBarcode, "Штрихкод прочитан с ошибкой (неверная контрольная цифра).", "Отсканируйте ещё раз или введите код вручную.",
		"The barcode was misread (bad check digit).", "Scan again or type the code."},
	{pos.ErrUnknownBarcode, "Товар с таким кодом не найден.", "Проверьте код или найдите товар по названию (F2).",
		"No product has this code.", "Check the code or find the product by name (F2)."},
	{pos.ErrProductNotFound, "Товар не найден в каталоге.", "Найдите товар по названию (F2).",
		"The product is not in the catalog.", "Find it by name (F2)."},
	{pos.ErrPaperOut, "В ККТ закончилась бумага.", "Заправьте чековую ленту и нажмите «Повторить». Чек не потерян.",
		"The register is out of paper.", "Load a paper roll and press Retry. The receipt is kept."},
	{pos.ErrShiftExpired, "Смена длится больше 24 часов: по закону продавать нельзя.", "Закройте смену (F12 → Z-отчёт) и откройте новую.",
		"The shift is over 24 hours: selling is not allowed.", "Close the shift (F12 → Z report) and open a new one."},
	{pos.ErrShiftClosed, "Смена закрыта.", "Откройте смену (F12).",
		"The shift is closed.", "Open a shift (F12)."},
	{pos.ErrShiftOpen, "Смена уже открыта.", "",
		"The shift is already open.", ""},
	{pos.ErrSalePending, "Предыдущий чек не завершён: ККТ не ответила, пробит ли он.", "Проверьте связь с ККТ и нажмите «Повторить» (F12 → Проверить чек).",
		"The previous receipt is unfinished: the register did not say whether it printed it.", "Check the register link and press Retry (F12)."},
	{pos.ErrOutcomeUnknown, "Связь с ККТ прервалась во время печати чека.", "Проверьте кабель и питание ККТ и нажмите «Повторить»: касса сама узнает, пробит ли чек. Повторно он пробит не будет.",
		"The link to the register broke while printing.", "Check the cable and power, then Retry: the till finds out whether it was printed and never prints it twice."},
	{pos.ErrRegisterOffline, "ККТ не отвечает.", "Проверьте, что ККТ включена и кабель подключён, затем нажмите «Повторить». Чек сохранён.",
		"The register does not respond.", "Check that it is on and connected, then Retry. The receipt is kept."},
	{pos.ErrNeedsWeight, "Товар весовой: нужен вес.", "Положите товар на весы и повторите, или введите вес: 0,734*код.",
		"This product is sold by weight.", "Put it on the scale and try again, or type the weight: 0.734*code."},
	{pos.ErrScaleUnstable, "Вес не успокоился.", "Уберите руки с весов, дождитесь остановки и повторите.",
		"The weight did not settle.", "Take your hands off the scale, wait and try again."},
	{pos.ErrScaleOverload, "Весы перегружены или показывают минус.", "Снимите лишнее с весов, обнулите их и повторите.",
		"The scale is overloaded or below zero.", "Take things off the scale, zero it and try again."},
	{pos.ErrScaleOffline, "Весы не отвечают.", "Проверьте кабель и питание весов или введите вес вручную: 0,734*код.",
		"The scale does not respond.", "Check its cable and power, or type the weight: 0.734*code."},
	{pos.ErrEmptyCart, "В чеке нет товаров.", "Отсканируйте товар.",
		"The receipt is empty.", "Scan a product."},
	{pos.ErrUnderpaid, "Внесённой суммы не хватает.", "Введите сумму не меньше остатка или оплатите остаток картой (Ctrl+Enter).",
		"The amount tendered is not enough.", "Type at least the remaining amount or pay the rest by card (Ctrl+Enter)."},
	{pos.ErrCardOverpay, "Картой нельзя оплатить больше суммы чека.", "",
		"A card cannot pay more than is due.", ""},
	{pos.ErrBadAmount, "Сумма или количество введены неверно.", "Введите число, например 150 или 150,50.",
		"That is not an amount or quantity.", "Type a number such as 150 or 150.50."},
	{pos.ErrBadQuantity, "Недопустимое количество.", "Штучный товар продаётся целыми штуками; количество должно быть больше нуля.",
		"That quantity is not allowed.", "Piece goods are sold in whole pieces; the quantity must be above zero."},
	{pos.ErrBadDiscount, "Скидка больше суммы.", "Введите меньшую скидку.",
		"The discount exceeds the sum.", "Enter a smaller discount."},
	{pos.ErrLineCancelled, "Позиция уже сторнирована.", "",
		"The line is already void.", ""},
	{pos.ErrLineNotFound, "Позиция не выбрана.", "Выберите строку стрелками ↑/↓.",
		"No line is selected.", "Select a line with ↑/↓."},
	{pos.ErrNoDeferred, "Отложенный чек не найден.", "",
		"The deferred receipt is gone.", ""},
	{pos.ErrNotFiscalised, "ККТ отказала: чек не пробит.", "Устраните причину и повторите оплату. Чек сохранён.",
		"The register refused: the receipt was not printed.", "Fix the cause and pay again. The receipt is kept."},
}

// Explain turns any error into a Message in the given language.
func Explain(l Lang, err error) Message {
	if m, ok := explainStaffErr(l, err); ok { // staff.go: PINs, locks, roles
		return m
	}
	var m Message
	for _, e := range errTexts {
		if errors.Is(err, e.err) {
			m = Message{Text: e.ruText, Action: e.ruAction}
			if l == English {
				m = Message{Text: e.enText, Action: e.enAction}
			}
			break
		}
	}
	var re *pos.RegisterError
	if errors.As(err, &re) {
		if m.Text == "" {
			m.Text = re.Text
			m.Action = l.T("err.register.action")
			if l == English {
				m.Text = "The register refused the operation."
			}
		}
		m.Detail = fmt.Sprintf("ККТ: %s (код 0x%02X)", re.Text, re.Code)
	}
	if m.Text == "" {
		if l == English {
			m = Message{Text: "Something went wrong; the receipt is kept.", Action: "Try again; if it repeats, call the senior cashier."}
		} else {
			m = Message{Text: "Операция не выполнена; чек сохранён.", Action: "Повторите; если ошибка повторится — позовите старшего кассира."}
		}
	}
	return m
}
