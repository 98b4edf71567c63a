package main

import (
	"errors"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos/store"
)

// startupReasons are the start-up failures a cashier can meet, in order: {error, ru text, ru action, en
// text, en action}.
var startupReasons = []struct {
	err                        error
	ru, ruAction, en, enAction string
}{
	{store.ErrLocked,
		"Касса уже запущена: база данных занята другим процессом.", "Закройте другое окно Kassa и запустите её снова.",
		"Kassa is already running: its database is held by another process.", "Close the other Kassa window and start again."},
	{store.ErrCorrupt,
		"Файл базы данных повреждён.", "Восстановите его из резервной копии или позвоните в поддержку. С повреждённым журналом касса не работает.",
		"The database file is damaged.", "Restore it from a backup or call support. Kassa does not work on a damaged journal."},
	{store.ErrSchemaTooNew,
		"База данных создана более новой версией Kassa.", "Установите эту версию; файл не изменён.",
		"The database was written by a newer Kassa.", "Install that version; the file was not changed."},
	{serialport.ErrBusy,
		"Порт ККТ занят другой программой.", "Закройте другую программу (сервисную утилиту?) и запустите кассу снова.",
		"The register's port is held by another program.", "Close the other program (a service tool?) and start again."},
	{serialport.ErrDisconnected,
		"ККТ не подключена.", "Проверьте кабель и питание ККТ и настройку [kkt] port.",
		"The register is not connected.", "Check its cable, power and the [kkt] port setting."},
	{os.ErrNotExist,
		"Не найдено устройство или файл, нужные кассе.", "Проверьте кабель ККТ и настройки.",
		"A device or file Kassa needs is missing.", "Check the register's cable and the settings."},
}

// startupMessage explains why the till cannot start, in the cashier's language, with what to do.
func startupMessage(lang string, err error) (text, action string) {
	for _, r := range startupReasons {
		if errors.Is(err, r.err) {
			if lang == "en" {
				return r.en, r.enAction
			}
			return r.ru, r.ruAction
		}
	}
	if lang == "en" {
		return "Kassa cannot start.", "Check the settings; the details are below and in the log."
	}
	return "Касса не может запуститься.", "Проверьте настройки; подробности ниже и в журнале."
}

// showStartupError puts the reason in a window, so a cashier who started Kassa from the desktop sees it.
func showStartupError(a fyne.App, lang string, err error) {
	text, action := startupMessage(lang, err)
	w := a.NewWindow("Kassa")
	title := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	act := widget.NewLabel(action)
	act.Wrapping = fyne.TextWrapWord
	detail := widget.NewLabel(err.Error())
	detail.Wrapping = fyne.TextWrapWord
	detail.SizeName = theme.SizeNameCaptionText
	closeText := "Закрыть"
	if lang == "en" {
		closeText = "Close"
	}
	w.SetContent(container.NewPadded(container.NewVBox(title, act, detail, widget.NewButton(closeText, a.Quit))))
	w.Resize(fyne.NewSize(560, 220))
	w.ShowAndRun()
}
