package scale

import (
	"errors"
	"fmt"
)

// Sentinel errors; check them with errors.Is.
var (
	// ErrNoAnswer: no whole answer came in time (the underlying timeout is wrapped too).
	ErrNoAnswer = errors.New("scale: no answer")
	// ErrUnstable: the weight did not settle within StableWeight's timeout.
	ErrUnstable = errors.New("scale: weight not stable")
	// ErrOverload: the load is above the scale's maximum.
	ErrOverload = errors.New("scale: overload")
	// ErrUnderload: the scale reads below zero (platform lifted, zero drifted, or a tare larger than the load).
	ErrUnderload = errors.New("scale: negative weight")
	// ErrNack: the scale does not know the command (CMD_NACK).
	ErrNack = errors.New("scale: command not supported")
)

// codeOverload is the CMD_ERROR code for «нагрузка превышает НПВ».
const codeOverload = 0x08

// DeviceError is a CMD_ERROR answer other than overload.
type DeviceError struct {
	Code byte
}

func (e *DeviceError) Error() string {
	return fmt.Sprintf("scale: error 0x%02X: %s", e.Code, ErrorText(e.Code))
}

// errorTexts is the error table of «Протокол 100», in Russian for the cashier.
var errorTexts = map[byte]string{
	0x07: "Команда не поддерживается",
	0x08: "Нагрузка на весах превышает НПВ",
	0x09: "Весы не в режиме взвешивания",
	0x0A: "Ошибка входных данных",
	0x0B: "Ошибка сохранения данных",
	0x10: "Интерфейс Wi-Fi не поддерживается",
	0x11: "Интерфейс Ethernet не поддерживается",
	0x15: "Установка нуля невозможна",
	0x17: "Нет связи с взвешивающим модулем",
	0x18: "При включении весов на платформе был груз",
	0x19: "Весы неисправны",
}

// ErrorText is the Russian message for a CMD_ERROR code, or "Ошибка весов 0xNN".
func ErrorText(code byte) string {
	if s, ok := errorTexts[code]; ok {
		return s
	}
	return fmt.Sprintf("Ошибка весов 0x%02X", code)
}

// answerError turns a non-ACK answer into an error.
func answerError(f Frame) error {
	switch f.Command {
	case CmdError:
		if len(f.Data) != 1 {
			return fmt.Errorf("%w: CMD_ERROR with %d data bytes", ErrBadFrame, len(f.Data))
		}
		if f.Data[0] == codeOverload {
			return fmt.Errorf("scale: %s: %w", ErrorText(codeOverload), ErrOverload)
		}
		return &DeviceError{Code: f.Data[0]}
	case CmdNack:
		return ErrNack
	}
	return fmt.Errorf("%w: unexpected answer 0x%02X", ErrBadFrame, f.Command)
}
