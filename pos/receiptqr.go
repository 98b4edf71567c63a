package pos

import "fmt"

// Code is the признак расчета (tag 1054) of a receipt of this kind: 1 приход, 2 возврат прихода.
func (k SaleKind) Code() int {
	if k == KindRefund {
		return 2
	}
	return 1
}

// QR returns the ФНС receipt QR string (Приказ ЕД-7-20/662@, t s fn i fp n) for a sale (признак
// расчета 1, приход) of the given total: "t=20170324T2053&s=200.00&fn=…&i=163&fp=776727275&n=1".
func (f FiscalResult) QR(total Money) string { return f.QRFor(KindSale, total) }

// QRFor returns the ФНС receipt QR string of a receipt of the given kind: n=1 for a sale, n=2 for a refund
// (возврат прихода). The time is the register's wall clock, as the receipt prints it.
func (f FiscalResult) QRFor(kind SaleKind, total Money) string {
	return fmt.Sprintf("t=%s&s=%s&fn=%s&i=%d&fp=%d&n=%d",
		f.At.Format("20060102T1504"), total.Plain(), f.FNSerial, f.FDNumber, f.FiscalSign, kind.Code())
}
