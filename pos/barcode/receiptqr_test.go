package barcode

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

type receiptQRCase struct {
	name   string
	in     string
	want   ReceiptQR
	reason string // the error must say this; "" = no error
}

var qrTime = time.Date(2026, 3, 24, 20, 53, 0, 0, time.UTC)

var receiptQRCases = []receiptQRCase{
	{name: "brief example", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1",
		want: ReceiptQR{At: qrTime, Total: 20000, FN: "9999078900012345", FD: 163, FP: 776727275, Kind: 1}},
	{name: "PROTOCOLS.md vector 5r", in: "t=20170324T2053&s=200.00&fn=9287440301120991&i=163&fp=776727275&n=1",
		want: ReceiptQR{At: time.Date(2017, 3, 24, 20, 53, 0, 0, time.UTC), Total: 20000, FN: "9287440301120991",
			FD: 163, FP: 776727275, Kind: 1}},
	{name: "with seconds", in: "t=20260324T205317&s=1234.50&fn=9999078900012345&i=7&fp=1&n=1",
		want: ReceiptQR{At: qrTime.Add(17 * time.Second), Total: 123450, FN: "9999078900012345", FD: 7, FP: 1, Kind: 1}},
	{name: "any order, refund", in: "n=2&fp=4294967295&i=4294967295&fn=9999078900012345&s=0.05&t=20261231T2359",
		want: ReceiptQR{At: time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), Total: 5, FN: "9999078900012345",
			FD: 4294967295, FP: 4294967295, Kind: 2}},
	{name: "fiscal sign zero", in: "t=20260324T2053&s=1.00&fn=9999078900012345&i=1&fp=0&n=3",
		want: ReceiptQR{At: qrTime, Total: 100, FN: "9999078900012345", FD: 1, Kind: 3}},

	{name: "short fn", in: "t=20260324T2053&s=200.00&fn=999907890001234&i=163&fp=776727275&n=1", reason: "field fn"},
	{name: "fn with a letter", in: "t=20260324T2053&s=200.00&fn=999907890001234X&i=163&fp=776727275&n=1", reason: "field fn"},
	{name: "total without kopecks", in: "t=20260324T2053&s=200&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field s"},
	{name: "total with comma", in: "t=20260324T2053&s=200,00&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field s"},
	{name: "total one kopeck digit", in: "t=20260324T2053&s=200.0&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field s"},
	{name: "negative total", in: "t=20260324T2053&s=-1.00&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field s"},
	{name: "fd zero", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=0&fp=776727275&n=1", reason: "field i"},
	{name: "fd not a number", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=16a&fp=776727275&n=1", reason: "field i"},
	{name: "fp too big", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=4294967296&n=1", reason: "field fp"},
	{name: "fp signed", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=+77&n=1", reason: "field fp"},
	{name: "n five", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=5", reason: "field n"},
	{name: "n zero", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=0", reason: "field n"},
	{name: "no such day", in: "t=20260230T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field t"},
	{name: "hour 24", in: "t=20260324T2453&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field t"},
	{name: "time without T", in: "t=20260324 2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field t"},
	{name: "time with dashes", in: "t=2026-03-24T20:53&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1", reason: "field t"},
	{name: "missing fp", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&n=1", reason: "fp missing"},
	{name: "repeated i", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&i=164&fp=776727275&n=1", reason: "repeated"},
	{name: "unknown field", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1&x=1", reason: "unknown field"},
	{name: "trailing ampersand", in: "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1&", reason: "no '='"},
	{name: "uppercase keys", in: "T=20260324T2053&S=200.00&FN=9999078900012345&I=163&FP=776727275&N=1", reason: "not a code"},
}

func TestParseReceiptQR(t *testing.T) {
	for _, tc := range receiptQRCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseReceiptQR(tc.in)
			if tc.reason != "" {
				if err == nil {
					t.Fatalf("ParseReceiptQR = %+v, want an error", got)
				}
				if tc.reason != "not a code" && !strings.Contains(err.Error(), tc.reason) {
					t.Errorf("error %q does not say %q", err, tc.reason)
				}
				if !errors.Is(err, pos.ErrInvalidBarcode) {
					t.Errorf("error %v does not wrap ErrInvalidBarcode", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("ParseReceiptQR = %+v, want %+v", got, tc.want)
			}
			again, err := ParseReceiptQR(got.String())
			if err != nil || again != got {
				t.Errorf("String %q reads back as %+v, %v", got.String(), again, err)
			}
		})
	}
}

// TestClassifyReceiptQR checks that the default classifier recognises the QR (after an AIM prefix and a
// wedge's CR/LF too), claims a broken one as invalid, and leaves texts that are not QR alone.
func TestClassifyReceiptQR(t *testing.T) {
	c := NewClassifier(DefaultWeightLayout())
	for _, tc := range receiptQRCases {
		t.Run(tc.name, func(t *testing.T) {
			code, err := c.Classify("]Q1" + tc.in + "\r\n")
			switch {
			case tc.reason == "not a code":
				if !errors.Is(err, pos.ErrUnknownBarcode) {
					t.Errorf("Classify = %+v, %v; want unknown", code, err)
				}
			case tc.reason != "":
				if !errors.Is(err, pos.ErrInvalidBarcode) {
					t.Errorf("Classify = %+v, %v; want invalid", code, err)
				}
			case err != nil:
				t.Fatal(err)
			case code.Kind != KindReceiptQR || code.Raw != tc.in || code.Symbology != "]Q1" || code.Receipt == nil ||
				*code.Receipt != tc.want:
				t.Errorf("Classify = %+v", code)
			}
		})
	}
	if got := KindReceiptQR.String(); got != "receipt QR" {
		t.Errorf("KindReceiptQR.String() = %q", got)
	}
}

func TestReceiptQRSaleKind(t *testing.T) {
	for n, want := range map[int]pos.SaleKind{1: pos.KindSale, 2: pos.KindRefund, 3: "", 4: ""} {
		k, ok := ReceiptQR{Kind: n}.SaleKind()
		if k != want || ok != (n <= 2) {
			t.Errorf("n=%d: SaleKind = %q, %v", n, k, ok)
		}
	}
}

// FuzzParseReceiptQR: no panic; whatever parses writes back (String) to a QR that parses to the same value,
// has a 16-digit fn, a positive document number and n in 1..4; errors are barcode errors.
func FuzzParseReceiptQR(f *testing.F) {
	for _, tc := range receiptQRCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseReceiptQR(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, pos.ErrInvalidBarcode) {
				t.Fatalf("ParseReceiptQR(%q) error %v is not a barcode *Error", s, err)
			}
			return
		}
		if len(q.FN) != 16 || !allDigits(q.FN) || q.FD == 0 || q.Kind < 1 || q.Kind > 4 || q.Total < 0 {
			t.Fatalf("ParseReceiptQR(%q) = %+v: out of range", s, q)
		}
		again, err := ParseReceiptQR(q.String())
		if err != nil || again != q {
			t.Fatalf("ParseReceiptQR(%q) = %+v; String %q reads back as %+v, %v", s, q, q.String(), again, err)
		}
	})
}
