package ui

// staffTexts are the login, the senior's PIN and the role names.
var staffTexts = map[string][2]string{
	"login.title":           {"Вход кассира", "Cashier sign-in"},
	"login.prompt":          {"Введите PIN и нажмите Enter", "Type your PIN and press Enter"},
	"login.pin":             {"PIN", "PIN"},
	"login.ok":              {"Войти", "Sign in"},
	"login.hello":           {"Вход: %s (%s)", "Signed in: %s (%s)"},
	"senior.title":          {"Нужен PIN старшего кассира", "Senior cashier's PIN needed"},
	"senior.what":           {"Действие: %s", "Action: %s"},
	"senior.prompt":         {"Кассир %s остаётся в системе. PIN старшего кассира или администратора:", "Cashier %s stays signed in. Senior cashier's or administrator's PIN:"},
	"pin.wrong":             {"Неверный PIN.", "Wrong PIN."},
	"pin.left":              {"Осталось попыток до блокировки: %d.", "Tries left before the lock: %d."},
	"pin.locked":            {"Слишком много неверных PIN: ввод заблокирован на %d с.", "Too many wrong PINs: entry is locked for %d s."},
	"pin.locked.action":     {"Подождите до %s и попробуйте снова.", "Wait until %s and try again."},
	"pin.notallowed":        {"Для этой роли действие не разрешено.", "This role may not do this."},
	"pin.notallowed.action": {"Нужен PIN старшего кассира или администратора.", "A senior cashier's or administrator's PIN is needed."},
	"pin.nousers":           {"На кассе нет пользователей.", "The till has no users."},
	"pin.nousers.action":    {"Администратор добавляет их командой kassa user add.", "An administrator adds them with kassa user add."},
	"role.cashier":          {"кассир", "cashier"},
	"role.senior":           {"старший кассир", "senior cashier"},
	"role.admin":            {"администратор", "administrator"},
	"service.cashin":        {"Внесение наличных", "Cash in"},
	"service.cashout":       {"Изъятие наличных", "Cash out"},
	"cash.amount":           {"Сумма, ₽", "Amount, ₽"},
	"cash.in.done":          {"Внесено: %s ₽", "Cash in: %s ₽"},
	"cash.out.done":         {"Изъято: %s ₽", "Cash out: %s ₽"},
	"service.lock":          {"Смена кассира (Ctrl+L)", "Change cashier (Ctrl+L)"},
	"act.refund":            {"возврат", "refund"},
	"act.storno_subtotal":   {"сторно позиции после подытога", "void a line after the subtotal"},
	"act.cash_out":          {"изъятие наличных", "cash withdrawal"},
	"act.close_shift":       {"закрытие смены (Z-отчёт)", "closing the shift (Z report)"},
	"act.device_settings":   {"настройки устройств", "device settings"},
	"act.leave_kiosk":       {"выход из режима киоска", "leaving kiosk mode"},
}

func init() {
	for k, v := range staffTexts {
		texts[k] = v
	}
}
