package ui

import "github.com/kassa-pos/kassa/pos"

// refundTexts are the returns' strings {ru, en}, added to texts at start-up.
var refundTexts = map[string][2]string{
	"key.refund":            {"F4 Возврат", "F4 Return"},
	"refund.title":          {"ВОЗВРАТ", "RETURN"},
	"refund.scan":           {"Отсканируйте QR-код с чека покупателя и нажмите Enter. Нет чека или он с другой кассы — F4: возврат без чека.", "Scan the QR code on the customer's receipt and press Enter. No receipt, or one of another till: F4 returns without it."},
	"refund.scan.hint":      {"QR-код чека", "receipt QR code"},
	"refund.find":           {"Enter — Найти чек", "Enter — Find the receipt"},
	"refund.free":           {"F4 — Без чека", "F4 — Without receipt"},
	"refund.free.ask":       {"Оформить возврат без чека (отсканировать товары)?", "Return the goods without the receipt (scan them)?"},
	"refund.of":             {"Чек ФД %d от %s на %s ₽", "Receipt FD %d of %s, %s ₽"},
	"refund.without":        {"Возврат без чека: отсканируйте возвращаемые товары", "Return without a receipt: scan the goods brought back"},
	"refund.col.sold":       {"Продано", "Sold"},
	"refund.col.returned":   {"Возвращено", "Returned"},
	"refund.col.qty":        {"К возврату", "To return"},
	"refund.total":          {"К ВОЗВРАТУ  %s ₽", "TO RETURN  %s ₽"},
	"refund.entry":          {"количество, Enter", "quantity, Enter"},
	"refund.hint":           {"↑/↓ — строка · количество + Enter — сколько вернуть · +/− — по одной · Enter — к выплате · Esc — отмена", "↑/↓ line · quantity + Enter sets it · +/− one piece · Enter pays back · Esc cancels"},
	"refund.hint.free":      {"Сканируйте товар (n*код — количество) · n* + Enter — количество строки · =цена + Enter — цена из бумажного чека · Del — убрать · Enter — к выплате", "Scan a product (n*code for a quantity) · n* + Enter sets the line's quantity · =price + Enter sets the paper receipt's price · Del removes · Enter pays back"},
	"refund.next":           {"Enter — К выплате", "Enter — Pay back"},
	"refund.pay.title":      {"ВЫПЛАТА ПО ВОЗВРАТУ", "PAYING BACK"},
	"refund.due":            {"Вернуть покупателю", "Back to the customer"},
	"refund.limits":         {"Можно вернуть: наличными %s · на карту %s · на предоплату %s", "May go back: cash %s · to a card %s · to the prepayment %s"},
	"refund.cash.entry":     {"Наличными (сумма, Enter)", "Cash amount, Enter"},
	"refund.cash":           {"Enter Наличными", "Enter Cash"},
	"refund.card":           {"Ctrl+Enter На карту", "Ctrl+Enter To a card"},
	"refund.prepaid":        {"Shift+Enter На предоплату", "Shift+Enter To the prepayment"},
	"refund.back":           {"Esc К строкам", "Esc Back to the lines"},
	"refund.tender.prepaid": {"на предоплату %s", "to the prepayment %s"},
	"refund.card.title":     {"Возврат на карту", "Return to a card"},
	"refund.card.prompt":    {"Проведите ВОЗВРАТ %s ₽ на банковском терминале.", "Run a RETURN of %s ₽ on the bank terminal."},
	"refund.card.code":      {"Когда терминал выполнит возврат, введите код авторизации или RRN с его слипа и нажмите Enter. Esc — возврат на карту не прошёл.", "When the terminal has done the return, type the approval code or RRN from its slip and press Enter. Esc: the card return failed."},
	"refund.card.failed":    {"Возврат на карту не прошёл — выберите другой способ", "The card return failed — choose another way"},
	"refund.progress":       {"Печать чека возврата… не выключайте ККТ", "Printing the return receipt… keep the register on"},
	"refund.done":           {"Возврат пробит: ФД %d · ФП %010d · %s ₽", "Return done: FD %d · FP %010d · %s ₽"},
	"refund.give":           {"ВЫДАТЬ %s ₽", "GIVE BACK %s ₽"},
	"refund.display":        {"ВОЗВРАТ", "RETURN"},
}

// refundErrTexts explain the errors of returns; they go before the general ones.
var refundErrTexts = []errText{
	{pos.ErrNotReceiptQR, "Это не QR-код кассового чека.", "Отсканируйте QR-код с чека покупателя или нажмите F4 — возврат без чека.",
		"This is not a receipt's QR code.", "Scan the QR code on the customer's receipt, or press F4 to return without it."},
	{pos.ErrReceiptNotFound, "Чека нет в журнале этой кассы.", "Товар можно вернуть без чека (F4): отсканируйте товары и введите цены из бумажного чека.",
		"This till's journal does not have the receipt.", "The goods can be returned without it (F4): scan them and type the paper receipt's prices."},
	{pos.ErrReceiptMismatch, "QR-код не совпадает с чеком в журнале (фискальный признак или сумма).", "Чек может быть повреждён или подделан — позовите старшего кассира.",
		"The QR code does not match the journal's receipt (fiscal sign or total).", "The receipt may be damaged or forged — call the senior cashier."},
	{pos.ErrNotASaleReceipt, "Это чек возврата, а не продажи.", "Отсканируйте QR-код чека продажи.",
		"This is a return receipt, not a sale's.", "Scan the sale receipt's QR code."},
	{pos.ErrOriginalNotFiscalised, "Продажа по этому чеку не завершена: она аннулирована или не пробита.", "Возврат по ней невозможен.",
		"The sale of this receipt is not complete: it was cancelled or never fiscalised.", "It cannot be returned."},
	{pos.ErrAlreadyRefunded, "По этому чеку всё уже возвращено.", "",
		"Everything on this receipt has been returned already.", ""},
	{pos.ErrRefundExceeds, "Нельзя вернуть больше, чем продано (с учётом прошлых возвратов).", "Уменьшите количество.",
		"More cannot be returned than was sold (counting earlier returns).", "Lower the quantity."},
	{pos.ErrNothingToRefund, "Не выбрано, что возвращать.", "Выберите строку стрелками ↑/↓, введите количество и нажмите Enter.",
		"Nothing is chosen to return.", "Pick a line with ↑/↓, type the quantity and press Enter."},
	{pos.ErrRefundTender, "Деньги возвращаются так же, как платили: не больше, чем оплачено наличными, картой или предоплатой.", "Выберите другой способ выплаты или разделите сумму.",
		"Money goes back the way it was paid: no more than was paid in cash, by card or in advance.", "Choose another way or split the amount."},
	{pos.ErrCartNotEmpty, "Сейчас оформляется чек продажи.", "Завершите или отложите его (Shift+F5), затем оформите возврат.",
		"A sale receipt is being built.", "Finish or defer it (Shift+F5), then do the return."},
}

func init() {
	for k, v := range refundTexts {
		texts[k] = v
	}
	errTexts = append(append([]errText(nil), refundErrTexts...), errTexts...)
}
