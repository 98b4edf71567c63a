package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/sync/wire"
)

// ErrInvalid means a request breaks a rule of the API; the error says which.
var ErrInvalid = errors.New("invalid request")

// DefaultPickupTTL is how long a pickup order waits at the store unless the config or request says.
const DefaultPickupTTL = 7 * 24 * time.Hour

// Bounds of a pickup request: far above a real order, low enough that sums stay exact in int64.
const (
	maxPickupLines = 500
	maxLineQty     = 10_000_000    // thousandths: 10 tonnes or 10,000 pieces
	maxUnitPrice   = 1_000_000_000 // kopecks: 10 million rubles
	maxNumberLen   = 64
	maxCustomerLen = 200
)

// PickupOptions configure how the hub makes pickup orders and signs their QR codes.
type PickupOptions struct {
	TTL      time.Duration // default DefaultPickupTTL
	KeyID    string        // QR signing key id (wire.SignPickupQR); empty: orders get no QR
	Key      []byte
	PhoneKey []byte // the chain key of wire.PhoneHash; nil: no phone hash kept
}

// ProductFinder looks a product up in a store's catalog by barcode or id.
type ProductFinder interface {
	FindProduct(ctx context.Context, store, code string) (wire.Product, error)
}

// PickupOrderID derives an order's id from its store and number, so repeating a request cannot make a
// second order.
func PickupOrderID(store, number string) string {
	h := sha256.Sum256([]byte(store + "\x00" + number))
	return "po-" + hex.EncodeToString(h[:10])
}

// BuildPickupOrder turns a web shop's request into an order ready for the store: products resolved in the
// store's catalog, sums computed, phone reduced to its last 4 digits and a keyed hash, name masked.
// A request that breaks a rule is an error wrapping ErrInvalid; an unknown product wraps ErrNotFound.
func BuildPickupOrder(ctx context.Context, cat ProductFinder, req wire.PickupRequest, opt PickupOptions, now time.Time) (wire.PickupOrder, string, error) {
	bad := func(format string, a ...any) (wire.PickupOrder, string, error) {
		return wire.PickupOrder{}, "", fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
	}
	if !validName(req.Store) {
		return bad("store: want a store name")
	}
	if req.Number == "" || len(req.Number) > maxNumberLen || strings.ContainsFunc(req.Number, notPrintable) {
		return bad("number: want 1 to %d printable characters", maxNumberLen)
	}
	phone, err := wire.NormalizePhone(req.Phone)
	if err != nil {
		return bad("phone: %v", err)
	}
	if len(req.Customer) > maxCustomerLen || strings.ContainsFunc(req.Customer, notPrintable) {
		return bad("customer: want a name of at most %d bytes", maxCustomerLen)
	}
	if len(req.Items) == 0 || len(req.Items) > maxPickupLines {
		return bad("items: want 1 to %d lines", maxPickupLines)
	}
	o := wire.PickupOrder{ID: PickupOrderID(req.Store, req.Number), Number: req.Number, Store: req.Store,
		Customer: MaskName(req.Customer), PhoneLast4: phone[len(phone)-4:], Status: wire.PickupReady,
		ReadyAt: now.UTC().Truncate(time.Second), ExpiresAt: req.ExpiresAt.UTC()}
	for i, it := range req.Items {
		code := it.Barcode
		if (it.Barcode == "") == (it.ProductID == "") {
			return bad("items[%d]: give a barcode or a product_id", i)
		}
		if code == "" {
			code = it.ProductID
		}
		if it.Qty <= 0 || it.Qty > maxLineQty || it.Price < 0 || it.Price > maxUnitPrice {
			return bad("items[%d]: qty must be 1..%d thousandths and price 0..%d kopecks", i, maxLineQty, maxUnitPrice)
		}
		p, err := cat.FindProduct(ctx, req.Store, code)
		if errors.Is(err, ErrNotFound) {
			return wire.PickupOrder{}, "", fmt.Errorf("items[%d]: product %q is not in the catalog of store %s: %w", i, code, req.Store, ErrNotFound)
		}
		if err != nil {
			return wire.PickupOrder{}, "", err
		}
		if p.Unit != "kg" && it.Qty%1000 != 0 {
			return bad("items[%d]: %s is sold by the piece, qty %d is not whole", i, p.ID, it.Qty)
		}
		line := wire.PickupLine{ProductID: p.ID, Name: p.Name, Price: p.Price, Qty: it.Qty, VAT: p.VAT, Marked: p.Marked,
			AgeLimit: p.AgeLimit}
		if slices.Contains(p.Barcodes, it.Barcode) {
			line.Barcode = it.Barcode
		} else if len(p.Barcodes) > 0 {
			line.Barcode = p.Barcodes[0]
		}
		if it.Price > 0 {
			line.Price = it.Price
		}
		o.Lines = append(o.Lines, line)
		o.Total += (line.Price*line.Qty + 500) / 1000
	}
	if req.Prepaid < 0 || req.Prepaid > o.Total {
		return bad("prepaid %d must be between 0 and the total %d", req.Prepaid, o.Total)
	}
	o.Prepaid = req.Prepaid
	if o.ExpiresAt.IsZero() {
		ttl := opt.TTL
		if ttl <= 0 {
			ttl = DefaultPickupTTL
		}
		o.ExpiresAt = o.ReadyAt.Add(ttl)
	}
	if !o.ExpiresAt.After(o.ReadyAt) {
		return bad("expires_at is not in the future")
	}
	var hash string
	if opt.PhoneKey != nil {
		if hash, err = wire.PhoneHash(opt.PhoneKey, phone); err != nil {
			return bad("phone: %v", err)
		}
	}
	return o, hash, nil
}

// PickupQR signs the order's QR payload with the options' key, valid until the order expires.
func PickupQR(o wire.PickupOrder, opt PickupOptions) (string, error) {
	if opt.KeyID == "" {
		return "", fmt.Errorf("pickup qr: no signing key configured")
	}
	return wire.SignPickupQR(wire.PickupQR{Order: o.ID, Number: o.Number, Store: o.Store, Expires: o.ExpiresAt}, opt.KeyID, opt.Key)
}

// MaskName shortens a customer's name for screens and feeds (152-ФЗ): the given name and the initial of
// the surname. Two words read as "Имя Фамилия" ("Анна Петрова" -> "Анна П."); three as the Russian
// "Фамилия Имя Отчество" ("Петрова Анна Сергеевна" -> "Анна П."); one word stays.
func MaskName(name string) string {
	w := strings.Fields(name)
	initial := func(s string) string {
		r, _ := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + "."
	}
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	case 2:
		return w[0] + " " + initial(w[1])
	default:
		return w[1] + " " + initial(w[0])
	}
}

func notPrintable(r rune) bool { return !unicode.IsPrint(r) }
