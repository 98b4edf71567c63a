package ui

import (
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/pickup"
)

var pickupTexts = map[string][2]string{
	"pk.title":              {"Kassa — выдача заказов", "Kassa — order pickup"},
	"pk.mode":               {"ВЫДАЧА ЗАКАЗОВ", "ORDER PICKUP"},
	"pk.staff":              {"Оператор: %s", "Staff: %s"},
	"pk.count":              {"Готово к выдаче: %d", "Ready for pickup: %d"},
	"pk.overdue":            {"⚠ просрочено: %d", "⚠ overdue: %d"},
	"pk.today":              {"⏱ истекает сегодня: %d", "⏱ expiring today: %d"},
	"pk.input":              {"Скан QR / номер заказа ▸", "Scan QR / order no. ▸"},
	"pk.input.hint":         {"QR-код клиента или номер заказа и 4 последние цифры телефона через пробел, Enter", "customer's QR, or the order number and the phone's last 4 digits, Enter"},
	"pk.list.hint":          {"↑/↓ и Enter — открыть выбранный заказ (спросит 4 цифры телефона) · F12 — сервис", "↑/↓ and Enter open the selected order (asks for the phone's 4 digits) · F12 service"},
	"pk.scan.hint":          {"сканируйте каждый товар; DataMatrix — для маркированных; Esc — отмена выдачи", "scan each item; the DataMatrix of marked goods; Esc cancels"},
	"pk.col.order":          {"Заказ", "Order"},
	"pk.col.customer":       {"Клиент", "Customer"},
	"pk.col.phone":          {"Телефон", "Phone"},
	"pk.col.items":          {"Поз.", "Lines"},
	"pk.col.sum":            {"Сумма", "Total"},
	"pk.col.pay":            {"Оплата", "Payment"},
	"pk.col.waits":          {"Ожидает", "Waiting"},
	"pk.col.until":          {"Хранение до", "Keep until"},
	"pk.col.state":          {"Статус", "Status"},
	"pk.col.item":           {"Товар", "Item"},
	"pk.col.qty":            {"Кол", "Qty"},
	"pk.col.scanned":        {"Отскан.", "Scanned"},
	"pk.paid.online":        {"онлайн ✓", "paid online ✓"},
	"pk.paid.due":           {"к оплате %s", "due %s"},
	"pk.paid.part":          {"доплата %s", "balance %s"},
	"pk.state.ready":        {"● готов", "● ready"},
	"pk.state.overdue":      {"⚠ просрочен", "⚠ overdue"},
	"pk.state.progress":     {"⏳ не завершён — F10", "⏳ unfinished — F10"},
	"pk.empty":              {"Заказов к выдаче нет", "No orders waiting"},
	"pk.order":              {"Заказ %s   ● ГОТОВ К ВЫДАЧЕ   Хранение до %s (%s)", "Order %s   ● READY   Keep until %s (%s)"},
	"pk.order.overdue":      {"Заказ %s   ⚠ ПРОСРОЧЕН   Хранение до %s, ждёт %s", "Order %s   ⚠ OVERDUE   Keep until %s, waiting %s"},
	"pk.order.resume":       {"Заказ %s   ⏳ ВЫДАЧА НЕ ЗАВЕРШЕНА — F10 завершит её без повторных чеков", "Order %s   ⏳ HAND-OVER UNFINISHED — F10 finishes it, no receipt twice"},
	"pk.customer":           {"Клиент: %s   ☎ %s   Найден по: %s", "Customer: %s   ☎ %s   Found by: %s"},
	"pk.via.qr":             {"QR-коду", "QR code"},
	"pk.via.number":         {"номеру и телефону", "number and phone"},
	"pk.pay.full":           {"Оплата: онлайн ✓ %s ₽", "Payment: online ✓ %s ₽"},
	"pk.pay.none":           {"Оплата: при получении %s ₽", "Payment: due at pickup %s ₽"},
	"pk.pay.part":           {"Оплата: онлайн ✓ %s ₽ / при получении %s ₽", "Payment: online ✓ %s ₽ / due at pickup %s ₽"},
	"pk.marked":             {"В заказе маркированный товар: сканируйте DataMatrix каждой упаковки", "The order has marked goods: scan each pack's DataMatrix"},
	"pk.line.ok":            {"✓ к выдаче", "✓ to hand over"},
	"pk.line.more":          {"… отсканируйте ещё %s", "… scan %s more"},
	"pk.line.weighed":       {"… отсканируйте этикетку", "… scan the label"},
	"pk.line.refused":       {"✗ Отказ: %s", "✗ Refused: %s"},
	"pk.line.part":          {"✗ Отказ от %s: %s · ", "✗ %s refused: %s · "},
	"pk.summary":            {"К выдаче %d из %d · отсканировано %d · отказ %d · к оплате %s ₽", "To hand over %d of %d · scanned %d · refused %d · due %s ₽"},
	"pk.summary.refund":     {" · возврат предоплаты %s ₽", " · prepayment back %s ₽"},
	"pk.scanned":            {"✓ %s — %s из %s", "✓ %s — %s of %s"},
	"pk.complete":           {"Все товары проверены. F10 — выдать и пробить чек.", "Every item checked. F10 hands over and prints the receipt."},
	"pk.opened":             {"Заказ %s открыт: сканируйте товары.", "Order %s open: scan the items."},
	"pk.key.list":           {"F3 Список", "F3 List"},
	"pk.key.refuse":         {"F8 Отказ от позиции", "F8 Refuse line"},
	"pk.key.print":          {"F9 Печать акта", "F9 Print slip"},
	"pk.key.handover":       {"F10 Выдать и пробить", "F10 Hand over"},
	"pk.key.service":        {"F12 Сервис", "F12 Service"},
	"pk.key.cancel":         {"Esc Отмена", "Esc Cancel"},
	"pk.phone.title":        {"Проверка клиента", "Customer check"},
	"pk.phone.ask":          {"Заказ %s: введите 4 последние цифры телефона клиента и нажмите Enter.", "Order %s: type the last 4 digits of the customer's phone and press Enter."},
	"pk.refuse.title":       {"Отказ от позиции", "Refuse a line"},
	"pk.refuse.line":        {"«%s» — заказано %s", "“%s” — ordered %s"},
	"pk.refuse.qty":         {"Количество отказа (0 — отменить отказ)", "Quantity refused (0 takes it back)"},
	"pk.refuse.reason":      {"Причина (или 1–4)", "Reason (or 1–4)"},
	"pk.reason.1":           {"Не подошёл размер", "Wrong size"},
	"pk.reason.2":           {"Брак / повреждение", "Defective / damaged"},
	"pk.reason.3":           {"Передумал", "Changed mind"},
	"pk.reason.4":           {"Нет на полке", "Not on the shelf"},
	"pk.cancel.ask":         {"Отменить выдачу заказа %s? Отсканированное не сохранится, заказ останется готовым к выдаче.", "Cancel the hand-over of order %s? The scans are dropped; the order stays ready."},
	"pk.give.title":         {"Выдача заказа %s", "Hand over order %s"},
	"pk.give.goods":         {"К выдаче %d шт. на %s ₽", "%d items worth %s ₽ to hand over"},
	"pk.give.offset":        {"Зачёт предоплаты: %s ₽", "Prepayment set off: %s ₽"},
	"pk.give.refund":        {"Возврат предоплаты за отказ: %s ₽ — вернётся на карту клиента (чек возврата)", "Prepayment back for refused goods: %s ₽ — to the customer's card (return receipt)"},
	"pk.give.due":           {"К оплате: %s ₽", "Due: %s ₽"},
	"pk.give.progress":      {"Выдача: печать чека… не выключайте ККТ", "Hand-over: printing the receipt… keep the register on"},
	"pk.done":               {"Заказ %s выдан: чек ФД %d", "Order %s handed over: receipt FD %d"},
	"pk.done.refund":        {", возврат предоплаты %s ₽ ФД %d", ", prepayment back %s ₽ FD %d"},
	"pk.done.change":        {". СДАЧА %s ₽", ". CHANGE %s ₽"},
	"pk.print.progress":     {"Печать акта выдачи…", "Printing the pickup slip…"},
	"pk.print.done":         {"Акт выдачи заказа %s напечатан", "Pickup slip of order %s printed"},
	"pk.print.failed":       {"Акт выдачи не напечатан: %s. F9 — напечатать снова.", "Pickup slip not printed: %s. F9 prints it again."},
	"pk.print.none":         {"Печатать нечего: ещё ни один заказ не выдан.", "Nothing to print: no order handed over yet."},
	"pk.print.noprinter":    {"Принтер чеков не подключён: акт не печатается.", "No receipt printer: no slip."},
	"pk.recovered":          {"После сбоя: завершено выдач %d, снова готовы к выдаче %d", "After a failure: %d hand-overs finished, %d orders ready again"},
	"pk.select.line":        {"Выберите позицию стрелками ↑/↓, затем F8.", "Select a line with ↑/↓, then F8."},
	"pk.busy.order":         {"Сначала завершите (F10) или отмените (Esc) выдачу заказа %s.", "Finish (F10) or cancel (Esc) the hand-over of order %s first."},
	"pk.service.unfinished": {"Завершить незавершённые выдачи", "Finish unfinished hand-overs"},
}

// pickupErrTexts explain the desk's refusals; they are checked before the till's.
var pickupErrTexts = []errText{
	{pickup.ErrQRForged, "QR-код не прошёл проверку подписи: он не выдан нашим магазином или изменён.", "Не выдавайте заказ по этому коду. Попросите клиента открыть QR в приложении или назовите номер заказа и проверьте телефон.",
		"The QR code's signature does not check out: not issued by the shop, or altered.", "Do not hand over on this code. Ask for the QR in the app, or take the order number and check the phone."},
	{pickup.ErrQRInvalid, "QR-код не читается: это не код выдачи заказа или он повреждён.", "Отсканируйте ещё раз или введите номер заказа и 4 цифры телефона.",
		"The QR code cannot be read: not a pickup code, or damaged.", "Scan again, or type the order number and the phone's last 4 digits."},
	{pickup.ErrQRExpired, "Срок действия QR-кода истёк.", "Попросите клиента обновить QR в приложении или введите номер заказа и 4 цифры телефона.",
		"The QR code has expired.", "Ask the customer to refresh it in the app, or type the order number and the phone's last 4 digits."},
	{pickup.ErrForeignStore, "Заказ оформлен на выдачу в другом магазине.", "Подскажите клиенту адрес магазина выдачи; здесь заказ не выдаётся.",
		"The order is for pickup at another store.", "Tell the customer which store; it is not handed over here."},
	{pickup.ErrAlreadyCollected, "Заказ уже выдан.", "Повторная выдача невозможна. Если клиент не получал товар — позовите старшего.",
		"The order was handed over already.", "It cannot be handed over twice. If the customer did not get it, call the supervisor."},
	{pickup.ErrOrderCancelled, "Заказ отменён интернет-магазином.", "Выдача невозможна; клиент может уточнить в службе поддержки.",
		"The web shop cancelled the order.", "It cannot be handed over; the customer may ask support."},
	{pickup.ErrNotReady, "Заказ ещё не готов к выдаче.", "Выдавать можно только заказы со статусом «Готов».",
		"The order is not ready yet.", "Only ready orders are handed over."},
	{pickup.ErrOrderNotFound, "Заказ не найден на этой кассе.", "Проверьте номер. Если заказ новый — нажмите F12 → «Отправить данные сейчас» и повторите.",
		"The order is not on this terminal.", "Check the number. A new order: F12 → Sync now, then try again."},
	{pickup.ErrWrongPhone, "Цифры телефона не совпадают с заказом.", "Переспросите 4 последние цифры номера, указанного в заказе.",
		"The phone digits do not match the order.", "Ask again for the last 4 digits of the phone given with the order."},
	{pickup.ErrTooManyAttempts, "Слишком много неверных попыток для этого заказа.", "Выдача по номеру заблокирована на 15 минут; попросите QR-код из приложения.",
		"Too many wrong attempts for this order.", "Pickup by number is locked for 15 minutes; ask for the app's QR code."},
	{pickup.ErrLineComplete, "Эта позиция уже отсканирована полностью.", "Лишний товар не выдавайте; проверьте следующую позицию.",
		"This line is already scanned in full.", "Do not hand over the extra item; go on with the next line."},
	{pickup.ErrNothingToHandOver, "Клиент отказался от всего заказа: выдавать нечего.", "Нажмите Esc. Заказ отменит интернет-магазин, предоплата вернётся клиенту автоматически.",
		"The customer refused the whole order: nothing to hand over.", "Press Esc. The web shop cancels the order and returns the prepayment."},
	{pickup.ErrAbandoned, "Чек выдачи не был пробит: заказ снова готов к выдаче.", "Отсканируйте заказ заново.",
		"The hand-over receipt was never printed: the order is ready again.", "Scan the order again."},
	{pos.ErrMarkingDuplicate, "Эта упаковка уже отсканирована.", "У каждой упаковки свой DataMatrix: отсканируйте следующую.",
		"This pack is scanned already.", "Every pack has its own DataMatrix: scan the next one."},
}

func init() {
	for k, v := range pickupTexts {
		texts[k] = v
	}
}

// explainPickup is Explain with the desk's own words first, and the names the typed errors carry.
func explainPickup(l Lang, err error) Message {
	var nio *pickup.NotInOrder
	var nv *pickup.NotVerified
	var mn *pos.MarkingNeeded
	var col *pickup.Collected
	ru := l != English
	switch {
	case errors.As(err, &col) && col.Here:
		at := col.At.Format("02.01 15:04")
		if ru {
			return Message{Text: fmt.Sprintf("Заказ %s уже выдан здесь %s (%s).", col.Number, at, col.Staff),
				Action: "Повторная выдача невозможна. Если клиент не получал товар — позовите старшего."}
		}
		return Message{Text: fmt.Sprintf("Order %s was handed over here on %s (%s).", col.Number, at, col.Staff),
			Action: "It cannot be handed over twice. If the customer did not get it, call the supervisor."}
	case errors.As(err, &nio):
		if ru {
			return Message{Text: fmt.Sprintf("«%s» нет в этом заказе.", nio.Name), Action: "Отложите товар: выдавать его нельзя."}
		}
		return Message{Text: fmt.Sprintf("“%s” is not in this order.", nio.Name), Action: "Put it aside: it is not handed over."}
	case errors.As(err, &nv):
		if ru {
			return Message{Text: fmt.Sprintf("Не проверена позиция «%s»: отсканировано %s из %s.", nv.Name, nv.Scanned, nv.Want),
				Action: "Отсканируйте товар или оформите отказ (F8)."}
		}
		return Message{Text: fmt.Sprintf("Line “%s” is not checked: %s of %s scanned.", nv.Name, nv.Scanned, nv.Want),
			Action: "Scan it or refuse it (F8)."}
	case errors.As(err, &mn):
		if ru {
			return Message{Text: fmt.Sprintf("«%s» — маркированный товар.", mn.Product.Name), Action: "Отсканируйте DataMatrix на упаковке, а не штрихкод."}
		}
		return Message{Text: fmt.Sprintf("“%s” is marked goods.", mn.Product.Name), Action: "Scan the DataMatrix on the pack, not the barcode."}
	}
	for _, e := range pickupErrTexts {
		if errors.Is(err, e.err) {
			if ru {
				return Message{Text: e.ruText, Action: e.ruAction}
			}
			return Message{Text: e.enText, Action: e.enAction}
		}
	}
	return Explain(l, err)
}
