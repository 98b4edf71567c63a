package barcode

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// ReceiptQR is the ФНС receipt QR code printed on every fiscal receipt (Приказ ФНС ЕД-7-20/662@,
// приложение 2, п. 14–15): "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1".
// The ФН serial and the ФД number identify the receipt; the fiscal sign proves it.
type ReceiptQR struct {
	// At is the date and time of the receipt as printed (the register's wall clock; the QR carries no
	// zone, so it is given in time.UTC). Seconds are zero unless the QR had them.
	At    time.Time
	Total pos.Money // s: the receipt total
	FN    string    // fn: the ФН serial number, 16 digits
	FD    uint32    // i: the fiscal document number
	FP    uint32    // fp: the fiscal sign (ФПД)
	// Kind is n, the признак расчета (tag 1054): 1 приход, 2 возврат прихода, 3 расход, 4 возврат расхода.
	Kind int
}

// SaleKind maps Kind to the till's receipt kinds; ok is false for расход and возврат расхода, which a
// shop till does not issue.
func (q ReceiptQR) SaleKind() (k pos.SaleKind, ok bool) {
	switch q.Kind {
	case 1:
		return pos.KindSale, true
	case 2:
		return pos.KindRefund, true
	}
	return "", false
}

// String writes the QR in the order ФНС and registers use: t, s, fn, i, fp, n. Seconds are written only
// when At has them.
func (q ReceiptQR) String() string {
	layout := "20060102T1504"
	if q.At.Second() != 0 {
		layout = "20060102T150405"
	}
	return "t=" + q.At.Format(layout) + "&s=" + q.Total.Plain() + "&fn=" + q.FN +
		"&i=" + strconv.FormatUint(uint64(q.FD), 10) + "&fp=" + strconv.FormatUint(uint64(q.FP), 10) +
		"&n=" + strconv.Itoa(q.Kind)
}

// ReceiptQRRecognizer returns a Recognizer for the ФНС receipt QR: text made of "key=value" fields joined
// by '&' that starts with one of its keys. A claimed text that ParseReceiptQR rejects is an error, so a
// damaged QR asks for a rescan instead of being read as something else. The Code has Kind KindReceiptQR
// and the parsed fields in Receipt. NewClassifier already includes it.
func ReceiptQRRecognizer() Recognizer { return recognizeReceiptQR }

func recognizeReceiptQR(text string) (Code, bool, error) {
	if !looksLikeReceiptQR(text) {
		return Code{}, false, nil
	}
	q, err := ParseReceiptQR(text)
	if err != nil {
		return Code{}, true, err
	}
	return Code{Kind: KindReceiptQR, Raw: text, Receipt: &q}, true, nil
}

// receiptKeys are the six fields of the QR.
var receiptKeys = [...]string{"t", "s", "fn", "i", "fp", "n"}

func looksLikeReceiptQR(s string) bool {
	if !strings.Contains(s, "&") {
		return false
	}
	for _, k := range receiptKeys {
		if strings.HasPrefix(s, k+"=") {
			return true
		}
	}
	return false
}

// ParseReceiptQR reads a ФНС receipt QR. Fields may come in any order, each exactly once, nothing else:
//   - t: YYYYMMDDTHHMM or YYYYMMDDTHHMMSS, a real date and time;
//   - s: rubles, a dot and two digits of kopecks;
//   - fn: 16 digits; i: 1 to 4294967295; fp: 0 to 4294967295 (decimal, up to 10 digits);
//   - n: 1 to 4.
//
// Errors are *Error wrapping pos.ErrInvalidBarcode, with the reason in English.
func ParseReceiptQR(s string) (ReceiptQR, error) {
	var (
		q    ReceiptQR
		seen [len(receiptKeys)]bool
	)
	for field := range strings.SplitSeq(s, "&") {
		key, val, ok := strings.Cut(field, "=")
		if !ok {
			return ReceiptQR{}, qrError(s, "field "+strconv.Quote(field)+" has no '='")
		}
		k := keyIndex(key)
		if k < 0 {
			return ReceiptQR{}, qrError(s, "unknown field "+strconv.Quote(key))
		}
		if seen[k] {
			return ReceiptQR{}, qrError(s, "field "+key+" repeated")
		}
		seen[k] = true
		if reason := q.set(key, val); reason != "" {
			return ReceiptQR{}, qrError(s, "field "+key+": "+reason)
		}
	}
	for k, ok := range seen {
		if !ok {
			return ReceiptQR{}, qrError(s, "field "+receiptKeys[k]+" missing")
		}
	}
	return q, nil
}

func keyIndex(key string) int {
	for i, k := range receiptKeys {
		if k == key {
			return i
		}
	}
	return -1
}

func qrError(s, reason string) error {
	return newError(s, pos.ErrInvalidBarcode, "receipt QR: "+reason)
}

// set parses one field into q and returns why it is wrong, or "".
func (q *ReceiptQR) set(key, val string) string {
	switch key {
	case "t":
		return q.setTime(val)
	case "s":
		return q.setTotal(val)
	case "fn":
		if len(val) != 16 || !allDigits(val) {
			return "want 16 digits, got " + strconv.Quote(val)
		}
		q.FN = val
	case "i":
		v, reason := parseUint32(val)
		if reason == "" && v == 0 {
			reason = "document number 0"
		}
		q.FD = v
		return reason
	case "fp":
		v, reason := parseUint32(val)
		q.FP = v
		return reason
	case "n":
		if len(val) != 1 || val[0] < '1' || val[0] > '4' {
			return "want 1 to 4, got " + strconv.Quote(val)
		}
		q.Kind = int(val[0] - '0')
	}
	return ""
}

func (q *ReceiptQR) setTime(val string) string {
	var layout string
	switch len(val) {
	case 13:
		layout = "20060102T1504"
	case 15:
		layout = "20060102T150405"
	default:
		return "want YYYYMMDDTHHMM[SS], got " + strconv.Quote(val)
	}
	if val[8] != 'T' || !allDigits(val[:8]) || !allDigits(val[9:]) {
		return "want YYYYMMDDTHHMM[SS], got " + strconv.Quote(val)
	}
	t, err := time.ParseInLocation(layout, val, time.UTC)
	if err != nil {
		return "no such date or time " + strconv.Quote(val)
	}
	q.At = t
	return ""
}

// maxRubleDigits keeps a total far inside int64 kopecks (and above any real receipt).
const maxRubleDigits = 13

func (q *ReceiptQR) setTotal(val string) string {
	rub, kop, ok := strings.Cut(val, ".")
	if !ok || rub == "" || len(rub) > maxRubleDigits || !allDigits(rub) || len(kop) != 2 || !allDigits(kop) {
		return "want rubles.kopecks such as 200.00, got " + strconv.Quote(val)
	}
	r, _ := strconv.ParseInt(rub, 10, 64)
	k, _ := strconv.ParseInt(kop, 10, 64)
	q.Total = pos.Money(r*100 + k)
	return ""
}

func parseUint32(val string) (uint32, string) {
	if val == "" || len(val) > 10 || !allDigits(val) {
		return 0, "want a decimal number, got " + strconv.Quote(val)
	}
	v, err := strconv.ParseUint(val, 10, 64)
	if err != nil || v > math.MaxUint32 {
		return 0, "number " + val + " is over 4294967295"
	}
	return uint32(v), ""
}
