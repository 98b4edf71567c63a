package pos

import "fmt"

// QR returns the ФНС receipt QR string (Приказ ЕД-7-20/662@, t s fn i fp n) for a sale (признак
// расчета 1, приход) of the given total: "t=20170324T2053&s=200.00&fn=…&i=163&fp=776727275&n=1".
func (f FiscalResult) QR(total Money) string {
	return fmt.Sprintf("t=%s&s=%s&fn=%s&i=%d&fp=%d&n=1",
		f.At.Format("20060102T1504"), total.Plain(), f.FNSerial, f.FDNumber, f.FiscalSign)
}
