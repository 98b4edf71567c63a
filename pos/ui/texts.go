package ui

import "fmt"

// Lang is the language of the screens. Russian is the default for a Russian till whatever the OS says;
// English is there for staff and support who need it.
type Lang string

const (
	Russian Lang = "ru"
	English Lang = "en"
)

// texts holds every string the screens show: {Russian, English}. Format verbs follow fmt.
var texts = map[string][2]string{
	"app.title":           {"Kassa — касса", "Kassa — till"},
	"mode.sale":           {"ПРОДАЖА", "SALE"},
	"shift.none":          {"Смена закрыта", "Shift closed"},
	"shift.open":          {"Смена № %d · открыта %s (%s)", "Shift #%d · opened %s (%s)"},
	"shift.expired":       {"Смена № %d превысила 24 ч — закройте смену (F12)", "Shift #%d is over 24 h — close it (F12)"},
	"cashier":             {"Кассир: %s", "Cashier: %s"},
	"kkt.ok":              {"ККТ ● готова", "Register ● ready"},
	"kkt.off":             {"ККТ ● нет связи", "Register ● not responding"},
	"kkt.wait":            {"ККТ ● …", "Register ● …"},
	"net.online":          {"Сеть ● онлайн", "Network ● online"},
	"net.offline":         {"Сеть ● офлайн", "Network ● offline"},
	"net.unauth":          {"Сеть ● доступ запрещён", "Network ● not authorised"},
	"net.unsent":          {"не отправлено: %d (%s)", "unsent: %d (%s)"},
	"net.allsent":         {"всё отправлено", "all sent"},
	"net.dead":            {"отклонено: %d", "rejected: %d"},
	"col.n":               {"№", "#"},
	"col.name":            {"Наименование", "Item"},
	"col.price":           {"Цена", "Price"},
	"col.qty":             {"Кол-во", "Qty"},
	"col.discount":        {"Скидка", "Discount"},
	"col.sum":             {"Сумма", "Sum"},
	"line.cancelled":      {"СТОРНО %s · %s", "VOID %s · %s"},
	"total":               {"ИТОГО", "TOTAL"},
	"lines":               {"Позиций: %d", "Lines: %d"},
	"discount":            {"Скидка: %s", "Discount: %s"},
	"last":                {"Последний: %s  %s × %s", "Last: %s  %s × %s"},
	"change":              {"СДАЧА %s ₽", "CHANGE %s ₽"},
	"sold":                {"Чек пробит: ФД %d · ФП %010d · %s ₽", "Receipt done: FD %d · FP %010d · %s ₽"},
	"input":               {"Ввод ▸", "Input ▸"},
	"input.hint":          {"штрихкод или код товара, Enter · n* — количество · F2 — поиск", "barcode or item code, Enter · n* — quantity · F2 — search"},
	"qty.pending":         {"Кол-во: %s", "Qty: %s"},
	"tape.title":          {"Лента ККТ (эмулятор)", "Register tape (emulator)"},
	"key.help":            {"F1 Справка", "F1 Help"},
	"key.search":          {"F2 Поиск", "F2 Search"},
	"key.deferred":        {"F5 Отложенные", "F5 Deferred"},
	"key.defer":           {"Shift+F5 Отложить", "Shift+F5 Defer"},
	"key.discount":        {"F7 Скидка", "F7 Discount"},
	"key.storno":          {"F8 Сторно", "F8 Void line"},
	"key.service":         {"F12 Сервис", "F12 Service"},
	"key.pay":             {"+ Оплата", "+ Pay"},
	"pay.title":           {"ОПЛАТА", "PAYMENT"},
	"pay.due":             {"К оплате", "Amount due"},
	"pay.paid":            {"Внесено", "Tendered"},
	"pay.rest":            {"Остаток", "Remaining"},
	"pay.cash.entry":      {"Наличными (сумма, Enter)", "Cash amount, Enter"},
	"pay.cash":            {"Enter Наличные", "Enter Cash"},
	"pay.card":            {"Ctrl+Enter Картой (на остаток)", "Ctrl+Enter Card (remaining)"},
	"pay.back":            {"Esc Назад к чеку", "Esc Back to receipt"},
	"pay.tender.cash":     {"наличные %s", "cash %s"},
	"pay.tender.card":     {"карта %s", "card %s"},
	"pay.progress":        {"Печать чека… не выключайте ККТ", "Printing the receipt… keep the register on"},
	"scale.reading":       {"Весы: ожидание стабильного веса…", "Scale: waiting for a stable weight…"},
	"scale.qty":           {"Вес: %s кг (весы)", "Weight: %s kg (scale)"},
	"display.welcome":     {"ДОБРО ПОЖАЛОВАТЬ!", "WELCOME!"},
	"display.total":       {"ИТОГО", "TOTAL"},
	"display.thanks":      {"СПАСИБО ЗА ПОКУПКУ!", "THANK YOU!"},
	"display.change":      {"СДАЧА", "CHANGE"},
	"card.check":          {"Проверка ККТ перед оплатой картой…", "Checking the register before the card payment…"},
	"card.title":          {"Оплата картой", "Card payment"},
	"card.prompt":         {"Проведите %s ₽ на банковском терминале.", "Charge %s ₽ on the bank terminal."},
	"card.code":           {"Когда терминал одобрит оплату, введите код авторизации или RRN с его слипа и нажмите Enter. Esc — оплата не прошла.", "When the terminal approves, type the approval code or RRN from its slip and press Enter. Esc: the payment failed."},
	"card.bad":            {"Код авторизации: 4–20 латинских букв и цифр", "Approval code: 4–20 letters and digits"},
	"card.cancelled":      {"Оплата картой не прошла — чек сохранён, выберите другой способ оплаты", "The card payment failed — the receipt is kept, choose another tender"},
	"card.charging":       {"Оплата на терминале — следуйте его указаниям…", "Paying on the terminal — follow its prompts…"},
	"search.title":        {"Поиск товара", "Find a product"},
	"search.hint":         {"название, артикул или штрихкод; Enter — добавить, Esc — закрыть", "name, article or barcode; Enter adds, Esc closes"},
	"search.none":         {"Ничего не найдено", "Nothing found"},
	"deferred.title":      {"Отложенные чеки", "Deferred receipts"},
	"deferred.none":       {"Отложенных чеков нет", "No deferred receipts"},
	"deferred.item":       {"%s · позиций %d · %s ₽", "%s · %d lines · %s ₽"},
	"deferred.saved":      {"Чек отложен (%s ₽). F5 — вернуть", "Receipt deferred (%s ₽). F5 brings it back"},
	"storno.confirm":      {"Сторнировать позицию %d «%s»?", "Void line %d “%s”?"},
	"discount.title":      {"Скидка", "Discount"},
	"discount.line":       {"на позицию %d «%s»", "on line %d “%s”"},
	"discount.receipt":    {"на весь чек", "on the whole receipt"},
	"discount.amount":     {"Сумма скидки, ₽ (0 — убрать)", "Discount, ₽ (0 removes)"},
	"service.title":       {"Сервис", "Service"},
	"service.open":        {"Открыть смену", "Open shift"},
	"service.close":       {"Закрыть смену (Z-отчёт)", "Close shift (Z report)"},
	"service.sync":        {"Отправить данные сейчас", "Sync now"},
	"service.status":      {"Состояние ККТ", "Register status"},
	"service.resolve":     {"Проверить незавершённый чек", "Check the unfinished receipt"},
	"shift.ask":           {"Смена закрыта. Открыть смену на кассира %s?", "The shift is closed. Open it for %s?"},
	"shift.opened":        {"Смена № %d открыта", "Shift #%d opened"},
	"shift.closed":        {"Смена № %d закрыта, Z-отчёт напечатан", "Shift #%d closed, Z report printed"},
	"recovered":           {"После сбоя: завершено %d, пробито заново %d, аннулировано %d", "After a failure: %d completed, %d re-fiscalised, %d cancelled"},
	"btn.ok":              {"Enter — Да", "Enter — Yes"},
	"btn.cancel":          {"Esc — Нет", "Esc — No"},
	"btn.retry":           {"Enter — Повторить", "Enter — Retry"},
	"btn.back":            {"Esc — Назад", "Esc — Back"},
	"btn.close":           {"Esc — Закрыть", "Esc — Close"},
	"err.title":           {"Ошибка", "Error"},
	"err.register.action": {"Устраните причину и нажмите «Повторить». Чек сохранён.", "Fix the cause and press Retry. The receipt is kept."},
	"help.title":          {"Клавиши кассы", "Till keys"},
	"kkt.status":          {"ККТ: смена %s, последний ФД %d, ФН %s", "Register: shift %s, last FD %d, FN %s"},
	"kkt.shift.open":      {"открыта", "open"},
	"kkt.shift.closed":    {"закрыта", "closed"},
	"kkt.shift.expired":   {"истекла (>24 ч)", "expired (>24 h)"},
}

// T returns the text for key in the UI's language, formatted with args.
func (l Lang) T(key string, args ...any) string {
	pair, ok := texts[key]
	if !ok {
		return key
	}
	s := pair[0]
	if l == English {
		s = pair[1]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
