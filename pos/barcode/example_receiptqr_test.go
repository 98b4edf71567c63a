package barcode_test

import (
	"fmt"

	"github.com/kassa-pos/kassa/pos/barcode"
)

// The QR code of a customer's receipt, scanned for a return: the ФН serial and the ФД number find the sale,
// the fiscal sign proves the receipt.
func ExampleParseReceiptQR() {
	q, err := barcode.ParseReceiptQR("fn=9999078900012345&i=163&fp=776727275&n=1&t=20260324T205317&s=200.00")
	if err != nil {
		fmt.Println(err)
		return
	}
	kind, _ := q.SaleKind()
	fmt.Println(q.FN, q.FD, q.FP, q.Total, q.At.Format("02.01.2006 15:04:05"), kind == "")
	fmt.Println(q)

	_, err = barcode.ParseReceiptQR("t=20260324T2053&s=200&fn=9999078900012345&i=163&fp=776727275&n=1")
	fmt.Println(err)
	// Output:
	// 9999078900012345 163 776727275 200,00 24.03.2026 20:53:17 true
	// t=20260324T205317&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1
	// invalid barcode "t=20260324T2053&s=200&fn=9999078900012345&i=163&…": receipt QR: field s: want rubles.kopecks such as 200.00, got "200"
}
