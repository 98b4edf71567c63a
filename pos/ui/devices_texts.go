package ui

// deviceTexts are «Настройки оборудования» (devices.go).
var deviceTexts = map[string][2]string{
	"service.devices":   {"Настройки оборудования", "Device settings"},
	"dev.title":         {"Настройки оборудования", "Device settings"},
	"dev.edit.title":    {"%s — порт и скорость", "%s — port and speed"},
	"dev.kkt":           {"ККТ", "Fiscal register"},
	"dev.printer":       {"Принтер чеков", "Receipt printer"},
	"dev.scanner":       {"Сканер (киоск)", "Scanner (kiosk)"},
	"dev.scale":         {"Весы", "Scale"},
	"dev.display":       {"Дисплей покупателя", "Customer display"},
	"dev.port.none":     {"не подключено", "none"},
	"dev.port.wedge":    {"клавиатурный (без порта)", "keyboard wedge (no port)"},
	"dev.port.emulator": {"эмулятор", "emulator"},
	"dev.port.baud":     {"%s, %d бод", "%s, %d baud"},
	"dev.link.online":   {"● на связи", "● connected"},
	"dev.link.offline":  {"○ не отвечает, переподключение", "○ not responding, reconnecting"},
	"dev.link.emulated": {"● эмулируется", "● emulated"},
	"dev.link.none":     {"—", "—"},
	"dev.link.closed":   {"не открыто этим режимом", "not open in this mode"},
	"dev.demo":          {"Демо-режим: ККТ, принтер и весы с портом «emulator» эмулируются самой программой; настоящие устройства не нужны. Запуск с --demo всегда берёт эмулятор ККТ.", "Demo mode: the register, printer and scale on port \"emulator\" are emulated by the program itself; no real devices are needed. Starting with --demo always uses the emulated register."},
	"dev.list.hint":     {"Цифра — настроить устройство. Изменения вступают в силу после перезапуска кассы.", "A digit opens a device. Changes take effect after the till restarts."},
	"dev.port.help":     {"Порт: путь к устройству (например /dev/ttyACM0), «emulator» — эмулятор, пусто — нет устройства.", "Port: the device path (e.g. /dev/ttyACM0), \"emulator\", or empty for none."},
	"dev.speed":         {"Скорость: %d бод (↑/↓ — изменить)", "Speed: %d baud (↑/↓ to change)"},
	"dev.speed.fixed":   {"Скорость: %d бод (не меняется)", "Speed: %d baud (fixed)"},
	"dev.keys":          {"F5 — проверить связь · Enter — сохранить · Esc — назад", "F5 — check the link · Enter — save · Esc — back"},
	"dev.check":         {"F5 — Проверить связь", "F5 — Check link"},
	"dev.save":          {"Enter — Сохранить", "Enter — Save"},
	"dev.checking":      {"Проверка связи: %s…", "Checking: %s…"},
	"dev.check.ok":      {"✓ Связь есть: устройство ответило.", "✓ Connected: the device answered."},
	"dev.check.oneway":  {"✓ Порт открыт. Это устройство не отвечает на запросы, проверьте его по самому устройству (табло, сканер).", "✓ The port opens. This device does not answer queries; check it on the device itself."},
	"dev.unchanged":     {"Изменений нет.", "Nothing changed."},
	"dev.saved":         {"%s: %s сохранено. Изменения вступят в силу после перезапуска кассы.", "%s: %s saved. Changes take effect after the till restarts."},
}

// deviceErrTexts explain the settings' failures (Explain, errors.go).
var deviceErrTexts = []errText{
	{ErrDeviceNoAnswer, "Устройство не ответило.", "Проверьте питание, кабель, порт и скорость и повторите (F5).",
		"The device did not answer.", "Check its power, cable, port and speed, then try again (F5)."},
	{ErrDevicePortMissing, "Такого порта нет.", "Проверьте путь к порту и что устройство подключено к кассе.",
		"There is no such port.", "Check the port path and that the device is plugged in."},
	{ErrDevicePortBusy, "Порт занят другой программой.", "Закройте программу, которая держит порт, или выберите другой порт.",
		"Another program holds the port.", "Close it or choose another port."},
	{ErrDevicePortInUse, "Этот порт уже открыт кассой на другой скорости.", "Сохраните изменение и перезапустите кассу, затем проверьте связь.",
		"The till already has this port open at another speed.", "Save, restart the till, then check again."},
	{ErrDeviceNotWired, "Это устройство не открыто в текущем режиме кассы.", "Сохраните настройку и перезапустите кассу.",
		"This device is not open in the current mode.", "Save the setting and restart the till."},
	{ErrDeviceNone, "Порт устройства не задан.", "Укажите порт, чтобы проверить связь.",
		"The device has no port.", "Type a port to check the link."},
	{ErrDevicePermission, "Нет прав на этот порт.", "Администратор добавляет пользователя кассы в группу dialout (или lp для принтера).",
		"No permission for this port.", "An administrator adds the till's user to the dialout group (lp for a printer)."},
	{ErrNoConfigFile, "Касса запущена без файла настроек, записать изменение некуда.", "Запускайте кассу с --config kassa.toml.",
		"The till was started without a configuration file.", "Start it with --config kassa.toml."},
	{ErrConfigNotWritten, "Файл настроек не изменён.", "Исправьте kassa.toml вручную или позовите администратора.",
		"The configuration file was not changed.", "Edit kassa.toml by hand or call the administrator."},
	{ErrBadPort, "Порт указан неверно.", "Укажите полный путь, например /dev/ttyUSB0, или «emulator», или оставьте пусто.",
		"The port is not valid.", "Type a full path such as /dev/ttyUSB0, \"emulator\", or leave it empty."},
}

func init() {
	for k, v := range deviceTexts {
		texts[k] = v
	}
	errTexts = append(errTexts, deviceErrTexts...)
}
