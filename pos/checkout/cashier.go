package checkout

// SetCashier names who sells from now on (the cashier who logged in): receipts carry this name (tag
// 1021) instead of the shift's. An empty name goes back to the shift's cashier.
func (t *Till) SetCashier(name string) { t.cashier = name }

// cashierName is who the next receipt names: the logged-in cashier, else the one who opened the shift.
func (t *Till) cashierName() string {
	if t.cashier != "" {
		return t.cashier
	}
	return t.shift.Cashier
}
