package ui

import (
	"github.com/kassa-pos/kassa/pos/loyalty"
)

// loyaltyTexts are the loyalty customer's strings {ru, en}, added to texts at start-up.
var loyaltyTexts = map[string][2]string{
	"key.customer":          {"F9 Покупатель", "F9 Customer"},
	"customer.title":        {"Покупатель", "Customer"},
	"customer.prompt":       {"Отсканируйте карту или QR-код из приложения магазина, или введите телефон покупателя", "Scan the loyalty card or the store app's QR code, or type the customer's phone"},
	"customer.hint":         {"Enter — найти · F9 — электронный чек · Esc — закрыть", "Enter finds · F9 electronic receipt · Esc closes"},
	"customer.find":         {"Enter — Найти", "Enter — Find"},
	"customer.ereceipt":     {"F9 — Эл. чек", "F9 — E-receipt"},
	"customer.phone.send":   {"Эл. чек на этот телефон", "E-receipt to this phone"},
	"customer.forget":       {"Убрать покупателя", "Remove the customer"},
	"customer.redeem":       {"Ctrl+F9 — Списать баллы", "Ctrl+F9 — Redeem points"},
	"customer.redeem.upto":  {"Ctrl+F9 — Списать до %s", "Ctrl+F9 — Redeem up to %s"},
	"customer.giveback":     {"Ctrl+F9 — Вернуть баллы", "Ctrl+F9 — Give the points back"},
	"customer.found":        {"Покупатель: %s, баллов %s", "Customer: %s, %s points"},
	"customer.forgotten":    {"Покупатель убран из чека", "The customer is off the receipt"},
	"customer.current":      {"Сейчас в чеке: %s", "On the receipt now: %s"},
	"customer.backspace":    {"⌫", "⌫"},
	"loyalty.name":          {"★ %s", "★ %s"},
	"loyalty.card":          {"карта %s", "card %s"},
	"loyalty.phone":         {"тел. %s", "phone %s"},
	"loyalty.app":           {"приложение", "app"},
	"loyalty.balance":       {"Баллы %s, доступно %s", "Points %s, available %s"},
	"loyalty.pending":       {", ждут начисления +%s", ", to be credited +%s"},
	"loyalty.redeemed":      {"списано %s ₽", "redeemed %s ₽"},
	"loyalty.earn":          {"начислим %s (%s)", "will earn %s (%s)"},
	"loyalty.offline":       {"нет связи: списание не более %s", "offline: at most %s redeemed"},
	"loyalty.offline.none":  {"нет связи: списание недоступно", "offline: no redemption"},
	"loyalty.offers":        {"предложения: %s", "offers: %s"},
	"loyalty.applied":       {"применено: %s", "applied: %s"},
	"loyalty.applied.sum":   {"%s −%s ₽", "%s −%s ₽"},
	"loyalty.waiting":       {"ещё доступно: %s", "also available: %s"},
	"redeem.title":          {"Списать баллы", "Redeem points"},
	"redeem.who":            {"%s: баллов %s, к списанию доступно %s", "%s: %s points, %s redeemable"},
	"redeem.rules":          {"Не более %s чека%s; баллы списываются скидкой на чек до печати.", "At most %s of the receipt%s; points become a receipt discount before printing."},
	"redeem.rules.offline":  {", без связи — не более %s", ", offline at most %s"},
	"redeem.rules.step":     {", целыми рублями", ", in whole rubles"},
	"redeem.amount":         {"Сумма баллов (пусто — максимум %s), Enter", "Points to redeem (empty: the most, %s), Enter"},
	"redeem.done":           {"Списано баллами %s ₽ — к оплате %s ₽", "%s ₽ paid with points — %s ₽ due"},
	"redeem.giveback":       {"Вернуть покупателю списанные баллы (%s ₽)?", "Give the customer back the points redeemed (%s ₽)?"},
	"redeem.givenback":      {"Баллы возвращены: к оплате %s ₽", "Points given back: %s ₽ due"},
	"tier.":                 {"", ""},
	"tier.silver":           {"Серебро", "Silver"},
	"tier.gold":             {"Золото", "Gold"},
	"display.hello":         {"Здравствуйте,", "Hello,"},
	"display.points":        {"Баллы", "Points"},
	"display.points.redeem": {"Баллами", "Points"},
}

var loyaltyErrTexts = []errText{
	{loyalty.ErrNoCustomers, "Список покупателей ещё не получен с сервера.", "Дождитесь связи с сервером (F12 → отправить данные) или продавайте без карты.",
		"The customers have not been received from the hub yet.", "Wait for the hub (F12 → sync) or sell without the card."},
	{loyalty.ErrBadCard, "Карта прочитана с ошибкой.", "Отсканируйте карту ещё раз или найдите покупателя по телефону (F9).",
		"The card was misread.", "Scan it again or find the customer by phone (F9)."},
	{loyalty.ErrUnknownCard, "Карта не найдена: её нет в списке покупателей.", "Найдите покупателя по телефону (F9) или продавайте без карты.",
		"The card is not known.", "Find the customer by phone (F9) or sell without the card."},
	{loyalty.ErrUnknownPhone, "Покупатель с таким телефоном не найден.", "Проверьте номер или отсканируйте карту.",
		"No customer has this phone.", "Check the number or scan the card."},
	{loyalty.ErrBadPhone, "Это не карта, не QR-код приложения и не номер телефона.", "Отсканируйте карту или введите телефон: +7 900 000-00-01.",
		"That is neither a card, the app's code nor a phone number.", "Scan the card or type a phone: +7 900 000-00-01."},
	{loyalty.ErrUnknownCustomer, "Покупателя из приложения нет в списке кассы.", "Продавайте без карты; список обновится при связи с сервером.",
		"The app's customer is not known at this till.", "Sell without the card; the list updates when the hub is reached."},
	{loyalty.ErrQRForged, "QR-код приложения поддельный: подпись не сходится.", "Не принимайте его. Попросите показать карту или назвать телефон.",
		"The app code is forged: its signature does not match.", "Do not accept it. Ask for the card or the phone number."},
	{loyalty.ErrQRExpired, "QR-код приложения устарел.", "Попросите покупателя обновить код в приложении и отсканируйте снова.",
		"The app code has expired.", "Ask the customer to refresh it in the app and scan again."},
	{loyalty.ErrQRKey, "QR-код подписан ключом, которого нет на кассе.", "Сообщите администратору (ключи [keys] в настройках). Найдите покупателя по телефону.",
		"The app code is signed with a key this till does not have.", "Tell the administrator ([keys] in the settings). Find the customer by phone."},
	{loyalty.ErrQRMalformed, "QR-код приложения прочитан не полностью.", "Отсканируйте его ещё раз.",
		"The app code was read incompletely.", "Scan it again."},
	{loyalty.ErrNoCustomer, "В чеке нет покупателя.", "Сначала найдите покупателя: F9 или отсканируйте карту.",
		"No customer on the receipt.", "Find the customer first: F9, or scan the card."},
	{loyalty.ErrOfflineRedemption, "Без связи с сервером списывать баллы нельзя.", "Продавайте без списания; баллы будут начислены.",
		"Points cannot be redeemed while the hub is out of reach.", "Sell without redeeming; the points will be credited."},
	{loyalty.ErrNothingToRedeem, "Баллы на этот чек списать нельзя.", "Баланса или суммы чека не хватает; баллы будут начислены.",
		"No points can be redeemed on this receipt.", "Not enough balance or receipt; the points will be credited."},
	{loyalty.ErrTooManyPoints, "Столько баллов на этот чек списать нельзя.", "Введите сумму не больше доступной или оставьте поле пустым — спишется максимум.",
		"That many points cannot go on this receipt.", "Type no more than available, or leave it empty for the most."},
	{loyalty.ErrOff, "Программа лояльности на кассе не настроена.", "", "No loyalty programme is set up at this till.", ""},
}

func init() {
	for k, v := range loyaltyTexts {
		texts[k] = v
	}
	// The loyalty errors wrap barcode and buyer errors in places: theirs are the messages to show.
	errTexts = append(append([]errText(nil), loyaltyErrTexts...), errTexts...)
}
