package fiscal

// SetCashier tells the register who is logged in at the till and that cashier's INN (tag 1203, empty for
// none). From the first call on, each cashier's INN comes from these calls rather than Config.CashierINN,
// so a receipt never pairs one cashier's name with another's INN.
func (r *Register) SetCashier(name, inn string) {
	if name == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inns == nil {
		r.inns = map[string]string{}
	}
	r.inns[name] = inn
	r.cashier = name
}

// cashierINN is the INN sent with the cashier's name.
func (r *Register) cashierINN(cashier string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inns != nil {
		return r.inns[cashier]
	}
	return r.cfg.CashierINN
}
