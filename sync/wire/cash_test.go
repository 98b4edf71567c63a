package wire_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

// A "cash" event's payload: 1 200,00 ₽ taken out of the drawer in shift 45, the register's document 318.
func ExampleCash() {
	c := wire.Cash{ID: "0195a1b2-0000-7000-8000-000000000007", Store: "s1", Terminal: "till-1", Shift: 45,
		Kind: wire.CashOut, Amount: 120000, Cashier: "Иванова А.", At: time.Date(2026, 3, 14, 18, 5, 0, 0, time.UTC),
		KKTDoc: 318}
	b, _ := json.Marshal(c)
	fmt.Println(string(b))
	// Output:
	// {"id":"0195a1b2-0000-7000-8000-000000000007","store":"s1","terminal":"till-1","shift":45,"kind":"out","amount":120000,"cashier":"Иванова А.","at":"2026-03-14T18:05:00Z","kkt_doc":318}
}
