package ui

import "github.com/kassa-pos/kassa/pos"

// storageTexts are the strings of the data folder's state {ru, en}, added to texts at start-up.
var storageTexts = map[string][2]string{
	"disk.title":   {"Продажа невозможна", "Selling is stopped"},
	"disk.waiting": {"Касса проверяет папку данных каждые 30 секунд и продолжит работу сама.", "The till checks its data folder every 30 seconds and goes on by itself."},
}

// storageErrTexts explain the terminal's own disk. They come first in errTexts: a disk error may wrap
// another one (a sale that could not be journalled), and the disk is what the cashier must fix.
var storageErrTexts = []errText{
	{pos.ErrDiskFull,
		"Нет места на диске: продажа невозможна, чек не пробит и ничего не потеряно.",
		"Освободите место на диске кассы (удалите лишние файлы) или позовите администратора; проданное ранее сохранено.",
		"The disk is full: selling is stopped, the receipt was not printed and nothing is lost.",
		"Free space on the till's disk or call the administrator; earlier sales are kept."},
	{pos.ErrDataReadOnly,
		"Папка данных только для чтения: продажа невозможна, чек не пробит.",
		"Позовите администратора: диск кассы недоступен для записи (ошибка диска или права доступа). Проданное ранее сохранено.",
		"The data folder is read-only: selling is stopped, the receipt was not printed.",
		"Call the administrator: the till's disk cannot be written (a disk fault or permissions). Earlier sales are kept."},
}

func init() {
	for k, v := range storageTexts {
		texts[k] = v
	}
	errTexts = append(append([]errText(nil), storageErrTexts...), errTexts...)
}
