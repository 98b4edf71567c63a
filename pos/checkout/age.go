package checkout

import "github.com/kassa-pos/kassa/pos"

// Age-restricted goods (18+): alcohol, tobacco and energy drinks are not sold to minors. The first 18+
// product of a receipt is refused with a *pos.AgeCheckNeeded until the cashier confirms having checked the
// buyer's document (ConfirmAge); the confirmation then covers the rest of the receipt and ends with it
// (paid, cleared or deferred). A recalled receipt asks again: the buyer at the till may be another.

// ConfirmAge records that the cashier checked the buyer's document: 18+ goods join this receipt freely.
func (t *Till) ConfirmAge() { t.ageOK = true }

// AgeConfirmed reports whether the buyer's age is confirmed for the receipt being built.
func (t *Till) AgeConfirmed() bool { return t.ageOK }

// checkAge refuses an 18+ product while the buyer's age is not confirmed.
func (t *Till) checkAge(p pos.Product) error {
	if p.AgeRestricted() && !t.ageOK {
		return &pos.AgeCheckNeeded{Product: p}
	}
	return nil
}

// ScanDecliningAge is Scan for the answer "no" to the age question of a basket QR: the basket's products
// are added without its 18+ ones, which BasketResult.Skipped lists with pos.ErrAgeRefused. Other codes scan
// as with Scan (an 18+ product is refused again).
func (t *Till) ScanDecliningAge(text string) (ScanResult, error) {
	t.declineAge = true
	defer func() { t.declineAge = false }()
	return t.Scan(text, 0)
}
