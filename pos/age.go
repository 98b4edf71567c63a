package pos

import (
	"errors"
	"strconv"
)

// Errors of age-restricted goods (18+): alcohol, tobacco and energy drinks are not sold to minors.
var (
	// ErrAgeUnchecked: an 18+ product may join the receipt only after the cashier has checked the buyer's
	// document (an *AgeCheckNeeded names the product).
	ErrAgeUnchecked = errors.New("age-restricted product needs the buyer's age checked")
	// ErrAgeRefused: the buyer's age was not confirmed, so the 18+ goods stay off the receipt.
	ErrAgeRefused = errors.New("buyer's age not confirmed")
)

// AgeCheckNeeded is ErrAgeUnchecked for one product, so the till can ask about that product. Basket is set
// when a basket QR holds it: the question covers every 18+ product of the basket.
type AgeCheckNeeded struct {
	Product Product
	Basket  bool
}

func (e *AgeCheckNeeded) Error() string {
	return "product " + strconv.Itoa(int(e.Product.AgeLimit)) + "+ needs the buyer's age checked: " + e.Product.Name
}

func (e *AgeCheckNeeded) Unwrap() error { return ErrAgeUnchecked }
