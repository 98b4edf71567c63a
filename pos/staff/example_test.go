package staff_test

import (
	"fmt"

	"github.com/kassa-pos/kassa/pos/staff"
)

// The permission table: a cashier sells, a senior cashier also refunds and closes the shift, only an
// administrator manages users.
func ExampleMinRole() {
	cashier := staff.User{Name: "Иванова", Role: staff.RoleCashier}
	for _, a := range []staff.Action{staff.ActSell, staff.ActRefund, staff.ActCloseShift, staff.ActManageUsers} {
		fmt.Printf("%-13s needs %-7s cashier may: %v\n", a, staff.MinRole(a), cashier.Can(a))
	}
	// Output:
	// sell          needs cashier cashier may: true
	// refund        needs senior  cashier may: false
	// close_shift   needs senior  cashier may: false
	// manage_users  needs admin   cashier may: false
}
