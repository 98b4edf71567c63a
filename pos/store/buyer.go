package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
)

// The buyer's contact (tag 1008: a phone or an e-mail) is personal data (152-ФЗ). A pending sale needs it
// to re-send the receipt after a crash and a refund copies it from the sale it returns, so it cannot simply
// be dropped after fiscalisation. With Options.BuyerKey the journal keeps it sealed with AES-256-GCM under
// that key from the first write on: the clear contact is never written to the database file, not even to
// a page that bbolt later frees (freed pages are not wiped). A sealed value is sealedBuyer, the 12-byte
// nonce, then the ciphertext; a contact in clear never starts with that byte. The readers of the journal
// (Sale, PendingSales, RecentSales, SaleByReceipt, RefundsOf, CompleteSale) return the contact in clear;
// without the key (lost, or a database restored elsewhere) they return it empty. The outbox event sent to
// the hub carries only the masked contact (MaskContact): the operator of fiscal data sends the e-receipt,
// the hub does not need the address.
const sealedBuyer = 0x01

// BuyerKeySize is the length of Options.BuyerKey.
const BuyerKeySize = 32

func newBuyerCipher(key []byte) (cipher.AEAD, error) {
	if key == nil {
		return nil, nil
	}
	if len(key) != BuyerKeySize {
		return nil, fmt.Errorf("%w: buyer key is %d bytes, want %d", ErrInvalid, len(key), BuyerKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealBuyer returns the contact as the journal stores it.
func (s *Store) sealBuyer(contact string) string {
	if s.buyer == nil || contact == "" || contact[0] == sealedBuyer {
		return contact
	}
	nonce := make([]byte, s.buyer.NonceSize(), s.buyer.NonceSize()+len(contact)+s.buyer.Overhead()+1)
	rand.Read(nonce) // never fails (crypto/rand panics rather than return an error)
	out := append([]byte{sealedBuyer}, nonce...)
	return string(s.buyer.Seal(out, nonce, []byte(contact), nil))
}

// openBuyer returns the contact in clear, or "" when it is sealed under a key this store does not have.
func (s *Store) openBuyer(stored string) string {
	if stored == "" || stored[0] != sealedBuyer {
		return stored
	}
	if s.buyer == nil || len(stored) < 1+s.buyer.NonceSize() {
		return ""
	}
	n := 1 + s.buyer.NonceSize()
	clear, err := s.buyer.Open(nil, []byte(stored[1:n]), []byte(stored[n:]), nil)
	if err != nil {
		return ""
	}
	return string(clear)
}

// reveal opens the buyer's contact of sales read from the journal.
func (s *Store) reveal(sales ...*pos.Sale) {
	for _, sale := range sales {
		sale.Buyer = s.openBuyer(sale.Buyer)
	}
}

// MaskContact hides a phone or e-mail but for what a cashier or a support call needs to tell two apart:
// "+7 ••• •••-••-01", "a•••@example.ru" (the first character kept whole, so "иван@почта.рф" stays UTF-8:
// "и•••@почта.рф"). Anything else is masked whole.
func MaskContact(c string) string {
	switch {
	case c == "":
		return ""
	case len(c) == 12 && c[:2] == "+7":
		return "+7 ••• •••-••-" + c[10:]
	}
	if i := strings.IndexByte(c, '@'); i > 0 {
		_, n := utf8.DecodeRuneInString(c)
		return c[:min(n, i)] + "•••" + c[i:]
	}
	return "•••"
}
