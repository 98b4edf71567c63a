package staff

// Action is something the terminal may let a user do; the privileged ones are in the permission table.
type Action string

// Actions. Login and Lock are recorded in the audit log but need no more than a cashier.
const (
	ActLogin          Action = "login"
	ActLock           Action = "lock" // «Смена кассира»: the till is locked until the next login
	ActSell           Action = "sell"
	ActRefund         Action = "refund"          // F4, a return by the receipt's QR or without one
	ActStornoSubtotal Action = "storno_subtotal" // removing a line after payment started (Подытог)
	ActCashOut        Action = "cash_out"        // Изъятие
	ActCloseShift     Action = "close_shift"     // the Z report
	ActDeviceSettings Action = "device_settings" // any service entry that changes devices or settings
	ActLeaveKiosk     Action = "leave_kiosk"     // the kiosk's manager menu and its way out
	ActManageUsers    Action = "manage_users"
)

// permissions is the minimum role of each action (UI.md §1.7, §5.4).
var permissions = map[Action]Role{
	ActLogin:          RoleCashier,
	ActLock:           RoleCashier,
	ActSell:           RoleCashier,
	ActRefund:         RoleSenior,
	ActStornoSubtotal: RoleSenior,
	ActCashOut:        RoleSenior,
	ActCloseShift:     RoleSenior,
	ActDeviceSettings: RoleSenior,
	ActLeaveKiosk:     RoleSenior,
	ActManageUsers:    RoleAdmin,
}

// MinRole is the lowest role allowed to do a; an action missing from the table needs an administrator,
// so a new action fails closed until someone places it.
func MinRole(a Action) Role {
	if r, ok := permissions[a]; ok {
		return r
	}
	return RoleAdmin
}

// Actions lists the permission table's actions, for documentation and the admin's listing.
func Actions() []Action {
	return []Action{ActLogin, ActLock, ActSell, ActRefund, ActStornoSubtotal, ActCashOut, ActCloseShift,
		ActDeviceSettings, ActLeaveKiosk, ActManageUsers}
}
