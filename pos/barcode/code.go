package barcode

import (
	"strconv"

	"github.com/kassa-pos/kassa/pos"
)

// Kind is what a scanned or typed text turned out to be. New kinds (pickup, basket and loyalty QR, the
// ФНС receipt QR, GS1 DataMatrix marking codes) are appended after the existing ones so that stored
// values keep their meaning.
type Kind int

// The kinds of code the till knows.
const (
	KindUnknown     Kind = iota // zero value: nothing recognised
	KindEAN13                   // EAN-13 / GTIN-13 of a product
	KindEAN8                    // EAN-8 / GTIN-8 of a product
	KindUPCA                    // UPC-A / GTIN-12 of a product
	KindWeight                  // in-store EAN-13 label carrying an item code and a weight or a price
	KindArticle                 // short article number or PLU typed by the cashier
	KindMarking                 // GS1 DataMatrix marking code (Честный знак) or a tobacco pack code
	KindReceiptQR               // the ФНС QR code of a fiscal receipt (a return brings it)
	KindBasketQR                // a signed basket "KB1." from the kiosk, the web shop or the app (basketqr.go)
	KindLoyaltyCard             // the chain's loyalty card: an EAN-13 in its range (loyalty.go)
	KindLoyaltyQR               // the store app's rotating loyalty QR "KL1.", verified by pos/loyalty (loyalty.go)
)

var kindNames = [...]string{
	KindUnknown:     "unknown",
	KindEAN13:       "EAN-13",
	KindEAN8:        "EAN-8",
	KindUPCA:        "UPC-A",
	KindWeight:      "weight label",
	KindArticle:     "article",
	KindMarking:     "marking code",
	KindReceiptQR:   "receipt QR",
	KindBasketQR:    "basket QR",
	KindLoyaltyCard: "loyalty card",
	KindLoyaltyQR:   "loyalty app QR",
}

// String names the kind for logs and the UI ("EAN-13", "weight label", …).
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Code is a classified barcode or typed code. Only the fields that make sense for its Kind are set.
type Code struct {
	Kind Kind
	// Raw is the code text after trimming and removing the AIM symbology identifier.
	Raw string
	// Symbology is the AIM symbology identifier the scanner prefixed ("]E0", "]d2"), or "".
	Symbology string
	// GTIN is the catalogue key of a product: 13 digits for EAN-13 and UPC-A (UPC-A gains a leading
	// "0", so both spellings of a US product find the same entry) and 8 digits for EAN-8. Weight labels
	// have none: their product is found by Item. A marking code gives the 13-digit EAN inside its
	// GTIN-14 when that starts with "0", else the GTIN-14 itself.
	GTIN string
	// Prefix is the two-digit prefix of a weight label.
	Prefix string
	// Item is the store's own item code: the item part of a weight label (leading zeros kept) or the
	// article number / PLU the cashier typed.
	Item string
	// Weight is the weight of a weight label, or the net weight (AI 310n) of a marking code, in
	// thousandths of a kilogram (one per gram).
	Weight pos.Qty
	// Price is the price printed into a price label, in kopecks.
	Price pos.Money
	// Marking is the parsed marking code of KindMarking, nil for every other kind. It is a pointer so
	// that Code stays comparable.
	Marking *GS1
	// Receipt is the parsed ФНС receipt QR of KindReceiptQR, nil for every other kind.
	Receipt *ReceiptQR
}
