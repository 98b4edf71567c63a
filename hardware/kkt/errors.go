package kkt

import (
	"errors"
	"fmt"
)

// Sentinel errors of the link layer; check them with errors.Is.
var (
	// ErrTimeout: the device did not answer in time.
	ErrTimeout = errors.New("kkt: timeout")
	// ErrNoLink: the device answers no ENQ.
	ErrNoLink = errors.New("kkt: no link to device")
	// ErrOutcomeUnknown: a command was sent but its answer was lost; the device may or may not have executed
	// it. Never re-send a fiscal command after this error: query the state (FNStatus, FindDocument) first.
	ErrOutcomeUnknown = errors.New("kkt: command outcome unknown")
)

// DeviceError is a non-zero error code in an answer: the device refused the command.
type DeviceError struct {
	Command Command
	Code    byte
}

func (e *DeviceError) Error() string {
	return fmt.Sprintf("kkt: command %v refused with error 0x%02X", e.Command, e.Code)
}

// Text is the Russian message for the code, for the cashier.
func (e *DeviceError) Text() string { return ErrorText(e.Code) }

// errorTexts covers the codes of the protocol's error table that a till can meet (PROTOCOLS.md §1.5).
var errorTexts = map[byte]string{
	0x01: "ФН: неизвестная команда или неверный формат",
	0x02: "ФН: неверное состояние ФН",
	0x03: "Отказ ФН",
	0x04: "Отказ криптографического сопроцессора ФН",
	0x05: "Закончен срок эксплуатации ФН",
	0x07: "ФН: неверные дата или время",
	0x08: "ФН: нет запрошенных данных",
	0x09: "ФН: некорректное значение параметров команды",
	0x10: "ФН: превышение размеров TLV-данных",
	0x11: "ФН: нет транспортного соединения",
	0x12: "ФН: исчерпан ресурс ФН",
	0x14: "ФН: исчерпан ресурс хранения документов для ОФД",
	0x16: "ФН: смена превысила 24 часа: снимите Z-отчёт",
	0x17: "ФН: неверная разница во времени между документами",
	0x20: "ФН: сообщение от ОФД не может быть принято",
	0xA0: "Работа с маркированными товарами отключена",
	0xA1: "Неверная последовательность команд проверки кода маркировки",
	0xA2: "Работа с маркированными товарами временно заблокирована",
	0xA3: "Переполнена таблица проверки кодов маркировки",
	0xA4: "Нет обязательного реквизита для кода маркировки",
	0xA5: "Код маркировки не был проверен",
	0x2F: "Таймаут обмена с ФН",
	0x30: "ФН не отвечает",
	0x33: "Некорректные параметры в команде",
	0x37: "Команда не поддерживается в данной реализации ККТ",
	0x45: "Сумма всех видов оплаты меньше итога чека",
	0x46: "Не хватает наличности в кассе",
	0x4A: "Открыт чек — операция невозможна",
	0x4E: "Смена превысила 24 часа: снимите Z-отчёт",
	0x4F: "Неверный пароль",
	0x50: "Идёт печать результатов выполнения предыдущей команды",
	0x55: "Чек закрыт — операция невозможна",
	0x58: "Ожидание команды продолжения печати",
	0x5E: "Некорректная операция",
	0x6B: "Нет бумаги",
	0x71: "Ошибка отрезчика",
	0x72: "Команда не поддерживается в данном подрежиме",
	0x73: "Команда не поддерживается в этом режиме",
	0x7E: "Неверное значение в поле длины",
	0xC0: "Контроль даты и времени: подтвердите дату и время",
}

// ErrorText is a Russian message for a device error code, or "Ошибка ККТ 0xNN" for a code not in the table.
func ErrorText(code byte) string {
	if s, ok := errorTexts[code]; ok {
		return s
	}
	return fmt.Sprintf("Ошибка ККТ 0x%02X", code)
}
